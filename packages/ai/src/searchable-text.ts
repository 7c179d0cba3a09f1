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
  // asked[k]: some piece from `first` up to k asks something (computed once: linear).
  const asked: boolean[] = [];
  for (let k = first; k <= last; k++) asked[k] = (asked[k - 1] ?? false) || asksSomething((pieces[k] as { text: string }).text);
  while (last > first && closesAQuestion((pieces[last] as { text: string }).text, asked[last - 1] ?? false)) last--;
  if (first > last) return cleanText;
  const kept = cleanText.slice((pieces[first] as { start: number }).start, (pieces[last] as { end: number }).end);
  const lead = LEADING_CLAUSE.exec(kept);
  return lead && isOpening(lead[1] as string) ? kept.slice(lead[0].length) : kept;
}

function isOpening(text: string): boolean {
  return isGreetingOnly(text) || SALUTATION.test(text.trim());
}

/** The piece is thanks, said ahead of an answer, or after a question (`afterQuestion`). */
function closesAQuestion(piece: string, afterQuestion: boolean): boolean {
  if (!isThanksOrClosing(piece)) return false;
  return THANKS_AHEAD.test(piece) || afterQuestion;
}
