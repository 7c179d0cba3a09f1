import { DEFAULT_HDE_TIME_ZONE, isTimeZone } from '@repo/domain';
import { utcToWallClock } from '@repo/hde-client';

/** A zone the runtime knows, else the HDE default (a stored zone may predate a tz database change). */
export function knownZone(zone: string | undefined | null): string {
  return zone && isTimeZone(zone) ? zone : DEFAULT_HDE_TIME_ZONE;
}

/** `YYYY-MM-DD HH:MM` of an instant in a zone, without the label (the zone arithmetic HDE dates use too). */
export function wallClock(value: Date | string, zone: string): string {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return '';
  return utcToWallClock(knownZone(zone), d.getTime()).toISOString().slice(0, 16).replace('T', ' ');
}

/**
 * An instant as a support lead reads it: the local date and time of the integration's HDE account,
 * labelled with its zone, e.g. `2026-11-20 13:00 (Europe/Moscow)`. Empty for no date.
 */
export function zonedTime(value: Date | string | null | undefined, zone: string): string {
  if (!value) return '';
  const text = wallClock(value, zone);
  return text ? `${text} (${knownZone(zone)})` : '';
}
