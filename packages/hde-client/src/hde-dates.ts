/**
 * HDE sends local wall-clock times without an offset, in several formats depending on the object
 * (hde-api.md §3). The account's time zone is not in the API, so callers pass it: an IANA name
 * (what an integration stores) or a fixed offset in minutes.
 */
import { utcToWallClock, wallClockToUtc, type HdeZone } from './time-zone';

/** Moscow time (UTC+3, no DST since 2014): where most HDE accounts live. */
export const DEFAULT_HDE_TZ_OFFSET_MINUTES = 180;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

// `YYYY-MM-DD HH:MM[:SS]` (tickets, users, KB, list filters); the date-only form appears in custom fields.
const YMD = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/;
// `HH:MM[:SS] DD.MM.YYYY` (posts, comments).
const TIME_FIRST = /^(\d{1,2}):(\d{2})(?::(\d{2}))? (\d{1,2})\.(\d{1,2})\.(\d{4})$/;
// `DD.MM.YYYY[ HH:MM[:SS]]` (sla_date, freeze_date, UI).
const DATE_FIRST = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
// ISO 8601 with an explicit zone: the instant is already known.
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/** Values HDE uses for "no date". */
const EMPTY = new Set(['', 'null', '0', '0000-00-00', '0000-00-00 00:00:00', '00.00.0000 00:00']);

type Parts = { year: number; month: number; day: number; hour: number; minute: number; second: number };

function toDate(p: Parts, zone: HdeZone): Date | null {
  if (p.month < 1 || p.month > 12 || p.day < 1 || p.hour > 23 || p.minute > 59 || p.second > 59) return null;
  const utc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  // Date.UTC rolls 31.02 over into March; a rolled-over date is not the one HDE meant.
  const check = new Date(utc);
  if (check.getUTCDate() !== p.day || check.getUTCMonth() !== p.month - 1) return null;
  return new Date(wallClockToUtc(zone, utc));
}

const num = (s: string | undefined): number => (s === undefined ? 0 : Number(s));

/**
 * Parses any date HDE sends into an instant.
 *
 * Accepts `YYYY-MM-DD HH:MM:SS` (tickets, users), `HH:MM:SS DD.MM.YYYY` (posts, comments),
 * `DD.MM.YYYY HH:MM` (SLA and freeze dates), their variants without seconds, date-only forms,
 * ISO 8601 (with a zone it wins over `zone`) and Unix seconds as a number.
 *
 * @param value - the raw field value; anything unparseable, empty, `"null"` or a zero date gives `null`
 * @param zone - the account's time zone (HDE sends local times): an IANA name, or an offset in minutes (+180 = Moscow)
 * @throws RangeError when `zone` is an unknown time-zone name
 */
export function parseHdeDate(value: unknown, zone: HdeZone = DEFAULT_HDE_TZ_OFFSET_MINUTES): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === 'number') {
    // Unix seconds; 0 is HDE's "never".
    return Number.isFinite(value) && value > 0 ? new Date(value * 1000) : null;
  }
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (EMPTY.has(text.toLowerCase())) return null;

  if (ISO_WITH_ZONE.test(text)) {
    const d = new Date(text);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  let m = YMD.exec(text);
  if (m) {
    return toDate({ year: num(m[1]), month: num(m[2]), day: num(m[3]), hour: num(m[4]), minute: num(m[5]), second: num(m[6]) }, zone);
  }
  m = TIME_FIRST.exec(text);
  if (m) {
    return toDate({ hour: num(m[1]), minute: num(m[2]), second: num(m[3]), day: num(m[4]), month: num(m[5]), year: num(m[6]) }, zone);
  }
  m = DATE_FIRST.exec(text);
  if (m) {
    return toDate({ day: num(m[1]), month: num(m[2]), year: num(m[3]), hour: num(m[4]), minute: num(m[5]), second: num(m[6]) }, zone);
  }
  return null;
}

/**
 * Formats an instant as HDE's list filters expect it (`YYYY-MM-DD HH:MM:SS`, account local time),
 * e.g. for `from_date_updated`.
 *
 * @param zone - the account's time zone: an IANA name, or an offset in minutes (+180 = Moscow)
 */
export function formatHdeDate(date: Date, zone: HdeZone = DEFAULT_HDE_TZ_OFFSET_MINUTES): string {
  if (Number.isNaN(date.getTime())) throw new RangeError('Invalid date');
  const local = utcToWallClock(zone, date.getTime());
  return (
    `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())} ` +
    `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`
  );
}

/**
 * Formats an instant as HDE writes post and comment dates (`HH:MM:SS DD.MM.YYYY`, account local
 * time), the form the dispatcher's `{last_post_date}` carries.
 */
export function formatHdePostDate(date: Date, zone: HdeZone = DEFAULT_HDE_TZ_OFFSET_MINUTES): string {
  if (Number.isNaN(date.getTime())) throw new RangeError('Invalid date');
  const l = utcToWallClock(zone, date.getTime());
  return `${pad(l.getUTCHours())}:${pad(l.getUTCMinutes())}:${pad(l.getUTCSeconds())} ${pad(l.getUTCDate())}.${pad(l.getUTCMonth() + 1)}.${pad(l.getUTCFullYear(), 4)}`;
}
