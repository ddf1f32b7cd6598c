import { describe, expect, it } from 'vitest';

import { filterFromParams } from '../src/deposits/ArchivePage';
import { safeNext } from '../src/auth/LogInPage';
import { en } from '../src/i18n/en';
import { fr } from '../src/i18n/fr';
import { initialLanguage } from '../src/i18n';
import { readCookie, requestHeaders } from '../src/lib/client';
import { formatDateTime } from '../src/lib/dates';
import { asType, messageOf } from '../src/lib/outcome';
import { unmetRules } from '../src/lib/password';
import { entriesFor } from '../src/shell/navigation';

describe('password policy shown while typing', () => {
  it('lists every rule a short lowercase password breaks', () => {
    expect(unmetRules('abc')).toEqual(['MIN_LENGTH', 'UPPERCASE', 'DIGIT', 'SPECIAL']);
  });
  it('accepts what the API accepts, accents included', () => {
    expect(unmetRules('Éléphant-Rose-42')).toEqual([]);
    expect(unmetRules('ÉLÉPHANTROSE42')).toEqual(['LOWERCASE', 'SPECIAL']);
  });
});

describe('session headers', () => {
  it('echoes the CSRF cookie and the language on every request', () => {
    const cookies = 'other=1; probant_csrf=abc%3D123; x=y';
    expect(readCookie(cookies, 'probant_csrf')).toBe('abc=123');
    expect(requestHeaders(cookies, 'en')).toEqual({ 'accept-language': 'en', 'x-probant-csrf': 'abc=123' });
  });
  it('sends no CSRF header when there is no session', () => {
    expect(requestHeaders('', 'fr')).toEqual({ 'accept-language': 'fr' });
  });
});

describe('log-in redirection', () => {
  it('only follows paths inside the app', () => {
    expect(safeNext('/deposits?status=SEALED')).toBe('/deposits?status=SEALED');
    expect(safeNext('//evil.example')).toBe('/');
    expect(safeNext('https://evil.example')).toBe('/');
    expect(safeNext(null)).toBe('/');
  });
});

describe('archive filters from the URL', () => {
  it('turns whole days into an interval and ignores unknown statuses', () => {
    const filter = filterFromParams(new URLSearchParams('status=SEALED&from=2026-12-01&to=2026-12-01&q=PRB'));
    expect(filter.status).toBe('SEALED');
    expect(filter.search).toBe('PRB');
    expect(new Date(filter.to!).getTime() - new Date(filter.from!).getTime()).toBe(24 * 3600 * 1000);
    expect(filterFromParams(new URLSearchParams('status=LOST')).status).toBeNull();
  });
});

describe('dates name their zone', () => {
  it('shows Paris time with the offset and the zone', () => {
    const text = formatDateTime('2026-12-02T13:05:09Z', 'fr', 'Europe/Paris');
    expect(text).toContain('14:05:09');
    expect(text).toContain('UTC+1');
    expect(text).toContain('(Europe/Paris)');
  });
});

describe('languages', () => {
  it('defaults to French, remembers a choice, follows an English browser', () => {
    expect(initialLanguage(null, ['fr-FR'])).toBe('fr');
    expect(initialLanguage(null, ['en-GB', 'fr'])).toBe('en');
    expect(initialLanguage('fr', ['en-GB'])).toBe('fr');
  });
  it('has the same keys in English as in French', () => {
    const keys = (value: object, prefix = ''): string[] =>
      Object.entries(value).flatMap(([k, v]) => (typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
    expect(keys(en).sort()).toEqual(keys(fr).sort());
  });
});

describe('navigation by role', () => {
  it('gives clients the deposit pages only', () => {
    const client = ['organisation:read', 'deposits:create', 'deposits:read_own'];
    expect(entriesFor(client).map((e) => e.to)).toEqual(['/', '/deposits/new', '/deposits', '/account']);
  });
  it('gives clerks their workspace', () => {
    expect(entriesFor(['organisation:read', 'review:deposits', 'members:read']).map((e) => e.to)).toEqual(['/office', '/account']);
  });
  it('does not offer the firm\'s members page to a commissaire (clerks are invited from the office settings)', () => {
    const commissaire = ['organisation:read', 'review:deposits', 'members:read', 'constat:validate', 'members:invite'];
    expect(entriesFor(commissaire).map((e) => e.to)).toEqual(['/office', '/account']);
  });
  it('offers on-site constat requests to whoever may order a constat', () => {
    expect(entriesFor(['organisation:read', 'deposits:read_own', 'constat:order']).map((e) => e.to)).toContain('/onsite');
  });
});

describe('mutation results', () => {
  it('tells a payload from a typed error', () => {
    const error = { __typename: 'InsufficientCredits', message: 'Solde insuffisant' };
    expect(asType(error, 'CreditsMoved')).toBeNull();
    expect(messageOf(error)).toBe('Solde insuffisant');
    expect(messageOf({ __typename: 'CreditsMoved' })).toBeNull();
  });
});
