import { z } from 'zod';

const Localised = z.object({ ru: z.string(), en: z.string(), uk: z.string().optional() });
/** Text in the languages the consultant speaks; `uk` falls back to `ru` when absent. */
export type Localised = z.infer<typeof Localised>;

/** A topic of the skill: how the classifier recognises it. */
export const TopicSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  keywords: z.array(z.string()).default([]),
  examples: z.array(z.string()).default([]),
});
/** One of the skill's own categories. */
export type Topic = z.infer<typeof TopicSchema>;

/** Working hours of the live agents, used to tell a handed-off customer when to expect a human. */
export const WorkingHoursSchema = z.object({
  /** IANA time zone, e.g. Europe/Moscow. */
  timezone: z.string().default('Europe/Moscow'),
  /** ISO weekdays 1 (Monday) to 7 (Sunday). */
  days: z.array(z.number().int().min(1).max(7)).default([1, 2, 3, 4, 5]),
  /** `HH:MM`, local time. */
  from: z
    .string()
    .regex(/^\d{2}:\d{2}$/)
    .default('09:00'),
  to: z
    .string()
    .regex(/^\d{2}:\d{2}$/)
    .default('18:00'),
});
/** See {@link WorkingHoursSchema}. */
export type WorkingHours = z.infer<typeof WorkingHoursSchema>;

/**
 * A skill's policy: how sure the bot must be to answer, when it must hand off, and what it says.
 * Stored as JSON on the skill; every field has a default so an empty object is a working policy.
 */
export const SkillSettingsSchema = z.object({
  /**
   * Minimum normalised KB score (0..1) to answer instead of handing off. 0.3 is calibrated on the
   * retrieval evaluation set (see packages/store/README.md): about 7 right answers per wrong one,
   * and few questions the knowledge base does not cover answered.
   */
  confidenceThreshold: z.number().min(0).max(1).default(0.3),
  /** Hand off after this many bot replies in one ticket. */
  maxBotReplies: z.number().int().min(0).default(5),
  /** Hand off when the customer's tone is negative. */
  handoffOnNegativeTone: z.boolean().default(true),
  /** Answer mode: quote the KB, or generate with the configured LLM (falls back to quoting). */
  answerMode: z.enum(['extractive', 'llm']).default('extractive'),
  /** Ask one clarifying question when two topics are about equally likely. */
  clarifyOnAmbiguity: z.boolean().default(false),
  greeting: Localised.default({ ru: 'Здравствуйте!', en: 'Hello!' }),
  signoff: Localised.default({
    ru: 'Если остались вопросы, напишите, и я позову оператора.',
    en: 'If you have more questions, write back and I will call an operator.',
  }),
  /** The skill's categories, for topic classification and scope. */
  topics: z.array(TopicSchema).default([]),
  /** Topics the bot never answers, however confident it is: they always go to a human. */
  blockedTopics: z.array(TopicSchema).default([]),
  /** Groups of words that mean the same thing in this company's KB. */
  synonyms: z.array(z.array(z.string().min(1)).min(2)).default([]),
  workingHours: WorkingHoursSchema.nullable().default(null),
  /** Overrides of the customer notice per hand-off reason code. */
  handoffMessages: z.record(z.string(), Localised).default({}),
});
/** A skill's parsed policy. */
export type SkillSettings = z.infer<typeof SkillSettingsSchema>;

/** Parses stored skill settings, filling defaults. Invalid stored JSON throws. */
export function parseSkillSettings(value: unknown): SkillSettings {
  return SkillSettingsSchema.parse(value ?? {});
}
