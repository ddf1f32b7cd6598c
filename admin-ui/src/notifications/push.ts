// The browser side of web push: the service worker (/app/sw.js), permission asked only after
// the person clicks, and the subscription made with the server's VAPID public key.

export const WORKER_URL = `${import.meta.env.BASE_URL}sw.js`;

export function pushSupported(): boolean {
  return typeof window !== 'undefined' && 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}

/** base64url (the VAPID key as the API gives it) to the bytes PushManager wants. */
export function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const padded = (base64url + '='.repeat((4 - (base64url.length % 4)) % 4)).replace(/-/g, '+').replace(/_/g, '/');
  const raw = atob(padded);
  const bytes = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i += 1) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

function sameKey(current: ArrayBuffer | null, wanted: Uint8Array): boolean {
  if (!current) return false;
  const bytes = new Uint8Array(current);
  return bytes.length === wanted.length && bytes.every((value, index) => value === wanted[index]);
}

export interface BrowserSubscription {
  endpoint: string;
  p256dh: string;
  auth: string;
}

export type PushOutcome = { ok: true; subscription: BrowserSubscription } | { ok: false; reason: 'unsupported' | 'denied' | 'failed' };

/** Register the worker, ask permission, subscribe; call only from a click. */
export async function subscribeThisBrowser(publicKey: string): Promise<PushOutcome> {
  if (!pushSupported()) return { ok: false, reason: 'unsupported' };
  try {
    const registration = await navigator.serviceWorker.register(WORKER_URL, { scope: import.meta.env.BASE_URL });
    const permission = await Notification.requestPermission();
    if (permission !== 'granted') return { ok: false, reason: 'denied' };
    await navigator.serviceWorker.ready;
    const wanted = keyBytes(publicKey);
    let existing = await registration.pushManager.getSubscription();
    // Made with another server key (the key was rotated): it can no longer receive anything.
    if (existing && !sameKey(existing.options.applicationServerKey, wanted)) {
      await existing.unsubscribe();
      existing = null;
    }
    const subscription = existing ?? (await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: wanted }));
    const json = subscription.toJSON();
    if (!json.endpoint || !json.keys?.p256dh || !json.keys?.auth) return { ok: false, reason: 'failed' };
    return { ok: true, subscription: { endpoint: json.endpoint, p256dh: json.keys.p256dh, auth: json.keys.auth } };
  } catch {
    return { ok: false, reason: 'failed' };
  }
}

/** This browser's current subscription endpoint, if any (without asking anything). */
export async function currentEndpoint(): Promise<string | null> {
  if (!pushSupported()) return null;
  const registration = await navigator.serviceWorker.getRegistration(import.meta.env.BASE_URL);
  const subscription = await registration?.pushManager.getSubscription();
  return subscription?.endpoint ?? null;
}

export async function unsubscribeThisBrowser(): Promise<string | null> {
  if (!pushSupported()) return null;
  const registration = await navigator.serviceWorker.getRegistration(import.meta.env.BASE_URL);
  const subscription = await registration?.pushManager.getSubscription();
  if (!subscription) return null;
  const endpoint = subscription.endpoint;
  await subscription.unsubscribe();
  return endpoint;
}
