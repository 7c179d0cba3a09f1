/**
 * One `Intl.DateTimeFormat` per IANA time zone, giving every calendar part a caller reads (weekday,
 * date, 24-hour time with seconds): building one costs about 100 µs, reading a date with it a few,
 * and the working hours, HDE's local dates and the settings' zone check all ask per job. Kept for
 * the zones seen, at most {@link MAX_ZONES} (anyone can type a zone name into a form).
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
const MAX_ZONES = 500;

/** The formatter of `timeZone`; throws a RangeError for a zone the runtime does not know. */
export function zoneFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    if (formatters.size >= MAX_ZONES) formatters.clear();
    formatters.set(timeZone, f);
  }
  return f;
}
