import { describe, expect, it } from 'vitest';
import { CaptureApi, type FetchLike } from '../src/api';
import { credentialsFor } from '../src/auth';
import { initialState, transition } from '../src/flow';
import { withZone } from '../src/views';

/** A platform that accepts only the token `fresh`, like one whose first token expired. */
function platform(): { fetch: FetchLike; tokens: string[] } {
  const tokens: string[] = [];
  const fetch: FetchLike = async (_url, init) => {
    const auth = (init.headers as Record<string, string>).Authorization;
    tokens.push(auth);
    const typename = auth === 'Bearer fresh' ? 'OkPayload' : 'NotAuthenticated';
    return new Response(JSON.stringify({ data: { deleteItem: { __typename: typename, ...(typename === 'OkPayload' ? {} : { message: 'Please log in.' }) } } }), { status: 200 });
  };
  return { fetch, tokens };
}

describe('an expired capture token', () => {
  it('is replaced through the host page and the request is sent again', async () => {
    const { fetch, tokens } = platform();
    let token = 'expired';
    let asked = 0;
    const api = new CaptureApi({
      apiBase: 'http://p',
      credentials: () => credentialsFor(token),
      lang: () => 'fr',
      fetch,
      refresh: async () => {
        asked++;
        token = 'fresh';
        return true;
      },
    });
    await api.deleteItem('i1');
    expect(asked).toBe(1);
    expect(tokens).toEqual(['Bearer expired', 'Bearer fresh']);
  });

  it('is reported when the host page gives no new token', async () => {
    const { fetch } = platform();
    const api = new CaptureApi({ apiBase: 'http://p', credentials: () => credentialsFor('expired'), lang: () => 'en', fetch, refresh: async () => false });
    await expect(api.deleteItem('i1')).rejects.toMatchObject({ code: 'NOT_AUTHENTICATED' });
  });
});

describe('the sealed screen', () => {
  it('keeps the certificate status only once sealed', () => {
    const intro = transition(initialState('photos'), { type: 'CERTIFICATE', certificate: { status: 'ISSUED', url: 'x' } });
    expect(intro.certificate).toBeNull();
    const sealed = { ...initialState('photos'), step: 'sealed' as const };
    expect(transition(sealed, { type: 'CERTIFICATE', certificate: { status: 'PENDING', url: null } }).certificate).toEqual({ status: 'PENDING', url: null });
  });

  it('writes times with their zone', () => {
    expect(withZone('2026-12-01T21:58:02Z', 'en-GB')).toMatch(/(UTC|GMT|CET|[+-]\d)/);
  });
});
