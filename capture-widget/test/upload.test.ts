import { describe, expect, it } from 'vitest';
import { backoffDelay, isTransient, uploadWithRetry, type Put, type PutResponse } from '../src/upload';

/** An upload endpoint that answers each PUT with the next response, reporting half then full progress. */
function endpoint(...responses: PutResponse[]): { put: Put; calls: number } {
  const state = { calls: 0, put: (async (request) => {
    state.calls += 1;
    request.onProgress(0.5);
    return responses.shift() ?? { status: 0, text: '' };
  }) as Put };
  return state;
}

const REQUEST = { url: 'http://platform.test/uploads/i1', body: new Blob(['x']), contentType: 'image/jpeg', headers: {}, withCookies: false };
const ITEM = { id: 'i1', sha256: 'ab', size: 1, mediaType: 'PHOTO', width: 1, height: 1, durationSeconds: null };
const created = { status: 201, text: JSON.stringify({ item: ITEM }) };

describe('uploadWithRetry', () => {
  it("returns the server's item and reports progress up to 100 %", async () => {
    const { put } = endpoint(created);
    const progress: number[] = [];
    expect(await uploadWithRetry({ request: REQUEST, lang: 'fr', put, onProgress: (p) => progress.push(p) })).toEqual(ITEM);
    expect(progress).toEqual([0.5, 1]);
  });

  it('retries after a network loss with growing delays, then succeeds', async () => {
    const target = endpoint({ status: 0, text: '' }, { status: 503, text: 'busy' }, created);
    const slept: number[] = [];
    const retries: number[] = [];
    const item = await uploadWithRetry({
      request: REQUEST, lang: 'fr', put: target.put, sleep: async (ms) => void slept.push(ms), onRetry: (attempt) => retries.push(attempt),
    });
    expect(item).toEqual(ITEM);
    expect(target.calls).toBe(3);
    expect(slept).toEqual([1000, 2000]);
    expect(retries).toEqual([1, 2]);
  });

  it('gives up after the bounded number of attempts with a NETWORK error', async () => {
    const target = endpoint();
    const upload = uploadWithRetry({ request: REQUEST, lang: 'en', put: target.put, sleep: async () => undefined, policy: { attempts: 3, baseDelayMs: 1, maxDelayMs: 1 } });
    await expect(upload).rejects.toMatchObject({ code: 'NETWORK', message: 'Cannot reach the server. Check your network, then try again.' });
    expect(target.calls).toBe(3);
  });

  it('never retries a typed refusal and explains it', async () => {
    const target = endpoint({ status: 422, text: JSON.stringify({ error: { code: 'HASH_MISMATCH', message: 'x' } }) });
    await expect(uploadWithRetry({ request: REQUEST, lang: 'fr', put: target.put, sleep: async () => undefined })).rejects.toMatchObject({
      code: 'HASH_MISMATCH',
    });
    expect(target.calls).toBe(1);
  });

  it('counts ALREADY_UPLOADED after a lost answer as a success', async () => {
    const target = endpoint({ status: 0, text: '' }, { status: 409, text: JSON.stringify({ error: { code: 'ALREADY_UPLOADED', message: 'x' } }) });
    await expect(uploadWithRetry({ request: REQUEST, lang: 'fr', put: target.put, sleep: async () => undefined })).resolves.toBeNull();
  });

  it('maps a non-JSON refusal by its status', async () => {
    const target = endpoint({ status: 403, text: '<html>Forbidden</html>' });
    await expect(uploadWithRetry({ request: REQUEST, lang: 'fr', put: target.put })).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
  });
});

describe('backoff', () => {
  it('doubles from the base delay and is capped', () => {
    const policy = { attempts: 10, baseDelayMs: 1000, maxDelayMs: 5000 };
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, policy))).toEqual([1000, 2000, 4000, 5000, 5000]);
  });

  it('treats only lost answers, timeouts, throttling and server errors as transient', () => {
    expect([0, 408, 429, 500, 503].every(isTransient)).toBe(true);
    expect([400, 401, 403, 409, 413, 422].some(isTransient)).toBe(false);
  });
});
