// French by default, English on request; the choice is remembered in this browser.
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';

import { en } from './en';
import { fr } from './fr';

export const LANGUAGES = ['fr', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
const STORAGE_KEY = 'probant.language';

export function initialLanguage(stored: string | null, browser: readonly string[]): Language {
  if (stored === 'fr' || stored === 'en') return stored;
  return browser.some((tag) => tag.toLowerCase().startsWith('en')) && !browser[0]?.startsWith('fr') ? 'en' : 'fr';
}

export function rememberLanguage(language: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // private mode: the choice lasts for this page only
  }
}

function storedLanguage(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

void i18n.use(initReactI18next).init({
  resources: { fr: { translation: fr }, en: { translation: en } },
  lng: typeof window === 'undefined' ? 'fr' : initialLanguage(storedLanguage(), navigator.languages ?? []),
  fallbackLng: 'fr',
  interpolation: { escapeValue: false },
  returnNull: false,
});

i18n.on('languageChanged', (language) => {
  document.documentElement.lang = language;
});
if (typeof document !== 'undefined') document.documentElement.lang = i18n.language;

export default i18n;
