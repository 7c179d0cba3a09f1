import type { DecisionReason, Language, SkillSettings, TopicCandidate } from '@repo/domain';
import { pickLocalised, replyLanguageOf, type ReplyLanguage } from './localise';
import { paragraph } from './safe-html';
import { describeNextOpening, describeWorkingHours, isWithinWorkingHours, nextOpening } from './working-hours';

type Texts = Record<ReplyLanguage, string>;

/** What the customer is told first, by the kind of hand-off. */
const OPENERS: Record<'operator' | 'complaint' | 'attachment' | 'policy' | 'repeated' | 'not_found' | 'generic', Texts> = {
  operator: {
    ru: 'Хорошо, передаю ваше обращение оператору.',
    uk: 'Добре, передаю ваше звернення оператору.',
    en: 'Sure, I am passing your request to an operator.',
  },
  complaint: {
    ru: 'Сожалеем, что так вышло. Передаю ваше обращение сотруднику, он разберётся.',
    uk: 'Шкодуємо, що так сталося. Передаю ваше звернення співробітнику, він розбереться.',
    en: 'We are sorry about this. I am passing your message to a member of our team who will sort it out.',
  },
  attachment: {
    ru: 'Спасибо, файл получен. Передаю его оператору, чтобы он посмотрел.',
    uk: 'Дякуємо, файл отримано. Передаю його оператору, щоб він переглянув.',
    en: 'Thank you, we have received your file. I am passing it to an operator to look at.',
  },
  policy: {
    ru: 'По этому вопросу вам ответит сотрудник. Передаю обращение оператору.',
    uk: 'На це питання вам відповість співробітник. Передаю звернення оператору.',
    en: 'A member of our team will answer this question. I am passing it to an operator.',
  },
  repeated: {
    ru: 'Похоже, мой ответ не помог. Передаю вопрос оператору.',
    uk: 'Схоже, моя відповідь не допомогла. Передаю питання оператору.',
    en: 'It looks like my answer did not help. I am passing your question to an operator.',
  },
  not_found: {
    ru: 'Я не нашёл точного ответа в базе знаний, поэтому передаю вопрос оператору.',
    uk: 'Я не знайшов точної відповіді в базі знань, тому передаю питання оператору.',
    en: 'I could not find a reliable answer in our knowledge base, so I am passing your question to an operator.',
  },
  generic: {
    ru: 'Передаю ваше обращение оператору.',
    uk: 'Передаю ваше звернення оператору.',
    en: 'I am passing your request to an operator.',
  },
};

const SOON: Texts = {
  ru: 'Он ответит вам в ближайшее время.',
  uk: 'Він відповість вам найближчим часом.',
  en: 'They will reply to you shortly.',
};
const OUTSIDE: Record<ReplyLanguage, (hours: string, next: string) => string> = {
  ru: (h, n) => `Наши операторы работают ${h}. Мы ответим, как только начнётся рабочее время: ${n}.`,
  uk: (h, n) => `Наші оператори працюють ${h}. Ми відповімо, щойно почнеться робочий час: ${n}.`,
  en: (h, n) => `Our operators work ${h}. We will reply as soon as they are back: ${n}.`,
};

function openerKind(reasons: DecisionReason[]): keyof typeof OPENERS {
  const has = (r: DecisionReason): boolean => reasons.includes(r);
  if (has('operator_requested')) return 'operator';
  if (has('complaint') || has('negative_tone')) return 'complaint';
  if (has('attachment_only')) return 'attachment';
  if (has('policy_gate') || has('out_of_scope')) return 'policy';
  if (has('repeated_question')) return 'repeated';
  if (has('no_kb_match') || has('low_confidence') || has('llm_ungrounded')) return 'not_found';
  return 'generic';
}

/** What {@link handoffNotice} needs. */
export type HandoffNoticeInput = {
  reasons: DecisionReason[];
  language: Language;
  skill: Pick<SkillSettings, 'workingHours' | 'handoffMessages'>;
  now: Date;
};

/**
 * The customer notice for a hand-off, as safe HTML: a sentence fitting the reason (operator
 * requested, complaint, attachment, blocked topic, repeated question, no answer found) and one about
 * when a human will reply from the skill's working hours (inside or unset → "soon"; outside → the
 * hours and the next opening, e.g. "Пн–Пт 09:00–18:00 (по Москве) … завтра в 09:00"). A
 * `skill.handoffMessages` entry for the first reason that has one replaces the whole text; it may
 * use `{hours}` and `{next}`.
 */
export function handoffNotice(input: HandoffNoticeInput): string {
  const lang = replyLanguageOf(input.language);
  const hours = input.skill.workingHours;
  const inside = !hours || isWithinWorkingHours(hours, input.now);
  const opening = hours ? nextOpening(hours, input.now) : undefined;
  const hoursText = hours ? describeWorkingHours(hours, lang) : '';
  const nextText = opening ? describeNextOpening(opening, lang) : '';

  const override = input.reasons.map((r) => input.skill.handoffMessages[r]).find((m) => m !== undefined);
  if (override) {
    const text = pickLocalised(override, lang)
      .replace(/\{hours\}/g, hoursText)
      .replace(/\{next\}/g, nextText);
    return text
      .split(/\n{2,}/)
      .map((p) => paragraph(p.trim()))
      .join('');
  }
  const when = inside || !hours || !opening ? SOON[lang] : OUTSIDE[lang](hoursText, nextText);
  return paragraph(OPENERS[openerKind(input.reasons)][lang]) + paragraph(when);
}

/** What {@link clarifyQuestion} needs: the topics in doubt, with the skill's names for them. */
export type ClarifyQuestionInput = {
  candidates: TopicCandidate[];
  language: Language;
  skill: Pick<SkillSettings, 'topics' | 'greeting'>;
};

const CLARIFY: Record<ReplyLanguage, { ask: string; or: string; fallback: string }> = {
  ru: { ask: 'Уточните, пожалуйста, ваш вопрос о', or: 'или', fallback: 'Уточните, пожалуйста, ваш вопрос: что именно вас интересует?' },
  uk: {
    ask: 'Уточніть, будь ласка, ваше питання стосується',
    or: 'чи',
    fallback: 'Уточніть, будь ласка, ваше питання: що саме вас цікавить?',
  },
  en: {
    ask: 'Could you tell me whether your question is about',
    or: 'or',
    fallback: 'Could you tell me a little more about what you need?',
  },
};

/**
 * One clarifying question naming two knowledge-base articles that fit the question about equally well
 * ("Уточните, пожалуйста, ваш вопрос о «Возврат товара» или «Обмен брака»?"), as safe HTML.
 */
export function clarifyBetweenArticles(input: { titles: [string, string]; language: Language }): string {
  const t = CLARIFY[replyLanguageOf(input.language)];
  return paragraph(`${t.ask} «${input.titles[0]}» ${t.or} «${input.titles[1]}»?`);
}

/**
 * One clarifying question naming the two most likely topics ("Уточните, пожалуйста, ваш вопрос о
 * «Доставка» или «Оплата»?"), as safe HTML; a general request for detail when fewer than two topics
 * are known.
 */
export function clarifyQuestion(input: ClarifyQuestionInput): string {
  const lang = replyLanguageOf(input.language);
  const t = CLARIFY[lang];
  const names = input.candidates.slice(0, 2).map((c) => input.skill.topics.find((topic) => topic.id === c.id)?.name ?? c.id);
  if (names.length < 2) return paragraph(t.fallback);
  return paragraph(`${t.ask} «${names[0]}» ${t.or} «${names[1]}»?`);
}

const GREETING_REPLY: Texts = {
  ru: 'Чем могу помочь? Напишите ваш вопрос, и я постараюсь ответить.',
  uk: 'Чим можу допомогти? Напишіть ваше питання, і я спробую відповісти.',
  en: 'How can I help? Write your question and I will do my best to answer.',
};

/** The reply to a bare greeting: the skill's greeting and "how can I help?", as safe HTML. */
export function greetingReply(language: Language, skill: Pick<SkillSettings, 'greeting'>): string {
  return paragraph(pickLocalised(skill.greeting, language)) + paragraph(GREETING_REPLY[replyLanguageOf(language)]);
}
