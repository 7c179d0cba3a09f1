import type { Classification, Intent, SkillSettings } from '@repo/domain';
import { cleanCustomerText } from './clean-text';
import { fixKeyboardLayout } from './keyboard-layout';
import { detectLanguage } from './detect-language';
import { readOperatorRequest } from './operator-request';
import { isComplaint, isEmptyText, isGreetingOnly, isSpam, isThanksOrClosing } from './intent-rules';
import { searchableText } from './searchable-text';
import { detectTone } from './tone';
import { rankTopics } from './topic';
import { tokenize } from './text-tokens';

/** What {@link classify} reads: one customer turn and, optionally, the dialog before it. */
export type ClassifyInput = {
  /** The message as plain text; ignored when `html` is given. */
  text?: string;
  /** The message as HDE sends it (`{answer_last}`), HTML. */
  html?: string;
  /** The message carried files. */
  hasAttachments?: boolean;
  skill: SkillSettings;
  /** Earlier turns of the dialog, oldest first, as plain text (customer and bot alike). */
  history?: string[];
};

/**
 * At most this many characters of a cleaned message are classified (and returned as `cleanText`,
 * which the retrieval and the answer read): the start of a message is where customers say what
 * they want, and a cap keeps every later stage's work bounded whatever was posted. The message
 * itself is stored in full by the caller.
 */
export const CLASSIFY_MAX_CHARS = 4_000;

/** Cuts text to at most `max` characters, at the last whitespace before the cut when there is one near. */
export function capText(text: string, max: number = CLASSIFY_MAX_CHARS): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max);
  // Do not split a surrogate pair.
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  const space = cut.search(/\s\S*$/);
  return (space >= max - 200 ? cut.slice(0, space) : cut).trimEnd();
}

const AFFIRMATION = /^(да|ага|угу|конечно|давайте|давай|хочу|так|yes|yeah|yep|sure|please|ok|ок|please do|так|звісно)$/;
const OPERATOR_OFFER = /(оператор|сотрудник|специалист|человек|operator|agent|human|оператора)/i;

/** True when the previous turn offered a live agent and this one just says yes. */
function acceptsOperatorOffer(cleanText: string, history: string[] | undefined): boolean {
  const last = history?.[history.length - 1];
  if (!last || !OPERATOR_OFFER.test(last) || !last.includes('?')) return false;
  const tokens = tokenize(cleanText);
  return tokens.length > 0 && tokens.length <= 3 && tokens.every((t) => AFFIRMATION.test(t) || /^(пожалуйста|please|pls)$/.test(t));
}

/**
 * Reads one customer turn: cleans it ({@link cleanCustomerText}), converts text typed in the wrong
 * keyboard layout, detects language, intent (operator request first, then spam, complaint, thanks,
 * greeting; a greeting or thanks followed by a question is a question), tone and the skill's topic.
 * Pure and synchronous; no network. Linear in the input and bounded: reads at most
 * {@link CLASSIFY_MAX_CHARS} characters of cleaned text. For a call that must not hold up an event
 * loop, see `createClassifyPool` (worker threads).
 */
export function classify(input: ClassifyInput): Classification {
  const cleaned = capText(cleanCustomerText(input.html ?? input.text ?? ''));
  const layout = fixKeyboardLayout(cleaned);
  const cleanText = layout.text;
  const language = detectLanguage(cleanText);
  const tone = detectTone(cleanText);
  const base = { language, tone, cleanText, ...(layout.fixed ? { layoutFixed: true } : {}) };

  if (isEmptyText(cleanText) && !isThanksOrClosing(cleanText)) {
    return {
      intent: 'empty',
      intentConfidence: 0.95,
      ...base,
      tone: 'neutral',
      ...(input.hasAttachments ? { attachmentOnly: true } : {}),
    };
  }

  let intent: Intent;
  let intentConfidence: number;
  // A letter's greeting and closing thanks frame its question: "Hi,\n\ncovid symptoms\n\nThanks in
  // advance!" is read without them, so it is a question, not thanks. A message that is nothing but a
  // greeting or thanks is its own content. Worked out only when the earlier readings say nothing.
  let content: string | undefined;
  const operator = readOperatorRequest(cleanText);
  if (operator.isRequest) {
    intent = 'operator_request';
    intentConfidence = operator.rule === 'entity+verb' || operator.rule === 'entity-alone' ? 0.95 : 0.85;
  } else if (acceptsOperatorOffer(cleanText, input.history)) {
    intent = 'operator_request';
    intentConfidence = 0.8;
  } else if (isSpam(cleanText)) {
    intent = 'spam';
    intentConfidence = 0.85;
  } else if (isComplaint(cleanText)) {
    intent = 'complaint';
    intentConfidence = 0.8;
  } else if (isGreetingOnly((content ??= searchableText(cleanText)))) {
    intent = 'greeting';
    intentConfidence = 0.9;
  } else if (isThanksOrClosing(content)) {
    intent = 'thanks';
    intentConfidence = 0.9;
  } else {
    intent = 'question';
    intentConfidence = /\?/.test(cleanText) || tokenize(cleanText).length >= 3 ? 0.8 : 0.6;
  }

  const topicCandidates = rankTopics(cleanText, input.skill.topics, input.skill.synonyms);
  const best = topicCandidates[0];
  return {
    intent,
    intentConfidence,
    ...base,
    ...(best ? { topic: best.id } : {}),
    ...(topicCandidates.length > 0 ? { topicCandidates } : {}),
  };
}
