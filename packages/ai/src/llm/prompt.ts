import type { KbHit, Language } from '@repo/domain';

/** One earlier turn of the dialog, for the prompt. */
export type DialogTurn = { role: 'customer' | 'bot' | 'agent'; text: string };

/** A chat message in the OpenAI format. */
export type ChatMessage = { role: 'system' | 'user' | 'assistant'; content: string };

/** What the model must answer when the passages do not hold the answer. */
export const NO_ANSWER = 'NO_ANSWER';

/**
 * What the model must answer when the customer asks for a person rather than for information. The
 * model reads every message the bot is about to answer, so it is a second reader of operator
 * requests, after the rules and the small model of `operator-request.ts` (which miss about one
 * request in ten on unseen text: README).
 */
export const PERSON_REQUESTED = 'HANDOFF';

const LANGUAGE_NAMES: Record<Language, string> = {
  ru: 'Russian',
  uk: 'Ukrainian',
  en: 'English',
  other: 'the language of the customer',
};

/**
 * The chat prompt: instructions, the retrieved passages numbered [1], [2]… with their titles, the
 * dialog so far and the customer's question. Nothing else goes in: no keys, no company data beyond
 * the passages, no customer identifiers.
 */
export function buildAnswerPrompt(input: {
  question: string;
  passages: Pick<KbHit, 'title' | 'passage'>[];
  dialog?: DialogTurn[];
  language: Language;
}): ChatMessage[] {
  const system = [
    'You are a customer support assistant. Answer the customer using ONLY the numbered knowledge-base passages provided.',
    'After every sentence put the number of the passage that supports it in square brackets, e.g. [1] or [2].',
    'Do not add facts, numbers, prices, links or promises that are not in the passages. Do not greet and do not sign off.',
    `If the customer asks to talk to, be called by, be written to or be put through to a person (an operator, a manager or anyone else of the company) rather than for information, reply with exactly ${PERSON_REQUESTED} and nothing else.`,
    `If the passages do not contain the answer, reply with exactly ${NO_ANSWER} and nothing else.`,
    `Write in ${LANGUAGE_NAMES[input.language]}, in plain text without markdown, in at most 6 sentences.`,
  ].join('\n');
  const passages = input.passages.map((p, i) => `[${i + 1}] ${p.title.trim()}\n${p.passage.trim()}`).join('\n\n');
  const dialog = (input.dialog ?? [])
    .slice(-6)
    .map((t) => `${t.role === 'customer' ? 'Customer' : t.role === 'bot' ? 'Assistant' : 'Agent'}: ${t.text.trim()}`)
    .join('\n');
  const user = [`Passages:\n${passages}`, dialog ? `Dialog so far:\n${dialog}` : '', `Customer's message:\n${input.question.trim()}`]
    .filter((s) => s !== '')
    .join('\n\n');
  return [
    { role: 'system', content: system },
    { role: 'user', content: user },
  ];
}

/** What the request reader answers when the customer does not ask for a person. */
export const NO_PERSON = 'QUESTION';

/**
 * The prompt of the request reader (see `request-reader.ts`): one customer message, and the one
 * question whether it asks for a person of the company. The same wording as the answer prompt's
 * {@link PERSON_REQUESTED} instruction, so both readings agree. Nothing else goes in: no passages,
 * no identifiers.
 */
export function buildRequestReadingPrompt(message: string): ChatMessage[] {
  const system = [
    "You read one message a customer wrote to a company's support, where an automatic assistant answers first.",
    `If the customer asks to talk to, be called by, be written to or be put through to a person (an operator, a manager or anyone else of the company) rather than for information, reply with exactly ${PERSON_REQUESTED}.`,
    `Otherwise reply with exactly ${NO_PERSON}. Reply with that one word and nothing else.`,
  ].join('\n');
  return [
    { role: 'system', content: system },
    { role: 'user', content: `Customer's message:\n${message.trim()}` },
  ];
}
