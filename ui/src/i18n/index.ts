import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';

import { storage } from '../lib/persist';
import en from './en.json';
import fr from './fr.json';

export type Lang = 'en' | 'fr';
export const LANGS: readonly Lang[] = ['en', 'fr'];
const KEY = 'liaison.lang';

/** The remembered language, else the system's when it is French, else English. */
export function initialLang(): Lang {
  const saved = storage.get(KEY);
  if (saved === 'en' || saved === 'fr') return saved;
  const system = typeof navigator !== 'undefined' ? (navigator.languages?.[0] ?? navigator.language ?? 'en') : 'en';
  return system.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

export function setLang(lang: Lang): void {
  storage.set(KEY, lang);
  void i18n.changeLanguage(lang);
}

export function currentLang(): Lang {
  return i18n.resolvedLanguage === 'fr' ? 'fr' : 'en';
}

i18n.on('languageChanged', (lng) => {
  if (typeof document !== 'undefined') document.documentElement.lang = lng;
});

/** A vocabulary's value this version does not know (a newer version's, received by sync) shows as "unknown
 * (value)"; other missing keys show as before (their default, else the key). */
export function missingKey(key: string, defaultValue?: string): string {
  if (defaultValue !== undefined) return defaultValue;
  const unknown = /^enums\.[A-Za-z]+\.(.+)$/.exec(key);
  return unknown ? i18n.t('enums.unknown', { value: unknown[1] }) : key;
}

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, fr: { translation: fr } },
  lng: initialLang(),
  fallbackLng: 'en',
  supportedLngs: LANGS as Lang[],
  interpolation: { escapeValue: false }, // React escapes
  parseMissingKeyHandler: missingKey,
  initAsync: false,
});

export default i18n;
