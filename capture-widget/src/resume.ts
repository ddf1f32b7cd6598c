// What survives a reload of the page: the open capture session and its uploaded items, kept in
// the tab's sessionStorage (never the media themselves: they are on the platform already).

import type { CaptureItem, FlowState } from './flow';
import type { CaptureMode, CaptureSession, DepositDetails } from './types';

export interface Snapshot {
  session: CaptureSession;
  mode: CaptureMode;
  details: DepositDetails;
  items: { itemId: string; sha256: string; contentType: string; capturedAt: string; comment: string }[];
}

export type Store = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const KEEP_STEPS = new Set(['capture', 'review', 'details', 'sign', 'confirm']);

function key(apiBase: string): string {
  return `probant-capture:${apiBase}`;
}

/** The snapshot to keep for `state`, or null when there is nothing to resume. */
export function snapshotOf(state: FlowState): Snapshot | null {
  if (!state.session || !KEEP_STEPS.has(state.step)) return null;
  const items = state.items
    .filter((i) => i.itemId && i.sha256)
    .map((i) => ({ itemId: i.itemId!, sha256: i.sha256!, contentType: i.contentType, capturedAt: i.capturedAt, comment: i.comment }));
  return { session: state.session, mode: state.mode, details: state.details, items };
}

export function save(store: Store | null, apiBase: string, state: FlowState): void {
  try {
    const snapshot = snapshotOf(state);
    if (snapshot) store?.setItem(key(apiBase), JSON.stringify(snapshot));
    else if (state.step === 'sealed' || state.step === 'intro') store?.removeItem(key(apiBase));
  } catch {
    // Storage full or disabled: the capture goes on, it just will not survive a reload.
  }
}

/** A snapshot of the same mode whose session is still open, or null. */
export function load(store: Store | null, apiBase: string, mode: CaptureMode, now = Date.now()): Snapshot | null {
  try {
    const raw = store?.getItem(key(apiBase));
    const snapshot = raw ? (JSON.parse(raw) as Snapshot) : null;
    if (!snapshot || snapshot.mode !== mode || Date.parse(snapshot.session.expiresAt) <= now) return null;
    return snapshot;
  } catch {
    return null;
  }
}

export function forget(store: Store | null, apiBase: string): void {
  try {
    store?.removeItem(key(apiBase));
  } catch {
    // nothing to forget
  }
}

/** The items of a snapshot as uploaded items of the flow (their previews stay on the platform). */
export function restoredItems(snapshot: Snapshot): CaptureItem[] {
  return snapshot.items.map((item, index) => ({
    localId: `restored-${index}-${item.itemId}`,
    blob: new Blob([]),
    previewUrl: '',
    contentType: item.contentType,
    capturedAt: item.capturedAt,
    location: null,
    noLocationReason: null,
    sha256: item.sha256,
    status: 'uploaded',
    progress: 1,
    itemId: item.itemId,
    comment: item.comment,
    error: null,
  }));
}
