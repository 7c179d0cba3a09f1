import { asksSomething, isGreetingOnly, isThanksOrClosing } from './intent-rules';
import { sentencePieces } from './sentences';

/**
 * A letter's salutation on its own: "Dear support,", "Dear Hotel Lindenhof team,", "Уважаемые
 * коллеги!". Words only, so a sentence that goes on after it ("Уважаемая поддержка, не приходит
 * код") is no salutation (its opening clause is, see {@link LEADING_CLAUSE}).
 */
const SALUTATION = /^(?:dear|уважаем\p{L}*|шановн\p{L}*|многоуважаем\p{L}*)(?:\s+[\p{L}\p{N}'’-]+){0,4}\s*[,!:.]?$/iu;
/** A greeting opening the first sentence: "Добрый день, подскажите…", "Hello, where is…". */
const LEADING_CLAUSE = /^([^,.!?:\n]{1,40})[,!:]\s+(?=\S)/u;
/** Thanks given for an answer still to come: "Заранее спасибо!", "Thanks in advance", "буду благодарна". */
const THANKS_AHEAD =
  /заранее|заздалегідь|наперед|in\s+advance|буду\s+(?:очень\s+)?(?:благодарн|признательн|вдячн)|would\s+(?:be\s+)?(?:grateful|appreciate)/iu;

/**
 * The part of a customer's message to search the knowledge base with: without the greeting that
 * opens a letter ("Здравствуйте!", "Dear support,", "Добрый день, " before the question) and the
 * thanks that close a question ("Заранее спасибо!", "How do I…? Thank you."). No article answers
 * those words, yet they are half of a short question wrapped in a letter, and they lower the share
 * of the question's words an article covers, which is what answer confidence reads: the kit's
 * questions wrapped that way were answered right half as often. Closing thanks after a statement
 * ("Деньги пришли. Спасибо!") are the message and stay; so does a message that is nothing but a
 * greeting or thanks. One pass over the text.
 */
export function searchableText(cleanText: string): string {
  const pieces = sentencePieces(cleanText);
  let first = 0;
  let last = pieces.length - 1;
  while (first <= last && isOpening((pieces[first] as { text: string }).text)) first++;
  // Whether a kept piece asks something: worked out once, when closing thanks first need it (the
  // thanks dropped meanwhile ask nothing, isThanksOrClosing being false for a piece that asks).
  let asks: boolean | undefined;
  while (last > first) {
    const piece = (pieces[last] as { text: string }).text;
    if (!isThanksOrClosing(piece)) break;
    if (!THANKS_AHEAD.test(piece)) {
      asks ??= pieces.slice(first, last).some((p) => asksSomething(p.text));
      if (!asks) break;
    }
    last--;
  }
  if (first > last) return cleanText;
  const kept = cleanText.slice((pieces[first] as { start: number }).start, (pieces[last] as { end: number }).end);
  const lead = LEADING_CLAUSE.exec(kept);
  return lead && isOpening(lead[1] as string) ? kept.slice(lead[0].length) : kept;
}

function isOpening(text: string): boolean {
  return isGreetingOnly(text) || SALUTATION.test(text.trim());
}
