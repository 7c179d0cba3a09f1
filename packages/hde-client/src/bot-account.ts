import type { HdeClient } from './hde-client';
import type { HdeUser } from './hde-types';
import { parseHdeDate } from './hde-dates';
import { offsetMinutesAt } from './time-zone';

/** Why an account entered as the bot's is risky; each is shown to the person setting up. */
export type BotAccountWarning =
  /** The account is in HDE's administrators group: usually a person, not a dedicated bot. */
  | 'administrator'
  /** Open tickets are assigned to the account: a person who answers tickets uses it. */
  | 'answers_tickets';

/** What setup learns about the account whose e-mail and API key were entered. */
export type BotAccount = { user: HdeUser; warnings: BotAccountWarning[]; openTickets: number };

/** Why the entered account cannot be the bot's at all. */
export type BotAccountProblem = 'not_found' | 'not_staff';

// HDE's built-in administrators group (`group.id` 2, «Администратор» in PHP SDK samples).
const ADMIN_GROUP_ID = 2;

/**
 * Finds the account the entered e-mail belongs to and judges whether it fits as the bot's own:
 * the bot's posts are told from people's by their author, so the account must be a dedicated staff
 * agent nobody writes from by hand. Costs three requests at most (user search, one ticket page and the status list).
 */
export async function inspectBotAccount(
  hde: Pick<HdeClient, 'findUserByEmail' | 'listTickets' | 'listStatuses'>,
  email: string,
): Promise<BotAccount | { problem: BotAccountProblem }> {
  const user = await hde.findUserByEmail(email);
  if (!user) return { problem: 'not_found' };
  if (!user.isStaff) return { problem: 'not_staff' };
  const warnings: BotAccountWarning[] = [];
  if (user.group?.id === ADMIN_GROUP_ID || /администратор|administrator/i.test(user.group?.name.ru ?? user.group?.name.en ?? ''))
    warnings.push('administrator');
  const statusList = (await hde.listStatuses()).map((s) => s.id).filter((id) => id !== 'closed');
  const open = await hde.listTickets({ ownerList: [user.id], statusList });
  // `owner_list` is not always honoured (hde-api.md §4.1): count only tickets really owned.
  const owned = open.items.filter((t) => t.ownerId === user.id).length;
  const openTickets = owned === open.items.length ? open.pagination.total : owned;
  if (openTickets > 0) warnings.push('answers_tickets');
  return { user, warnings, openTickets };
}

/** What the account's own dates say about its time zone. */
export type TimeZoneCheck = {
  /** The newest ticket update is later than the chosen zone allows: the zone is surely wrong. */
  contradicts: boolean;
  /** A whole-hour offset (minutes east of UTC) HDE's dates suggest, when they suggest one. */
  suggestedOffsetMinutes?: number;
  /** IANA zones at that offset now, Russian ones first. */
  suggestedZones: string[];
};

const PREFERRED_ZONES = [
  'Europe/Kaliningrad',
  'Europe/Moscow',
  'Europe/Samara',
  'Asia/Yekaterinburg',
  'Asia/Omsk',
  'Asia/Novosibirsk',
  'Asia/Krasnoyarsk',
  'Asia/Irkutsk',
  'Asia/Yakutsk',
  'Asia/Vladivostok',
  'Asia/Magadan',
  'Asia/Kamchatka',
  'Europe/Minsk',
  'Asia/Almaty',
  'Asia/Tashkent',
  'Europe/Kiev',
  'Asia/Tbilisi',
  'Asia/Yerevan',
  'Asia/Baku',
  'UTC',
];

/** IANA zones whose offset is `offsetMinutes` at `atMs`. */
export function zonesAtOffset(offsetMinutes: number, atMs: number): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const candidates = [...PREFERRED_ZONES, ...all.filter((z) => !PREFERRED_ZONES.includes(z))];
  const out: string[] = [];
  for (const zone of candidates) {
    try {
      if (offsetMinutesAt(zone, atMs) === offsetMinutes) out.push(zone);
    } catch {
      // A zone this runtime does not know.
    }
    if (out.length >= 5) break;
  }
  return out;
}

/**
 * Derives a hint about the account's time zone from HDE's own dates: the API has no zone, but the
 * newest ticket update, read as wall-clock time, can be no later than "now" in the account's zone.
 * So it gives a lower bound of the offset: beyond the chosen zone's, the choice is surely wrong; just
 * under a whole hour (a ticket updated minutes ago), that hour is likely. One request.
 *
 * @param hdeAtUtc - a client built with `tzOffsetMinutes: 0`, so that dates come back as wall clocks
 */
export async function checkTimeZone(hdeAtUtc: Pick<HdeClient, 'listTickets'>, timeZone: string, now = Date.now()): Promise<TimeZoneCheck> {
  const page = await hdeAtUtc.listTickets({ orderBy: 'date_updated{desc}' });
  const walls = page.items.map((t) => t.dateUpdated?.getTime()).filter((v): v is number => v !== undefined);
  if (walls.length === 0) return { contradicts: false, suggestedZones: [] };
  const lowerBound = (Math.max(...walls) - now) / 60_000;
  const chosen = offsetMinutesAt(timeZone, now);
  // Two minutes for clocks that disagree.
  const contradicts = lowerBound > chosen + 2;
  const nextHour = Math.ceil(lowerBound / 60) * 60;
  const recent = nextHour - lowerBound <= 10;
  const suggested = contradicts ? nextHour : recent && nextHour !== chosen ? nextHour : undefined;
  if (suggested === undefined || suggested < -720 || suggested > 840) return { contradicts, suggestedZones: [] };
  return { contradicts, suggestedOffsetMinutes: suggested, suggestedZones: zonesAtOffset(suggested, now) };
}

/** Webhooks needed before their dates say anything of the account's zone. */
const ZONE_SAMPLES_MIN = 5;

/**
 * Reads the account's zone off the webhooks it sent: each post's date (`{last_post_date}`, a wall
 * clock in the account's zone) against when the webhook arrived. A webhook comes seconds after its
 * post, so the median of wall clock minus arrival is the account's offset; one that is 50 minutes
 * or more from the chosen zone's means the zone is wrong (the sweep's window, working hours and
 * dates on the dialog pages all read it). Undefined with fewer than five dated webhooks.
 */
export function checkTimeZoneFromWebhooks(
  samples: ReadonlyArray<{ postedAtText: string; receivedAt: Date }>,
  timeZone: string,
  now = Date.now(),
): TimeZoneCheck | undefined {
  const estimates = samples
    .map((s) => {
      const wall = parseHdeDate(s.postedAtText, 0);
      return wall === null ? undefined : (wall.getTime() - s.receivedAt.getTime()) / 60_000;
    })
    .filter((v): v is number => v !== undefined)
    .sort((a, b) => a - b);
  if (estimates.length < ZONE_SAMPLES_MIN) return undefined;
  const median = estimates[Math.floor(estimates.length / 2)]!;
  const chosen = offsetMinutesAt(timeZone, now);
  if (Math.abs(median - chosen) < 50) return { contradicts: false, suggestedZones: [] };
  // Whole hours, or half hours for the zones that have them (India, Iran, parts of Australia).
  const suggested = Math.round(median / 30) * 30 || 0; // never -0
  if (suggested < -720 || suggested > 840) return { contradicts: true, suggestedZones: [] };
  return { contradicts: true, suggestedOffsetMinutes: suggested, suggestedZones: zonesAtOffset(suggested, now) };
}
