// The one GraphQL client: same-origin cookie session, CSRF header on mutations, viewer's language.
import { Client, cacheExchange, fetchExchange } from 'urql';

export const CSRF_COOKIE = 'probant_csrf';
export const CSRF_HEADER = 'x-probant-csrf';

/** The value of one cookie in a `document.cookie` string, or null. */
export function readCookie(cookieString: string, name: string): string | null {
  for (const part of cookieString.split(';')) {
    const index = part.indexOf('=');
    if (index >= 0 && part.slice(0, index).trim() === name) {
      return decodeURIComponent(part.slice(index + 1).trim());
    }
  }
  return null;
}

/** Headers for one request: the language, and the CSRF token the session cookie pairs with. */
export function requestHeaders(cookieString: string, language: string): Record<string, string> {
  const headers: Record<string, string> = { 'accept-language': language };
  const csrf = readCookie(cookieString, CSRF_COOKIE);
  if (csrf) headers[CSRF_HEADER] = csrf;
  return headers;
}

export function createClient(language: () => string): Client {
  return new Client({
    url: '/graphql',
    exchanges: [cacheExchange, fetchExchange],
    requestPolicy: 'cache-and-network',
    fetchOptions: () => ({
      credentials: 'same-origin',
      headers: requestHeaders(document.cookie, language()),
    }),
  });
}
