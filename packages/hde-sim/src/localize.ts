import { HdeSimError } from './sim-error';
import type { Localized } from './wire-types';

/** A name given either as one string (used for every language) or per language. */
export type LocalizedInput = string | Partial<Localized>;

/** Expands a {@link LocalizedInput} to all three languages, falling back to whichever is set. */
export function localize(input: LocalizedInput): Localized {
  if (typeof input === 'string') return { ru: input, en: input, ua: input };
  if (typeof input !== 'object' || input === null) {
    throw new HdeSimError('INVALID', 'a name must be a string or { ru, en, ua }');
  }
  const fallback = input.ru ?? input.en ?? input.ua ?? '';
  return { ru: input.ru ?? fallback, en: input.en ?? fallback, ua: input.ua ?? fallback };
}
