import { zoneFormatter } from '@repo/domain';

/**
 * Offsets of IANA time zones through the runtime's own time-zone data (`Intl`, ICU in Node): no
 * dependency to keep up to date with tz releases beyond Node itself, and correct across DST.
 */

/** A zone as callers give it: an IANA name (`Europe/Moscow`) or a fixed offset from UTC in minutes. */
export type HdeZone = string | number;

/**
 * The zone's offset from UTC in minutes at the instant `utcMs`.
 *
 * @throws RangeError when `zone` is not a time zone the runtime knows
 */
export function offsetMinutesAt(zone: HdeZone, utcMs: number): number {
  if (typeof zone === 'number') return zone;
  const parts = zoneFormatter(zone).formatToParts(new Date(utcMs));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((wall - Math.floor(utcMs / 1000) * 1000) / 60_000);
}

/**
 * The instant at which the zone's wall clock shows `wallAsUtcMs` (wall-clock fields encoded as if UTC).
 * In a DST gap or overlap the earlier reading's offset is used, as HDE gives no way to tell.
 */
export function wallClockToUtc(zone: HdeZone, wallAsUtcMs: number): number {
  if (typeof zone === 'number') return wallAsUtcMs - zone * 60_000;
  let guess = wallAsUtcMs - offsetMinutesAt(zone, wallAsUtcMs) * 60_000;
  // A second pass settles instants near an offset change.
  guess = wallAsUtcMs - offsetMinutesAt(zone, guess) * 60_000;
  return guess;
}

/** The zone's wall clock at `utcMs`, encoded as if UTC (read it with `getUTC*`). */
export function utcToWallClock(zone: HdeZone, utcMs: number): Date {
  return new Date(utcMs + offsetMinutesAt(zone, utcMs) * 60_000);
}
