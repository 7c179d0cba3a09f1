import { convert } from 'html-to-text';

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
  /^\s*(отправлено|отправлено из|sent from|get outlook|надіслано)\s.*(iphone|ipad|android|mail|почты|outlook|samsung|mobile|яндекс|yandex).*$/i,
];

/** Turns HTML (or plain text) into plain text, keeping line breaks and dropping blockquotes. */
function htmlToPlain(input: string): string {
  if (!/<[a-z!/][^>]*>|&[#a-z0-9]+;/i.test(input)) return input;
  return convert(input, {
    wordwrap: false,
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
}

/**
 * Turns a customer's message as HDE sends it (`{answer_last}`: HTML with entities, `<br>`, `<p>`,
 * `<blockquote>`, or plain text) into the text the customer actually wrote this time: quoted earlier
 * messages (`> ` lines, "On … wrote:", "… пишет:", "-----Original Message-----", blockquotes) and
 * e-mail signatures ("--", "С уважением", "Best regards", "Отправлено с iPhone") are removed and
 * whitespace is normalised (single spaces, at most one blank line).
 */
export function cleanCustomerText(htmlOrText: string | null | undefined): string {
  if (!htmlOrText) return '';
  const plain = htmlToPlain(String(htmlOrText)).replace(/\r\n?/g, '\n').replace(/\u00a0/g, ' ');
  const kept: string[] = [];
  for (const line of plain.split('\n')) {
    if (/^\s*>/.test(line)) continue;
    if (QUOTE_HEADERS.some((re) => re.test(line))) break;
    // A signature follows what the customer wrote; a first line like "Cheers" is the message itself.
    if (kept.some((k) => k.trim() !== '') && SIGNATURE_STARTS.some((re) => re.test(line))) break;
    kept.push(line.replace(/[ \t\u200b\u2000-\u200a\u202f\u3000]+/g, ' ').trim());
  }
  return kept
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
