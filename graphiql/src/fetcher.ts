// How the explorer talks to /graphql: the browser's cookie session with its CSRF header, or a
// partner's bearer token pasted in the bar above the editor (then no cookie is sent).
import type { Fetcher } from '@graphiql/toolkit';

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

/** A pasted token, with or without its `Bearer ` prefix, as an Authorization header value. */
export function bearer(token: string): string | null {
  const bare = token.trim().replace(/^bearer\s+/i, '');
  return bare ? `Bearer ${bare}` : null;
}

export function createFetcher(url: string, token: () => string, language: string): Fetcher {
  return async (params, opts) => {
    const headers: Record<string, string> = {
      accept: 'application/graphql-response+json, application/json',
      'content-type': 'application/json',
      'accept-language': language,
    };
    const authorization = bearer(token());
    if (authorization) {
      headers.authorization = authorization;
    } else {
      const csrf = readCookie(document.cookie, CSRF_COOKIE);
      if (csrf) headers[CSRF_HEADER] = csrf;
    }
    for (const [name, value] of Object.entries(opts?.headers ?? {})) {
      headers[name.toLowerCase()] = String(value);
    }
    const response = await fetch(url, {
      method: 'POST',
      credentials: authorization ? 'omit' : 'same-origin',
      headers,
      body: JSON.stringify(params),
    });
    const text = await response.text();
    try {
      return JSON.parse(text);
    } catch {
      return { errors: [{ message: `HTTP ${response.status}: ${text.slice(0, 500)}` }] };
    }
  };
}
