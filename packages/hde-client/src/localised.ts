import type { HdeLocalised } from './hde-types';

/**
 * Picks a display string from an HDE per-language name: the first non-empty of `languages`, then
 * `default` (a bare string from HDE), then any non-empty value; `''` when there is none.
 */
export function pickLocalised(name: HdeLocalised, languages: readonly string[] = ['ru', 'en', 'ua']): string {
  for (const lang of [...languages, 'default']) {
    const value = name[lang];
    if (value) return value;
  }
  return Object.values(name).find((v) => v !== '') ?? '';
}
