import { zoneFormatter, type Language, type WorkingHours } from '@repo/domain';
import { replyLanguageOf } from './localise';

/** Local calendar facts of an instant in a time zone. */
type LocalTime = { isoWeekday: number; minutes: number; dateKey: string };

function localTime(now: Date, timeZone: string): LocalTime {
  const parts = zoneFormatter(timeZone).formatToParts(now);
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  const weekdays = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
  return {
    isoWeekday: weekdays.indexOf(get('weekday')) + 1,
    minutes: Number(get('hour')) * 60 + Number(get('minute')),
    dateKey: `${get('year')}-${get('month')}-${get('day')}`,
  };
}

function toMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** True when `now` falls within the working hours (on a working day, from ≤ time < to, local time). */
export function isWithinWorkingHours(hours: WorkingHours, now: Date): boolean {
  const t = localTime(now, hours.timezone);
  return hours.days.includes(t.isoWeekday) && t.minutes >= toMinutes(hours.from) && t.minutes < toMinutes(hours.to);
}

/** When agents are next at work: how many local days ahead, that day's ISO weekday, and the time. */
export type NextOpening = { daysAhead: number; isoWeekday: number; time: string };

/** The next start of working hours after `now` (today's when it is still ahead), or undefined if no days are set. */
export function nextOpening(hours: WorkingHours, now: Date): NextOpening | undefined {
  const t = localTime(now, hours.timezone);
  for (let d = 0; d <= 7; d++) {
    const weekday = ((t.isoWeekday - 1 + d) % 7) + 1;
    if (!hours.days.includes(weekday)) continue;
    if (d === 0 && t.minutes >= toMinutes(hours.from)) continue;
    return { daysAhead: d, isoWeekday: weekday, time: hours.from };
  }
  return undefined;
}

const DAY_NAMES = {
  ru: {
    short: ['Пн', 'Вт', 'Ср', 'Чт', 'Пт', 'Сб', 'Вс'],
    on: ['в понедельник', 'во вторник', 'в среду', 'в четверг', 'в пятницу', 'в субботу', 'в воскресенье'],
    today: 'сегодня',
    tomorrow: 'завтра',
    at: 'в',
  },
  uk: {
    short: ['Пн', 'Вт', 'Ср', 'Чт', 'Пт', 'Сб', 'Нд'],
    on: ['у понеділок', 'у вівторок', 'у середу', 'у четвер', 'у пʼятницю', 'у суботу', 'у неділю'],
    today: 'сьогодні',
    tomorrow: 'завтра',
    at: 'о',
  },
  en: {
    short: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
    on: ['on Monday', 'on Tuesday', 'on Wednesday', 'on Thursday', 'on Friday', 'on Saturday', 'on Sunday'],
    today: 'today',
    tomorrow: 'tomorrow',
    at: 'at',
  },
} as const;

const ZONE_NAMES: Record<string, { ru: string; uk: string; en: string }> = {
  'Europe/Moscow': { ru: 'по Москве', uk: 'за московським часом', en: 'Moscow time' },
  'Europe/Kiev': { ru: 'по Киеву', uk: 'за київським часом', en: 'Kyiv time' },
  'Europe/Kyiv': { ru: 'по Киеву', uk: 'за київським часом', en: 'Kyiv time' },
};

/** Compresses ISO weekdays into ranges: [1,2,3,4,5] → "Пн–Пт", [1,3] → "Пн, Ср". */
function dayRanges(days: number[], names: readonly string[]): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && (sorted[j + 1] as number) === (sorted[j] as number) + 1) j++;
    const a = names[(sorted[i] as number) - 1] ?? '';
    const b = names[(sorted[j] as number) - 1] ?? '';
    out.push(j - i >= 2 ? `${a}–${b}` : j > i ? `${a}, ${b}` : a);
    i = j + 1;
  }
  return out.join(', ');
}

/** The working hours as a phrase: "Пн–Пт 09:00–18:00 (по Москве)", "Mon–Fri 09:00–18:00 (Moscow time)". */
export function describeWorkingHours(hours: WorkingHours, language: Language): string {
  const lang = replyLanguageOf(language);
  const zone = ZONE_NAMES[hours.timezone]?.[lang] ?? hours.timezone;
  return `${dayRanges(hours.days, DAY_NAMES[lang].short)} ${hours.from}–${hours.to} (${zone})`;
}

/** The next opening as a phrase: "завтра в 09:00", "в понедельник в 09:00", "today at 09:00". */
export function describeNextOpening(opening: NextOpening, language: Language): string {
  const names = DAY_NAMES[replyLanguageOf(language)];
  const day = opening.daysAhead === 0 ? names.today : opening.daysAhead === 1 ? names.tomorrow : names.on[opening.isoWeekday - 1];
  return `${day} ${names.at} ${opening.time}`;
}
