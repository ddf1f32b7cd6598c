import { describe, expect, it } from 'vitest';
import { messages, pickLang } from '../src/i18n';

describe('pickLang', () => {
  it('is French by default', () => {
    expect(pickLang(null, [])).toBe('fr');
    expect(pickLang(undefined, ['de-DE', 'es'])).toBe('fr');
  });

  it('follows the lang attribute first', () => {
    expect(pickLang('en', ['fr-FR'])).toBe('en');
    expect(pickLang('EN-gb', [])).toBe('en');
    expect(pickLang('fr', ['en-US'])).toBe('fr');
  });

  it('falls back to French for an unknown attribute, whatever the browser says', () => {
    expect(pickLang('de', ['en-US'])).toBe('fr');
  });

  it('otherwise follows the first known browser language', () => {
    expect(pickLang(null, ['de-DE', 'en-US', 'fr'])).toBe('en');
    expect(pickLang('', ['fr-CA'])).toBe('fr');
  });
});

describe('catalogues', () => {
  it('have the same messages in French and English, none empty', () => {
    const fr = messages('fr');
    const en = messages('en');
    expect(Object.keys(en).sort()).toEqual(Object.keys(fr).sort());
    for (const key of Object.keys(fr) as (keyof typeof fr)[]) {
      const render = (value: unknown) => (typeof value === 'function' ? (value as (...args: number[]) => string)(2, 3) : value);
      expect(render(fr[key]), key).toBeTruthy();
      expect(render(en[key]), key).toBeTruthy();
    }
  });

  it('remind to describe only what is visible', () => {
    expect(messages('fr').commentHint).toBe('Décrivez uniquement ce qui est visible.');
    expect(messages('en').commentHint).toBe('Describe only what is visible.');
  });
});
