import { isGreetingOnly, isThanksOrClosing } from './intent-rules';

/** A letter's salutation: "Dear support,", "Dear Hotel Lindenhof team,", "Уважаемые коллеги!". */
const SALUTATION = /^(dear|уважаем\p{L}*|шановн\p{L}*|многоуважаем\p{L}*)(\s+[^\s?]+){0,5}\s*[,!:.]?$/iu;
/** A greeting opening the first sentence: "Добрый день, подскажите…", "Hello, where is…". */
const LEADING_CLAUSE = /^([^,.!?:\n]{1,40})[,!:]\s+(?=\S)/u;
/** Sentences (and lines) with their offsets: a run up to and including its closing punctuation. */
const PIECE = /[^\n.!?…]+[.!?…]*/gu;

/**
 * The part of a customer's message to search the knowledge base with: the message without the
 * greeting that opens a letter ("Здравствуйте!", "Dear support,", "Добрый день, " before the
 * question) and the thanks that close it ("Заранее спасибо!", "Thanks in advance."). No article
 * answers those words, yet they are a third of a short question wrapped in a letter, and they lower
 * the share of the question's words an article covers, which is what answer confidence reads: the
 * kit's questions wrapped that way were answered right half as often. A message that is nothing
 * but a greeting or thanks is returned whole. One pass over the text.
 */
export function searchableText(cleanText: string): string {
  const pieces = [...cleanText.matchAll(PIECE)]
    .map((m) => ({ start: m.index, end: m.index + m[0].length, text: m[0].trim() }))
    .filter((p) => p.text !== '');
  let first = 0;
  let last = pieces.length - 1;
  while (first <= last && isOpening((pieces[first] as { text: string }).text)) first++;
  while (last >= first && isThanksOrClosing((pieces[last] as { text: string }).text)) last--;
  if (first > last) return cleanText;
  const kept = cleanText.slice((pieces[first] as { start: number }).start, (pieces[last] as { end: number }).end).trim();
  const lead = LEADING_CLAUSE.exec(kept);
  return lead && isOpening(lead[1] as string) ? kept.slice(lead[0].length) : kept;
}

function isOpening(text: string): boolean {
  return isGreetingOnly(text) || SALUTATION.test(text.trim());
}
