import { describe, expect, it } from 'vitest';
import { initialState, type FlowState } from '../src/flow';
import { load, restoredItems, save, type Store } from '../src/resume';

function memory(): Store & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
}

const SESSION = {
  id: 'cs1', nonce: 'n', kind: 'PHOTOS' as const, expiresAt: '2099-01-01T00:00:00Z', maxItems: 20, maxVideoSeconds: 30,
  maxPhotoBytes: 1000, maxVideoBytes: 2000, locationRequired: false, deposit: { id: 'd1' },
};

function capturing(): FlowState {
  const [item] = restoredItems({ session: SESSION, mode: 'photos', details: initialState('photos').details, items: [{ itemId: 'i1', sha256: 'ab', contentType: 'image/jpeg', capturedAt: '2026-12-01T10:00:00Z', comment: 'façade' }] });
  return { ...initialState('photos'), step: 'review', session: SESSION, items: [item, { ...item, localId: 'x', itemId: null }] };
}

describe('a reload of the same tab', () => {
  it('finds the open session and its uploaded items', () => {
    const store = memory();
    save(store, 'http://p', capturing());
    const kept = load(store, 'http://p', 'photos', Date.parse('2026-12-01T10:05:00Z'));
    expect(kept?.session.id).toBe('cs1');
    expect(kept?.items.map((i) => [i.itemId, i.comment])).toEqual([['i1', 'façade']]);
  });

  it('forgets an expired session, another mode, and a sealed deposit', () => {
    const store = memory();
    save(store, 'http://p', capturing());
    expect(load(store, 'http://p', 'photos', Date.parse('2100-01-01T00:00:00Z'))).toBeNull();
    expect(load(store, 'http://p', 'video', 0)).toBeNull();
    save(store, 'http://p', { ...capturing(), step: 'sealed' });
    expect(store.data.size).toBe(0);
  });
});
