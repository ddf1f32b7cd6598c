// The device's position, followed during the capture so each item carries the latest fix.

import type { LocationState } from './flow';

/** The reason a position is missing, from a GeolocationPositionError code. */
export function reasonOfGeoError(code: number | undefined): string {
  if (code === 1) return 'PERMISSION_DENIED';
  if (code === 2) return 'POSITION_UNAVAILABLE';
  if (code === 3) return 'TIMEOUT';
  return 'UNSUPPORTED';
}

/** A LocationState from a browser position. */
export function fixOf(position: GeolocationPosition): LocationState {
  return {
    state: 'fixed',
    fix: {
      latitude: position.coords.latitude,
      longitude: position.coords.longitude,
      accuracyMeters: Math.round(position.coords.accuracy * 10) / 10,
      fixedAt: new Date(position.timestamp || Date.now()).toISOString(),
    },
  };
}

/** Follows the position; `onChange` gets the first answer quickly, then each better fix. Returns a stop function. */
export function watchLocation(onChange: (location: LocationState) => void, timeoutMs = 15000): () => void {
  const geo = typeof navigator !== 'undefined' ? navigator.geolocation : undefined;
  if (!geo) {
    onChange({ state: 'unavailable', reason: 'UNSUPPORTED' });
    return () => undefined;
  }
  let hasFix = false;
  const id = geo.watchPosition(
    (position) => {
      hasFix = true;
      onChange(fixOf(position));
    },
    (error) => {
      // A transient failure after a fix keeps the last fix; only report when we never had one.
      if (!hasFix || error.code === 1) onChange({ state: 'unavailable', reason: reasonOfGeoError(error.code) });
    },
    { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 30000 },
  );
  return () => geo.clearWatch(id);
}

/** Resolves with the first answer of `watchLocation` (fix or refusal). */
export function firstLocation(watch: typeof watchLocation, onChange: (location: LocationState) => void): { first: Promise<LocationState>; stop: () => void } {
  let resolveFirst: (location: LocationState) => void = () => undefined;
  const first = new Promise<LocationState>((resolve) => (resolveFirst = resolve));
  const stop = watch((location) => {
    resolveFirst(location);
    onChange(location);
  });
  return { first, stop };
}
