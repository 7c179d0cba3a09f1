// HDE mixes several date formats (hde-api.md §3) and renders them in the account's timezone, so
// every formatter takes the account's UTC offset instead of using the process timezone.

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function shifted(ms: number, offsetMinutes: number): Date {
  return new Date(ms + offsetMinutes * 60_000);
}

/** Ticket, user and KB dates: `YYYY-MM-DD HH:MM:SS`. */
export function formatTicketDate(ms: number, offsetMinutes: number): string {
  const d = shifted(ms, offsetMinutes);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  );
}

/** Post and comment dates, and the dispatcher's `{last_post_date}`: `HH:MM:SS DD.MM.YYYY`. */
export function formatPostDate(ms: number, offsetMinutes: number): string {
  const d = shifted(ms, offsetMinutes);
  return (
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ` +
    `${pad(d.getUTCDate())}.${pad(d.getUTCMonth() + 1)}.${d.getUTCFullYear()}`
  );
}

/** SLA and freeze dates: `DD.MM.YYYY HH:MM`. */
export function formatSlaDate(ms: number, offsetMinutes: number): string {
  const d = shifted(ms, offsetMinutes);
  return `${pad(d.getUTCDate())}.${pad(d.getUTCMonth() + 1)}.${d.getUTCFullYear()} ` + `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

const TICKET_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * Parses a list filter date (`YYYY-MM-DD HH:MM:SS`, time optional) given in the account's timezone.
 * Returns epoch milliseconds, or `undefined` when the text is not such a date.
 */
export function parseTicketDate(text: string, offsetMinutes: number): number | undefined {
  const m = TICKET_DATE.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m;
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0));
  return Number.isNaN(utc) ? undefined : utc - offsetMinutes * 60_000;
}
