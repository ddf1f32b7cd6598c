import { describe, expect, it } from 'vitest';
import { credentialsFor, normaliseApiBase, readCookie } from '../src/auth';

describe('credentials', () => {
  it('send a capture token as a bearer, without cookies', () => {
    expect(credentialsFor(' cap_abc ', 'probant_csrf=zzz')).toEqual({
      headers: { Authorization: 'Bearer cap_abc' },
      withCookies: false,
    });
  });

  it('without a token use cookies and the CSRF header from the probant_csrf cookie', () => {
    expect(credentialsFor(null, 'a=1; probant_csrf=tok%3D1; b=2')).toEqual({
      headers: { 'x-probant-csrf': 'tok=1' },
      withCookies: true,
    });
  });

  it('without a readable CSRF cookie still use cookies', () => {
    expect(credentialsFor('', 'other=1')).toEqual({ headers: {}, withCookies: true });
  });

  it('read cookies by exact name', () => {
    expect(readCookie('xprobant_csrf=1; probant_csrf=2', 'probant_csrf')).toBe('2');
    expect(readCookie('', 'probant_csrf')).toBeNull();
  });
});

describe('api-base', () => {
  it('is the platform origin without trailing slash', () => {
    expect(normaliseApiBase('http://127.0.0.1:8000/', 'https://intranet.example')).toBe('http://127.0.0.1:8000');
  });

  it("defaults to the page's origin (Probant's own pages)", () => {
    expect(normaliseApiBase(null, 'https://app.probant.fr')).toBe('https://app.probant.fr');
  });

  it('refuses anything but http(s)', () => {
    expect(normaliseApiBase('javascript:alert(1)', 'https://intranet.example')).toBeNull();
  });
});
