import type { HdeZone } from '../time-zone';
import { z } from 'zod';
import { parseHdeDate } from '../hde-dates';
import type { HdeFile, HdeLocalised } from '../hde-types';

/*
 * Lenient scalars: HDE sends ids as numbers or strings, flags as 0/1 or booleans, and "nothing" as
 * 0, "", "null" or a missing key. Each helper accepts anything and never fails, except `requiredId`.
 */

/** An integer from a number or a numeric string, else `null`. */
export function toIntOrNull(value: unknown): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : null;
  if (typeof value === 'string' && /^\s*-?\d{1,15}\s*$/.test(value)) return Number(value.trim());
  return null;
}

/** Any value as a string (`''` for null/objects). */
export function toText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

/** 0/1, "0"/"1", booleans, "true"/"false". */
export function toFlag(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 'true';
}

/** `{ru,en,ua}` as is (non-string values dropped); a bare string under `default`. */
export function toLocalised(value: unknown): HdeLocalised {
  if (typeof value === 'string') return value === '' ? {} : { default: value };
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  const out: Record<string, string> = {};
  for (const [lang, text] of Object.entries(value)) if (typeof text === 'string') out[lang] = text;
  return out;
}

/** An array as is, an id-keyed object as its values, anything else as `[]`. */
export function toList(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (value && typeof value === 'object') return Object.values(value);
  return [];
}

// `.optional()` before each transform: zod 4 treats a missing key as an error unless the input schema is optional.
/** A required integer id (number or numeric string); the only field whose absence fails a record. */
export const requiredId = z
  .unknown()
  .optional()
  .transform((value, ctx) => {
    const id = toIntOrNull(value);
    if (id === null) {
      ctx.addIssue({ code: 'custom', message: 'id must be an integer' });
      return z.NEVER;
    }
    return id;
  });

export const lenientInt = z.unknown().optional().transform(toIntOrNull);
/** HDE uses 0 for "none" in owner/user/department references. */
export const refId = z
  .unknown()
  .optional()
  .transform((v) => {
    const id = toIntOrNull(v);
    return id === 0 ? null : id;
  });
export const text = z.unknown().optional().transform(toText);
export const flag = z.unknown().optional().transform(toFlag);
export const localised = z.unknown().optional().transform(toLocalised);
export const intList = z
  .unknown()
  .optional()
  .transform((v) =>
    toList(v)
      .map(toIntOrNull)
      .filter((n): n is number => n !== null),
  );

/** A date field in the account's timezone. */
export function dateField(tzOffsetMinutes: HdeZone) {
  return z
    .unknown()
    .optional()
    .transform((v) => parseHdeDate(v, tzOffsetMinutes));
}

const FileSchema = z.object({ name: text, url: text, data_type: text });

export const files = z
  .unknown()
  .optional()
  .transform((v): HdeFile[] =>
    toList(v).flatMap((f) => {
      const r = FileSchema.safeParse(f);
      return r.success ? [{ name: r.data.name, url: r.data.url, dataType: r.data.data_type }] : [];
    }),
  );
