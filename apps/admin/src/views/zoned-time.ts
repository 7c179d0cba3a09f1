import { DEFAULT_HDE_TIME_ZONE, isTimeZone } from '@repo/domain';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    // Bounded: an app shows a handful of zones.
    if (formatters.size < 200) formatters.set(timeZone, f);
  }
  return f;
}

/** A zone the runtime knows, else the HDE default (a stored zone may predate a tz database change). */
export function knownZone(zone: string | undefined | null): string {
  return zone && isTimeZone(zone) ? zone : DEFAULT_HDE_TIME_ZONE;
}

/** `YYYY-MM-DD HH:MM` of an instant in a zone, without the label. */
export function wallClock(value: Date | string, zone: string): string {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return '';
  const parts = formatterFor(knownZone(zone)).formatToParts(d);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
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
