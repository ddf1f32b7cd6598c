// How the widget proves who it acts for: a capture token, or the platform's cookie session.

export interface Credentials {
  /** Headers to add to every request (GraphQL and upload). */
  headers: Record<string, string>;
  /** Whether the browser should send cookies (no token: Probant's own pages). */
  withCookies: boolean;
}

export const CSRF_COOKIE = 'probant_csrf';
export const CSRF_HEADER = 'x-probant-csrf';

/** The value of one cookie in a `document.cookie` string, or null. */
export function readCookie(cookieString: string, name: string): string | null {
  for (const part of cookieString.split(';')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    if (part.slice(0, index).trim() === name) {
      try {
        return decodeURIComponent(part.slice(index + 1).trim());
      } catch {
        return part.slice(index + 1).trim();
      }
    }
  }
  return null;
}

/** Bearer token when given; else cookies plus the CSRF header read from the `probant_csrf` cookie. */
export function credentialsFor(token: string | null | undefined, cookieString = ''): Credentials {
  const trimmed = token?.trim();
  if (trimmed) return { headers: { Authorization: `Bearer ${trimmed}` }, withCookies: false };
  const csrf = readCookie(cookieString, CSRF_COOKIE);
  return { headers: csrf ? { [CSRF_HEADER]: csrf } : {}, withCookies: true };
}

/** The platform origin from the `api-base` attribute, without a trailing slash; null when unusable. */
export function normaliseApiBase(value: string | null | undefined, pageOrigin: string): string | null {
  const raw = value?.trim() || pageOrigin;
  try {
    const url = new URL(raw, pageOrigin);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
    return url.href.replace(/\/+$/, '');
  } catch {
    return null;
  }
}
