import { describe, expect, it } from 'vitest';
import { allUploaded, initialState, locationOfNewItem, mayCapture, transition, type CaptureItem, type FlowEvent, type FlowState } from '../src/flow';
import type { CaptureMode, CaptureSession } from '../src/types';

const FIX = { latitude: 48.85, longitude: 2.35, accuracyMeters: 12, fixedAt: '2026-11-22T10:00:00Z' };

function session(change: Partial<CaptureSession> = {}): CaptureSession {
  return {
    id: 'cs1', nonce: 'n', kind: 'PHOTOS', expiresAt: '2099-01-01T00:00:00Z', maxItems: 3, maxVideoSeconds: 30,
    maxPhotoBytes: 1_000_000, maxVideoBytes: 10_000_000, locationRequired: false, deposit: { id: 'd1' }, ...change,
  };
}

function item(localId: string): CaptureItem {
  return {
    localId, blob: new Blob(['x']), previewUrl: 'blob:x', contentType: 'image/jpeg', capturedAt: '2026-11-22T10:00:00Z',
    location: FIX, noLocationReason: null, sha256: null, status: 'hashing', progress: 0, itemId: null, comment: '', error: null,
  };
}

const run = (state: FlowState, ...events: FlowEvent[]) => events.reduce(transition, state);

function capturing(mode: CaptureMode = 'photos', change: Partial<CaptureSession> = {}): FlowState {
  return run(initialState(mode), { type: 'START' }, { type: 'SESSION_STARTED', session: session(change) },
    { type: 'LOCATION', location: { state: 'fixed', fix: FIX } }, { type: 'CAMERA_READY' });
}

function uploaded(state: FlowState, localId: string): FlowState {
  return run(state, { type: 'ITEM_ADDED', item: item(localId) }, { type: 'ITEM_HASHED', localId, sha256: 'ab' },
    { type: 'ITEM_PROGRESS', localId, progress: 0.4 }, { type: 'ITEM_UPLOADED', localId, itemId: `srv-${localId}` });
}

describe('the capture flow', () => {
  it('goes from the explanation to a sealed deposit', () => {
    let state = initialState('photos');
    expect(state.step).toBe('intro');
    state = capturing();
    expect(state.step).toBe('capture');
    state = uploaded(uploaded(state, 'a'), 'b');
    state = run(state, { type: 'NEXT' }, { type: 'COMMENT', localId: 'a', comment: 'Fissure au plafond' });
    expect(state.step).toBe('review');
    expect(state.items[0].comment).toBe('Fissure au plafond');
    state = run(state, { type: 'NEXT' });
    expect(state.step).toBe('details');
    state = run(state, { type: 'DETAILS_SAVED' }, { type: 'QUOTED', quote: { credits: 2, rule: 'PER_PHOTO', description: '', balance: 5 } });
    expect(state.step).toBe('sign');
    state = run(state, { type: 'SIGNED', signature: { fullName: 'Élise Dupont', imagePngBase64: null } });
    expect(state.step).toBe('confirm');
    state = run(state, { type: 'SEAL' });
    expect(state.step).toBe('confirm'); // not attested yet
    state = run(state, { type: 'ATTEST', attested: true }, { type: 'SEAL' });
    expect(state.step).toBe('sealing');
    state = run(state, { type: 'SEALED', deposit: { id: 'd1', reference: 'PRB-1', status: 'SEALED', sealedAt: '2026-11-22T10:05:00Z', items: [], certificateUrl: null } });
    expect(state.step).toBe('sealed');
    expect(state.sealed?.reference).toBe('PRB-1');
  });

  it('cannot leave the camera without an item', () => {
    expect(run(capturing(), { type: 'NEXT' }).step).toBe('capture');
  });

  it('waits for every upload before the details', () => {
    let state = run(capturing(), { type: 'ITEM_ADDED', item: item('a') }, { type: 'NEXT' });
    expect(state.step).toBe('review');
    expect(allUploaded(state)).toBe(false);
    expect(run(state, { type: 'NEXT' }).step).toBe('review');
    state = run(state, { type: 'ITEM_UPLOADED', localId: 'a', itemId: 'srv-a' }, { type: 'NEXT' });
    expect(state.step).toBe('details');
  });

  it('stops the shutter at the session’s item limit', () => {
    let state = capturing('photos', { maxItems: 2 });
    state = run(state, { type: 'ITEM_ADDED', item: item('a') }, { type: 'ITEM_ADDED', item: item('b') });
    expect(mayCapture(state)).toBe(false);
    expect(run(state, { type: 'ITEM_ADDED', item: item('c') }).items).toHaveLength(2);
  });

  it('takes a single video, and not while recording', () => {
    let state = capturing('video');
    state = run(state, { type: 'RECORDER', recorder: { phase: 'recording', left: 12 } });
    expect(mayCapture(state)).toBe(false);
    expect(run(state, { type: 'NEXT' }).step).toBe('capture');
    state = run(state, { type: 'ITEM_ADDED', item: item('v') });
    expect(state.recorder).toEqual({ phase: 'idle' });
    expect(mayCapture(state)).toBe(false);
  });

  it('goes back to the camera when the last item is deleted, and for a retake', () => {
    let state = run(uploaded(capturing(), 'a'), { type: 'NEXT' });
    state = run(state, { type: 'ITEM_REMOVED', localId: 'a' });
    expect(state.step).toBe('capture');
    expect(state.items).toEqual([]);
  });

  it('shows an upload failure on its item only', () => {
    const state = run(capturing(), { type: 'ITEM_ADDED', item: item('a') }, { type: 'ITEM_FAILED', localId: 'a', problem: { code: 'HASH_MISMATCH', message: 'm' } });
    expect(state.items[0].status).toBe('failed');
    expect(state.step).toBe('capture');
  });
});

describe('location', () => {
  it('blocks the capture when the session requires a location that is refused', () => {
    const state = run(initialState('photos'), { type: 'START' }, { type: 'SESSION_STARTED', session: session({ locationRequired: true }) },
      { type: 'LOCATION', location: { state: 'unavailable', reason: 'PERMISSION_DENIED' } }, { type: 'CAMERA_READY' });
    expect(state.step).toBe('locationBlocked');
    expect(run(state, { type: 'START' }).step).toBe('starting');
  });

  it('otherwise continues, each item flagged with the reason', () => {
    const state = run(initialState('photos'), { type: 'START' }, { type: 'SESSION_STARTED', session: session() },
      { type: 'LOCATION', location: { state: 'unavailable', reason: 'PERMISSION_DENIED' } }, { type: 'CAMERA_READY' });
    expect(state.step).toBe('capture');
    expect(mayCapture(state)).toBe(true);
    expect(locationOfNewItem(state)).toEqual({ location: null, noLocationReason: 'PERMISSION_DENIED' });
  });

  it('stamps each new item with the latest fix', () => {
    expect(locationOfNewItem(capturing())).toEqual({ location: FIX, noLocationReason: null });
  });
});

describe('problems', () => {
  it('a refused seal returns to the confirmation with its message', () => {
    let state = run(uploaded(capturing(), 'a'), { type: 'NEXT' }, { type: 'NEXT' }, { type: 'DETAILS_SAVED' },
      { type: 'QUOTED', quote: { credits: 1, rule: 'r', description: '', balance: 0 } },
      { type: 'SIGNED', signature: { fullName: 'Jo Li', imagePngBase64: null } }, { type: 'ATTEST', attested: true }, { type: 'SEAL' });
    state = run(state, { type: 'PROBLEM', problem: { code: 'INSUFFICIENT_CREDITS', message: 'm' } });
    expect(state.step).toBe('confirm');
    expect(state.problem?.code).toBe('INSUFFICIENT_CREDITS');
  });

  it('a fatal failure can be retried from the start', () => {
    const state = run(initialState('photos'), { type: 'START' }, { type: 'FAILED', problem: { code: 'CAMERA_DENIED', message: 'm' } });
    expect(state.step).toBe('failed');
    expect(run(state, { type: 'START' })).toMatchObject({ step: 'starting', problem: null });
  });

  it('an expired session or token ends the capture, to be started again', () => {
    const expired = { code: 'CAPTURE_SESSION_EXPIRED', message: 'm' };
    expect(run(capturing(), { type: 'PROBLEM', problem: expired }).step).toBe('failed');
    const state = run(capturing(), { type: 'ITEM_ADDED', item: item('a') }, { type: 'ITEM_FAILED', localId: 'a', problem: { code: 'SESSION_EXPIRED', message: 'm' } });
    expect(state.step).toBe('failed');
    expect(run(state, { type: 'START' })).toMatchObject({ step: 'starting', items: [] });
  });

  it('ignores events that make no sense in the current step', () => {
    const state = initialState('photos');
    expect(run(state, { type: 'SEAL' }, { type: 'NEXT' }, { type: 'DETAILS_SAVED' })).toEqual(state);
  });
});
