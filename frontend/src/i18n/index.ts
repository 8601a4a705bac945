import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import fr from './fr.json';
import en from './en.json';

export const LANGUAGES = ['fr', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
const STORAGE_KEY = 'atrium.language';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

export function storedLanguage(): Language {
  try {
    const v = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (isLanguage(v)) return v;
  } catch {
    /* storage unavailable */
  }
  return 'fr';
}

/** Applies a language to the interface and remembers it for the next sign-in page. */
export async function applyLanguage(lang: string): Promise<void> {
  if (!isLanguage(lang)) return;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, lang);
  } catch {
    /* storage unavailable */
  }
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
  if (i18n.language !== lang) await i18n.changeLanguage(lang);
}

type Messages = { [key: string]: string | Messages };

/** Deep-merges message trees: each feature may ship its own strings. */
function merge(into: Messages, from: Messages): Messages {
  for (const [k, v] of Object.entries(from)) {
    const cur = into[k];
    into[k] = typeof v === 'object' && typeof cur === 'object' ? merge({ ...cur }, v) : v;
  }
  return into;
}

// A feature keeps its strings beside it, in features/<area>/i18n/{fr,en}.json,
// so areas grow without editing one shared file.
const featureMessages = import.meta.glob<Messages>('../features/*/i18n/*.json', { eager: true, import: 'default' });
function messages(lang: Language, base: Messages): Messages {
  const out = merge({}, base);
  for (const [path, m] of Object.entries(featureMessages)) {
    if (path.endsWith(`/${lang}.json`)) merge(out, m);
  }
  return out;
}

void i18n.use(initReactI18next).init({
  resources: { fr: { translation: messages('fr', fr) }, en: { translation: messages('en', en) } },
  lng: storedLanguage(),
  fallbackLng: 'fr',
  supportedLngs: LANGUAGES,
  interpolation: { escapeValue: false },
  initAsync: false,
});
if (typeof document !== 'undefined') document.documentElement.lang = i18n.language;

export default i18n;
