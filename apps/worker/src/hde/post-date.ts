import { parseHdeDate } from '@repo/hde-client';

/** Parses a webhook's date tag leniently (HDE's format for it is undocumented); `null` when unreadable. */
export function parsePostDate(value: string | undefined, tzOffsetMinutes = 180): Date | null {
  if (!value) return null;
  try {
    return parseHdeDate(value, tzOffsetMinutes) ?? null;
  } catch {
    return null;
  }
}
