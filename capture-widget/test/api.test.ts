import { describe, expect, it } from 'vitest';
import { CaptureApi, type FetchLike } from '../src/api';
import { credentialsFor } from '../src/auth';

interface Sent {
  url: string;
  init: RequestInit;
  body: { query: string; variables: Record<string, unknown> };
}

/** A platform that answers each call with the next canned JSON body. */
function platform(...answers: (object | Error)[]): { fetch: FetchLike; sent: Sent[] } {
  const sent: Sent[] = [];
  const fetch: FetchLike = async (url, init) => {
    sent.push({ url, init, body: JSON.parse(String(init.body)) });
    const answer = answers.shift();
    if (answer instanceof Error) throw answer;
    return new Response(JSON.stringify(answer), { status: 200, headers: { 'Content-Type': 'application/json' } });
  };
  return { fetch, sent };
}

const SESSION = {
  id: 'cs1', nonce: 'n', kind: 'PHOTOS', expiresAt: '2099-01-01T00:00:00Z', maxItems: 20, maxVideoSeconds: 30,
  maxPhotoBytes: 1000, maxVideoBytes: 2000, locationRequired: false, deposit: { id: 'd1' },
};

function api(fetch: FetchLike, token: string | null = 'cap_1', lang: 'fr' | 'en' = 'fr') {
  return new CaptureApi({ apiBase: 'http://platform.test', credentials: () => credentialsFor(token, 'probant_csrf=c1'), lang: () => lang, fetch });
}

describe('CaptureApi', () => {
  it('starts a capture session with the bearer token and no cookies', async () => {
    const { fetch, sent } = platform({ data: { startCapture: { __typename: 'CaptureSessionPayload', captureSession: SESSION } } });
    const session = await api(fetch).startCapture('PHOTOS');
    expect(session).toEqual(SESSION);
    expect(sent[0].url).toBe('http://platform.test/graphql');
    expect(sent[0].body.variables).toEqual({ kind: 'PHOTOS' });
    expect((sent[0].init.headers as Record<string, string>).Authorization).toBe('Bearer cap_1');
    expect(sent[0].init.credentials).toBe('omit');
  });

  it("on Probant's own pages sends cookies and the CSRF header", async () => {
    const { fetch, sent } = platform({ data: { startCapture: { __typename: 'CaptureSessionPayload', captureSession: SESSION } } });
    await api(fetch, null).startCapture('VIDEO');
    expect(sent[0].init.credentials).toBe('include');
    expect((sent[0].init.headers as Record<string, string>)['x-probant-csrf']).toBe('c1');
  });

  it('turns a typed error into a coded error with its own message', async () => {
    const { fetch } = platform({ data: { stageUpload: { __typename: 'CaptureSessionExpired', message: 'expirée' } } });
    const staging = api(fetch).stageUpload({
      captureSessionId: 'cs1', sha256: 'a'.repeat(64), size: 10, contentType: 'image/jpeg',
      capturedAt: '2026-11-22T10:00:00Z', location: null, noLocationReason: 'PERMISSION_DENIED',
    });
    await expect(staging).rejects.toMatchObject({ code: 'CAPTURE_SESSION_EXPIRED', message: 'La session de capture a expiré. Recommencez la capture.' });
  });

  it('explains refused seals in English when asked', async () => {
    const { fetch } = platform({ data: { sealDeposit: { __typename: 'InsufficientCredits', message: 'pas assez' } } });
    await expect(api(fetch, 'cap', 'en').seal('d1', { fullName: 'Ada Lovelace', imagePngBase64: null }, 1)).rejects.toMatchObject({
      code: 'INSUFFICIENT_CREDITS',
      message: 'You do not have enough credits to seal this deposit.',
    });
  });

  it('seals with the quoted credits and returns the sealed deposit', async () => {
    const deposit = { id: 'd1', reference: 'PRB-2026-000001', status: 'SEALED', sealedAt: '2026-11-22T10:00:00Z', items: [{ id: 'i1', sha256: 'ab' }], certificateUrl: '/certificates/d1.pdf' };
    const { fetch, sent } = platform({ data: { sealDeposit: { __typename: 'DepositPayload', deposit } } });
    expect(await api(fetch).seal('d1', { fullName: 'Ada Lovelace', imagePngBase64: 'iVBOR' }, 3)).toEqual(deposit);
    expect(sent[0].body.variables).toEqual({ input: { depositId: 'd1', signature: { fullName: 'Ada Lovelace', imagePngBase64: 'iVBOR' }, confirmCredits: 3 } });
  });

  it('sends title, address and comments in one update', async () => {
    const { fetch, sent } = platform({ data: { updateDeposit: { __typename: 'DepositPayload', deposit: { id: 'd1', title: 'T' } } } });
    const address = { street: '1 rue de la Paix', postcode: '75002', city: 'Paris', floor: '2', flat: '', building: 'B', details: '' };
    await api(fetch).updateDeposit('d1', { title: 'T', address, description: '' }, [{ itemId: 'i1', comment: 'Mur fissuré' }]);
    expect(sent[0].body.variables).toEqual({ input: { depositId: 'd1', title: 'T', address, description: '', itemComments: [{ itemId: 'i1', comment: 'Mur fissuré' }] } });
  });

  it('reads the quote', async () => {
    const quote = { credits: 2, rule: 'PER_DEPOSIT', description: '1 crédit par dépôt', balance: 10 };
    const { fetch } = platform({ data: { depositQuote: quote } });
    expect(await api(fetch).quote('d1')).toEqual(quote);
  });

  it('treats a deleteItem without error as done, and a typed error as a failure', async () => {
    const { fetch } = platform({ data: { deleteItem: { __typename: 'DeleteItemPayload' } } }, { data: { deleteItem: { __typename: 'AlreadySealed', message: 'x' } } });
    await expect(api(fetch).deleteItem('i1')).resolves.toBeUndefined();
    await expect(api(fetch).deleteItem('i1')).rejects.toMatchObject({ code: 'ALREADY_SEALED' });
  });

  it('reports a lost network as a retryable NETWORK error', async () => {
    const { fetch } = platform(new TypeError('Failed to fetch'));
    await expect(api(fetch).quote('d1')).rejects.toMatchObject({ code: 'NETWORK', retryable: true });
  });

  it('uses the code of a top-level GraphQL error', async () => {
    const { fetch } = platform({ data: null, errors: [{ message: 'Not authenticated', extensions: { code: 'NOT_AUTHENTICATED' } }] });
    await expect(api(fetch).quote('d1')).rejects.toMatchObject({ code: 'NOT_AUTHENTICATED' });
  });
});
