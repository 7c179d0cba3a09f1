import type { Language, Localised } from '@repo/domain';

/** The languages replies are written in: Ukrainian falls back to Russian when a text has no `uk`. */
export type ReplyLanguage = 'ru' | 'en' | 'uk';

/** The reply language for a detected language: `other` is answered in Russian. */
export function replyLanguageOf(language: Language): ReplyLanguage {
  return language === 'other' ? 'ru' : language;
}

/** Picks the text for a language; `uk` falls back to `ru`, and `other` is answered in Russian. */
export function pickLocalised(text: Localised, language: Language): string {
  const lang = replyLanguageOf(language);
  if (lang === 'uk') return text.uk ?? text.ru;
  return text[lang];
}
