import { MESSAGES, type Locale, type MessageKey } from './messages';

/** Translates a key, filling `{name}` placeholders. */
export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** The translator of a locale. */
export function translator(locale: Locale): Translate {
  return (key, vars) => {
    const text: string = MESSAGES[key][locale];
    return vars ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : text;
  };
}

/** Picks a supported locale from a cookie or an Accept-Language header; Russian by default. */
export function pickLocale(cookieValue: string | undefined, acceptLanguage: string | undefined): Locale {
  if (cookieValue === 'ru' || cookieValue === 'en') return cookieValue;
  const first = acceptLanguage?.split(',')[0]?.trim().slice(0, 2).toLowerCase();
  return first === 'en' ? 'en' : 'ru';
}
