import { compile } from 'html-to-text';
import { HTML_TEXT_MAX_DEPTH } from '@repo/domain';
import { boundHtml, DEFAULT_HTML_LIMITS } from './bounded-html';

/**
 * At most this many characters of a message are read at all (HTML included); the rest is
 * ignored. Far above any real message (the webhook body limit defaults to 64 kB) yet bounding the
 * work when the limit is raised.
 */
export const MAX_MESSAGE_INPUT_CHARS = 1_048_576;
/** At most this many characters of plain text are taken out of a message before cleaning. */
export const MAX_MESSAGE_TEXT_CHARS = DEFAULT_HTML_LIMITS.maxTextChars;

/** Lines that open a quoted earlier message: everything from such a line on is dropped. */
const QUOTE_HEADERS: RegExp[] = [
  /^\s*-{2,}\s*(original message|исходное сообщение|пересылаемое сообщение|forwarded message)\s*-{2,}\s*$/i,
  /^\s*(on|am|le)\s.{3,200}\s(wrote|schrieb|a écrit)\s*:?\s*$/i,
  /^.{0,200}\s(пишет|написал|написала|писал|писала|пише|написав|написала)\s*:\s*$/i,
  /^\s*(from|от|від)\s*:\s.+$/i,
  /^\s*_{5,}\s*$/,
  // "Пн, 12 мая 2025 г. в 14:03, Поддержка <help@shop.ru>:" (Gmail in Russian puts no verb)
  /^\s*(пн|вт|ср|чт|пт|сб|вс|mon|tue|wed|thu|fri|sat|sun)[a-zа-я]*\.?,\s.{0,120}\d{1,2}:\d{2}.{0,120}:\s*$/i,
  /^\s*\d{1,2}[./]\d{1,2}[./]\d{2,4},?\s.{0,150}:\s*$/,
];

/** Lines that open an e-mail signature: everything from such a line on is dropped. */
const SIGNATURE_STARTS: RegExp[] = [
  /^\s*--\s*$/,
  /^\s*(с уважением|с наилучшими пожеланиями|всего доброго|всего хорошего|з повагою)(?=[\s,.!]|$).*$/i,
  /^\s*(best regards|kind regards|warm regards|regards|best wishes|sincerely|cheers),?\s*$/i,
  // The line must end without another line break (the lookahead, read once) and name a device or
  // mail app somewhere: `\s.*(iphone|…).*$` tried every place of the line for the name and then
  // failed at a line separator after it, quadratic in the line (32,000 characters: 288 ms).
  /^\s*(отправлено|отправлено из|sent from|get outlook|надіслано)\s(?=.*$).*?(iphone|ipad|android|mail|почты|outlook|samsung|mobile|яндекс|yandex)/i,
];

/**
 * The converter of {@link htmlToPlain}, compiled once: html-to-text's `convert` rebuilds its selector
 * decision tree on every call, about 30 times the cost of converting a short message.
 */
const htmlConverter = compile({
  wordwrap: false,
  limits: { maxDepth: HTML_TEXT_MAX_DEPTH },
  preserveNewlines: true,
  selectors: [
    { selector: 'blockquote', format: 'skip' },
    { selector: 'a', options: { ignoreHref: true } },
    { selector: 'img', format: 'skip' },
    { selector: 'p', options: { leadingLineBreaks: 1, trailingLineBreaks: 1 } },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'h2', options: { uppercase: false } },
    { selector: 'h3', options: { uppercase: false } },
    { selector: 'table', format: 'dataTable' },
  ],
});

/**
 * Turns HTML (or plain text) into plain text, keeping line breaks and dropping blockquotes. The
 * HTML is first made shallow and bounded ({@link boundHtml}), so the converter's recursive tree
 * walk never sees deep nesting and its work does not grow with what lies past the text limit.
 */
function htmlToPlain(input: string): string {
  // `[^<>]*` rather than `[^>]*`: a run of `<a<a<a…` must not rescan to the end from every `<`.
  if (!/<[a-z!/][^<>]*>|&[#a-z0-9]{1,32};/i.test(input)) return input.slice(0, MAX_MESSAGE_TEXT_CHARS);
  return htmlConverter(boundHtml(input));
}

/**
 * Turns a customer's message as HDE sends it (`{answer_last}`: HTML with entities, `<br>`, `<p>`,
 * `<blockquote>`, or plain text) into the text the customer actually wrote this time: quoted earlier
 * messages (`> ` lines, "On … wrote:", "… пишет:", "-----Original Message-----", blockquotes) and
 * e-mail signatures ("--", "С уважением", "Best regards", "Отправлено с iPhone") are removed and
 * whitespace is normalised (single spaces, at most one blank line). Linear in the input; reads at
 * most {@link MAX_MESSAGE_INPUT_CHARS} characters and {@link MAX_MESSAGE_TEXT_CHARS} of text.
 */
export function cleanCustomerText(htmlOrText: string | null | undefined): string {
  if (!htmlOrText) return '';
  const input = String(htmlOrText).slice(0, MAX_MESSAGE_INPUT_CHARS);
  const plain = htmlToPlain(input)
    .replace(/\r\n?/g, '\n')
    .replace(/\u00a0/g, ' ');
  const kept: string[] = [];
  let wroteSomething = false;
  const lines = plain.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (/^\s*>/.test(line)) continue;
    if (QUOTE_HEADERS.some((re) => re.test(line))) {
      // "Ваш бот написал:" with `>` lines under it, before anything else: the customer quotes first
      // and answers below (as in a chat), so only the header and the quote are dropped.
      if (!wroteSomething && /^\s*>/.test(lines[i + 1] ?? '')) continue;
      break;
    }
    // A signature follows what the customer wrote; a first line like "Cheers" is the message itself.
    if (wroteSomething && SIGNATURE_STARTS.some((re) => re.test(line))) break;
    const normalised = line.replace(/[ \t\u200b\u2000-\u200a\u202f\u3000]+/g, ' ').trim();
    if (normalised !== '') wroteSomething = true;
    kept.push(normalised);
  }
  return kept
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
