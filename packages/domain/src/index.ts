export { WebhookBodySchema, normaliseTag, normaliseId } from './webhook';
export { INTENTS, DECISION_REASONS } from './ai-types';
export { eventIdOf, postEventIdOf } from './ids';
export {
  eventFromWebhookBody,
  eventFromPost,
  intakeEventId,
  normaliseMessageText,
  sanitiseString,
  cutText,
  isUnexpandedTag,
  toStoredPayload,
  readStoredEvent,
  StoredEventPayloadSchema,
} from './intake-event';
export type { IntakeEvent, IntakeSource, WebhookBodyInput, StoredEventPayload, TypedEvent } from './intake-event';
export { OPTIONAL_WEBHOOK_FIELDS, WEBHOOK_BODY_TEMPLATE, webhookUrl } from './webhook-setup';
export { AppError, ensureError, assertNever } from './errors';
export type { WebhookBody, WebhookEvent, ParseStatus } from './webhook';
export type { Intent, Language, Tone, Classification, TopicCandidate, KbHit, DecisionAction, DecisionReason, Decision } from './ai-types';
export type { AppErrorOptions } from './errors';
export { SkillSettingsSchema, TopicSchema, WorkingHoursSchema, parseSkillSettings } from './skill-settings';
export type { SkillSettings, Topic, WorkingHours, Localised } from './skill-settings';
export {
  IntegrationSettingsSchema,
  ScopeSchema,
  HandoffSettingsSchema,
  TakeoverSettingsSchema,
  EnrichmentRuleSchema,
  parseIntegrationSettings,
  enrichmentFor,
  isTimeZone,
  DEFAULT_HDE_TIME_ZONE,
  KB_ACCESS_LEVELS,
  RESUME_AFTER_MAX_MINUTES,
} from './integration-settings';
export { zoneFormatter } from './zone-formatter';
export type { IntegrationSettings, Scope, HandoffSettings, TakeoverSettings, EnrichmentRule } from './integration-settings';
export { KB_LEXICON, ENGLISH_STOP_WORDS, RUSSIAN_STOP_WORDS } from './kb-lexicon';
export { DECISION_WORDS, decisionWord } from './decision-words';
export { EVENT_OUTCOME_WORDS, eventOutcomeWord } from './event-outcome-words';
export type { EventOutcome } from './event-outcome-words';
export type { CodeWords } from './decision-words';
export { trimTrailingSlashes } from './trailing-slashes';
export { HTML_TEXT_MAX_DEPTH } from './html-depth';
export { hdeAccountUrl, MAX_HDE_ADDRESS_CHARS } from './hde-account-url';
export { DEFAULT_RATE_LIMIT_PER_MINUTE, HDE_ACCOUNT_LIMIT_PER_MINUTE, MAX_RATE_LIMIT_PER_MINUTE } from './hde-rate-limit';
