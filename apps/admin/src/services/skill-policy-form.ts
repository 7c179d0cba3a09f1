import { isTimeZone, SkillSettingsSchema, type SkillSettings, type Topic } from '@repo/domain';
import type { MessageKey } from '../i18n/messages';
import type { FieldErrors } from '../views/form-field';
import { fieldErrorsOf } from './form-errors';

/**
 * The policy form's fields, flat: `name → value` as the browser posts them (`greeting.ru`,
 * `topics.0.keywords`, repeated `workingHours.days`). The form is drawn from this map both from the
 * stored policy and from what was typed, so a failed save shows exactly what the admin entered.
 */
export type PolicyValues = Record<string, string | string[]>;

/** Languages of the greeting, sign-off and hand-off notices (`uk` may stay empty: it falls back to `ru`). */
export const POLICY_LANGUAGES = ['ru', 'en', 'uk'] as const;

/** Which message each field's error shows (the rule the field must follow). */
const FIELD_MESSAGES: Partial<Record<string, MessageKey>> = {
  confidenceThreshold: 'policy.err.threshold',
  maxBotReplies: 'policy.err.maxBotReplies',
  answerMode: 'error.invalid',
  'workingHours.timezone': 'policy.err.timezone',
  'workingHours.days': 'policy.err.days',
  'workingHours.from': 'policy.err.time',
  'workingHours.to': 'policy.err.time',
  synonyms: 'policy.err.synonyms',
};

const lines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
const commaList = (text: string) =>
  text
    .split(',')
    .map((w) => w.trim())
    .filter(Boolean);

function one(values: PolicyValues, name: string): string {
  const v = values[name];
  return (Array.isArray(v) ? (v[v.length - 1] ?? '') : (v ?? '')).trim();
}

function many(values: PolicyValues, name: string): string[] {
  const v = values[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** The row numbers of a repeated group (`topics.3.id` → 3) present in the values, in order. */
export function rowsOf(values: PolicyValues, prefix: string): number[] {
  const found = new Set<number>();
  const re = new RegExp(`^${prefix.replace('.', '\\.')}\\.(\\d{1,3})\\.`);
  for (const key of Object.keys(values)) {
    const m = re.exec(key);
    if (m) found.add(Number(m[1]));
  }
  return [...found].sort((a, b) => a - b);
}

/** A number field: empty or not a number stays `NaN`, so the schema reports it instead of a silent 0. */
function numberOf(text: string): number {
  return text === '' ? Number.NaN : Number(text.replace(',', '.'));
}

/** The stored policy as form values. */
export function policyToValues(s: SkillSettings): PolicyValues {
  const v: PolicyValues = {
    confidenceThreshold: String(s.confidenceThreshold),
    maxBotReplies: String(s.maxBotReplies),
    answerMode: s.answerMode,
    synonyms: s.synonyms.map((g) => g.join(', ')).join('\n'),
  };
  if (s.handoffOnNegativeTone) v.handoffOnNegativeTone = '1';
  if (s.clarifyOnAmbiguity) v.clarifyOnAmbiguity = '1';
  for (const lang of POLICY_LANGUAGES) {
    v[`greeting.${lang}`] = s.greeting[lang] ?? '';
    v[`signoff.${lang}`] = s.signoff[lang] ?? '';
  }
  if (s.workingHours) {
    v['workingHours.enabled'] = '1';
    v['workingHours.timezone'] = s.workingHours.timezone;
    v['workingHours.days'] = s.workingHours.days.map(String);
    v['workingHours.from'] = s.workingHours.from;
    v['workingHours.to'] = s.workingHours.to;
  }
  const topicRows = (prefix: string, topics: Topic[]) =>
    topics.forEach((topic, i) => {
      v[`${prefix}.${i}.id`] = topic.id;
      v[`${prefix}.${i}.name`] = topic.name;
      v[`${prefix}.${i}.keywords`] = topic.keywords.join(', ');
      v[`${prefix}.${i}.examples`] = topic.examples.join('\n');
    });
  topicRows('topics', s.topics);
  topicRows('blockedTopics', s.blockedTopics);
  Object.entries(s.handoffMessages).forEach(([code, text], i) => {
    v[`handoffMessages.${i}.code`] = code;
    for (const lang of POLICY_LANGUAGES) v[`handoffMessages.${i}.${lang}`] = text[lang] ?? '';
  });
  return v;
}

/** The posted form's own fields (the CSRF token left out). */
export function postedValues(body: unknown): PolicyValues {
  const out: PolicyValues = {};
  for (const [k, v] of Object.entries((body ?? {}) as Record<string, unknown>)) {
    if (k === '_csrf') continue;
    if (typeof v === 'string') out[k] = v;
    else if (Array.isArray(v)) out[k] = v.filter((x): x is string => typeof x === 'string');
  }
  return out;
}

/**
 * Reads the posted form into a policy and checks it with {@link SkillSettingsSchema}, the schema the
 * pipeline parses the stored policy with. Errors are keyed by the form's field names.
 */
export function parsePolicyForm(values: PolicyValues): { ok: true; settings: SkillSettings } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const localised = (prefix: string) => {
    const uk = one(values, `${prefix}.uk`);
    return { ru: one(values, `${prefix}.ru`), en: one(values, `${prefix}.en`), ...(uk ? { uk } : {}) };
  };
  // A row left blank (the spare row at the end, or one the admin emptied) is no topic.
  const topicRows = (prefix: string) =>
    rowsOf(values, prefix)
      .map((i) => ({
        i,
        topic: {
          id: one(values, `${prefix}.${i}.id`),
          name: one(values, `${prefix}.${i}.name`),
          keywords: commaList(one(values, `${prefix}.${i}.keywords`)),
          examples: lines(one(values, `${prefix}.${i}.examples`)),
        },
      }))
      .filter(({ topic }) => topic.id || topic.name || topic.keywords.length > 0 || topic.examples.length > 0);
  const topics = topicRows('topics');
  const blocked = topicRows('blockedTopics');
  for (const [prefix, rows] of [
    ['topics', topics],
    ['blockedTopics', blocked],
  ] as const)
    for (const { i, topic } of rows) {
      if (!topic.id) errors[`${prefix}.${i}.id`] = 'policy.err.required';
      if (!topic.name) errors[`${prefix}.${i}.name`] = 'policy.err.required';
    }

  const handoffMessages: SkillSettings['handoffMessages'] = {};
  for (const i of rowsOf(values, 'handoffMessages')) {
    const code = one(values, `handoffMessages.${i}.code`);
    const text = localised(`handoffMessages.${i}`);
    if (!code && !text.ru && !text.en && !text.uk) continue;
    if (!/^[a-z_]{1,40}$/.test(code) || code in handoffMessages) errors[`handoffMessages.${i}.code`] = 'policy.err.code';
    else handoffMessages[code] = text;
  }

  const hoursOn = one(values, 'workingHours.enabled') === '1';
  const timezone = one(values, 'workingHours.timezone');
  if (hoursOn && !isTimeZone(timezone)) errors['workingHours.timezone'] = 'policy.err.timezone';

  const candidate = {
    confidenceThreshold: numberOf(one(values, 'confidenceThreshold')),
    maxBotReplies: numberOf(one(values, 'maxBotReplies')),
    handoffOnNegativeTone: one(values, 'handoffOnNegativeTone') === '1',
    answerMode: one(values, 'answerMode'),
    clarifyOnAmbiguity: one(values, 'clarifyOnAmbiguity') === '1',
    greeting: localised('greeting'),
    signoff: localised('signoff'),
    topics: topics.map((r) => r.topic),
    blockedTopics: blocked.map((r) => r.topic),
    synonyms: lines(one(values, 'synonyms')).map(commaList),
    workingHours: hoursOn
      ? {
          timezone,
          days: many(values, 'workingHours.days').map(Number),
          from: one(values, 'workingHours.from'),
          to: one(values, 'workingHours.to'),
        }
      : null,
    handoffMessages,
  };
  const parsed = SkillSettingsSchema.safeParse(candidate);
  if (!parsed.success) {
    const schemaErrors = fieldErrorsOf(parsed.error, FIELD_MESSAGES);
    // Topic rows are numbered as posted, not as kept: their own checks above already cover them.
    for (const [field, key] of Object.entries(schemaErrors)) if (!/^(topics|blockedTopics)\./.test(field)) errors[field] ??= key;
  }
  if (hoursOn && many(values, 'workingHours.days').length === 0) errors['workingHours.days'] = 'policy.err.days';
  if (Object.keys(errors).length > 0 || !parsed.success)
    return { ok: false, errors: Object.keys(errors).length ? errors : { _form: 'error.invalid' } };
  return { ok: true, settings: parsed.data };
}
