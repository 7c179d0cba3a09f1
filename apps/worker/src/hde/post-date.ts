import { parseHdeDate, type HdeZone } from '@repo/hde-client';

/**
 * Parses a webhook's date tag leniently (HDE's format for it is undocumented) in the integration's
 * time zone; `null` when unreadable.
 */
export function parsePostDate(value: string | undefined, zone: HdeZone): Date | null {
  if (!value) return null;
  try {
    return parseHdeDate(value, zone) ?? null;
  } catch {
    return null;
  }
}
