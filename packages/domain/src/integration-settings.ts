import { z } from 'zod';
import { WorkingHoursSchema } from './skill-settings';
import { zoneFormatter } from './zone-formatter';

/** Which tickets the bot works on; empty lists mean "all". */
export const ScopeSchema = z.object({
  /** HDE department ids. */
  departmentIds: z.array(z.number().int().positive()).default([]),
  /** Ticket channels (`source`), e.g. `email`, `telegram`. */
  sources: z.array(z.string().min(1)).default([]),
  /** Ticket tags; a ticket needs at least one of them. */
  tags: z.array(z.string().min(1)).default([]),
});
/** See {@link ScopeSchema}. */
export type Scope = z.infer<typeof ScopeSchema>;

/** What a hand-off does besides telling the customer and leaving a note. */
export const HandoffSettingsSchema = z.object({
  /**
   * Who gets the ticket: the integration's hand-off agent, its department (unassigned there), or the
   * agent of that department with the fewest open tickets.
   */
  target: z.enum(['agent', 'department', 'least_loaded']).default('agent'),
  /** Status to set on hand-off, e.g. `open`; unset leaves the status alone. */
  statusId: z.string().min(1).optional(),
  /** Tag to add on hand-off, e.g. `bot-handoff`. */
  tag: z.string().min(1).optional(),
});
/** See {@link HandoffSettingsSchema}. */
export type HandoffSettings = z.infer<typeof HandoffSettingsSchema>;

/** Longest quiet period `takeover.resumeAfterMinutes` accepts: a week. */
export const RESUME_AFTER_MAX_MINUTES = 7 * 24 * 60;

/** When the bot takes a ticket back after a human was involved. */
export const TakeoverSettingsSchema = z.object({
  /** The customer writes again after the ticket was closed: the bot answers again. */
  handBackOnReopen: z.boolean().default(true),
  /**
   * After a staff reply in HDE: `silent` — the bot stays silent on the ticket until it is closed
   * and reopened or returned in the admin app; `resume_after` — a customer message written
   * `resumeAfterMinutes` or more after the last staff reply is the bot's again. A ticket taken over
   * in the admin app, or handed off by the bot, stays with the humans either way.
   */
  afterAgentReply: z.enum(['silent', 'resume_after']).default('silent'),
  /** The quiet period of `resume_after`, in minutes. */
  resumeAfterMinutes: z.number().int().min(1).max(RESUME_AFTER_MAX_MINUTES).default(30),
});
/** See {@link TakeoverSettingsSchema}. */
export type TakeoverSettings = z.infer<typeof TakeoverSettingsSchema>;

/** One enrichment rule: when a turn's classification matches, set tags and custom fields. */
export const EnrichmentRuleSchema = z.object({
  when: z
    .object({
      intent: z.string().optional(),
      topic: z.string().optional(),
      language: z.string().optional(),
      tone: z.string().optional(),
    })
    .default({}),
  tags: z.array(z.string().min(1)).default([]),
  /** Custom field id → value (an option id for select fields). */
  customFields: z.record(z.string().regex(/^\d+$/), z.union([z.string(), z.number(), z.boolean()])).default({}),
});
/** See {@link EnrichmentRuleSchema}. */
export type EnrichmentRule = z.infer<typeof EnrichmentRuleSchema>;

// Answers already found. Building an Intl.DateTimeFormat costs tens of microseconds, and every parse
// of an integration's settings asks (several times per pipeline job); the names are few. Bounded all
// the same: anyone can type a zone name into a form.
const knownZones = new Map<string, boolean>();
const KNOWN_ZONES_MAX = 1000;

/** Whether `name` is an IANA time zone the runtime knows (e.g. `Europe/Moscow`). */
export function isTimeZone(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(name)) return false;
  const known = knownZones.get(name);
  if (known !== undefined) return known;
  let valid: boolean;
  try {
    zoneFormatter(name);
    valid = true;
  } catch {
    valid = false;
  }
  if (knownZones.size >= KNOWN_ZONES_MAX) knownZones.clear();
  knownZones.set(name, valid);
  return valid;
}

/** The time zone of an HDE account when none was chosen: most accounts run on Moscow time. */
export const DEFAULT_HDE_TIME_ZONE = 'Europe/Moscow';

/** Knowledge-base access levels of HDE articles. */
export const KB_ACCESS_LEVELS = ['public', 'user', 'staff'] as const;

/**
 * An integration's behaviour in HDE beyond its columns: scope, hand-off actions, takeover, enrichment
 * and working hours (which override the skill's). Stored as JSON on the integration.
 */
export const IntegrationSettingsSchema = z.object({
  scope: ScopeSchema.default({ departmentIds: [], sources: [], tags: [] }),
  handoff: HandoffSettingsSchema.default({ target: 'agent' }),
  takeover: TakeoverSettingsSchema.default({ handBackOnReopen: true, afterAgentReply: 'silent', resumeAfterMinutes: 30 }),
  enrichment: z.array(EnrichmentRuleSchema).default([]),
  workingHours: WorkingHoursSchema.nullable().default(null),
  /** Keep the skill's KB in step with this HDE account's knowledge base (articles of source `hde`). */
  kbSync: z
    .object({
      enabled: z.boolean().default(false),
      /**
       * Only articles of these HDE KB categories; empty means all but HDE's built-in ones (negative
       * ids: the agents' reply templates, the news), which are imported only when named here.
       */
      categoryIds: z
        .array(
          z
            .number()
            .int()
            .refine((id) => id !== 0, 'is not a category'),
        )
        .default([]),
      /**
       * Article access levels imported: only `public` unless the integration opts into more, since
       * whatever is imported may be quoted to a customer. Drafts (`show_me_only`) are never imported.
       */
      access: z.array(z.enum(KB_ACCESS_LEVELS)).min(1).default(['public']),
    })
    .default({ enabled: false, categoryIds: [], access: ['public'] }),
  /** A read of the ticket before sending is spent only when what we know of it is older than this (ms). */
  staleAfterMs: z
    .number()
    .int()
    .min(0)
    .default(10 * 60_000),
  /** IANA time zone of the HDE account: HDE sends and expects local times without an offset. */
  timeZone: z.string().refine(isTimeZone, 'unknown time zone').default(DEFAULT_HDE_TIME_ZONE),
  /**
   * HDE user ids of other bots and automations (dispatcher echoes, another integration): their posts
   * are neither a customer's message nor a human taking the ticket over.
   */
  automationUserIds: z.array(z.number().int().positive()).max(200).default([]),
});
/** See {@link IntegrationSettingsSchema}. */
export type IntegrationSettings = z.infer<typeof IntegrationSettingsSchema>;

/** Parses stored integration settings leniently: unknown or invalid parts fall back to defaults. */
export function parseIntegrationSettings(value: unknown): IntegrationSettings {
  const parsed = IntegrationSettingsSchema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  // Keep what is valid part by part, so one bad field does not switch off the rest.
  const raw = (value ?? {}) as Record<string, unknown>;
  const out = IntegrationSettingsSchema.parse({});
  for (const key of Object.keys(out) as Array<keyof IntegrationSettings>) {
    const one = IntegrationSettingsSchema.shape[key].safeParse(raw[key]);
    if (one.success) (out as Record<string, unknown>)[key] = one.data;
  }
  return out;
}

/** The tags and custom fields every matching rule sets for a classification. */
export function enrichmentFor(
  rules: EnrichmentRule[],
  c: { intent: string; topic?: string; language: string; tone: string },
): { tags: string[]; customFields: Record<string, string | number | boolean> } {
  const tags = new Set<string>();
  const customFields: Record<string, string | number | boolean> = {};
  for (const rule of rules) {
    const w = rule.when;
    if (w.intent && w.intent !== c.intent) continue;
    if (w.topic && w.topic !== c.topic) continue;
    if (w.language && w.language !== c.language) continue;
    if (w.tone && w.tone !== c.tone) continue;
    rule.tags.forEach((t) => tags.add(t));
    Object.assign(customFields, rule.customFields);
  }
  return { tags: [...tags], customFields };
}
