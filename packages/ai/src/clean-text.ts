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

/**
 * Lines that open a quoted earlier message: everything from such a line on is dropped. Each is
 * tried on one line (or on two or three lines joined, see {@link quoteHeaderSpan}); every `.{m,n}`
 * is bounded, so a line costs a fixed number of steps per starting position.
 */
const QUOTE_HEADERS: RegExp[] = [
  // "On Mon, 5 May 2025 at 10:00, Support <s@x.ru> wrote:"; Gmail may glue "wrote" to the address.
  /^\s*(on|am|le)\s.{3,200}[\s>](wrote|schrieb|a écrit)\s*(?::\s*)?$/i,
  // Thunderbird "12.05.2025 14:03, Имя пишет:", Outlook "… пользователь "Имя" <a@b.ru> написал:",
  // Apple Mail "12 мая 2025 г., в 14:03, Имя <a@b.ru> написал(а):" (uk "написав(ла):").
  /^.{0,200}\s(пишет|написал|написала|писал|писала|пише|написав|написала)(\(а\)|\(ла\))?\s*:\s*$/i,
  /^\s*_{5,}\s*$/,
  // Gmail "пн, 12 мая 2025 г. в 14:03, Имя <a@b.ru>:" (no verb); Mail.ru "Понедельник, 12 мая 2025,
  // 14:03 +03:00 от Имя <a@b.ru>:" (the weekday in full).
  /^\s*(понедельник|вторник|среда|четверг|пятница|суббота|воскресенье|понеділок|вівторок|середа|четвер|п['’]ятниця|субота|неділя|пн|вт|ср|чт|пт|сб|вс|нд|mon|tue|wed|thu|fri|sat|sun)[a-zа-я]*\.?,\s.{0,120}\d{1,2}:\d{2}.{0,120}:\s*$/i,
  // Yandex "12.05.2025, 14:03, "Имя" <a@b.ru>:", Thunderbird "12.05.2025 14:03, Name wrote:".
  /^\s*\d{1,2}[./]\d{1,2}[./]\d{2,4},?\s.{0,150}:\s*$/,
  // Apple Mail's forward: "Begin forwarded message:" and its ru/uk forms.
  /^\s*(begin forwarded message|начало переадресованного сообщения|початок листа, що пересилається)\s*:\s*$/i,
];

/**
 * What a run of two or more dashes introduces as a separator ("-----Original Message-----",
 * "-------- Пересылаемое сообщение --------", Yahoo's "----- Пересылаемое сообщение ----- От: …" on
 * one line): the phrase must follow the dashes.
 */
const SEPARATOR_PHRASE =
  /^(original message|reply message|forwarded message|исходное сообщение|пересылаемое сообщение|пересланное сообщение|перенаправленное сообщение|переслане повідомлення|перенаправлене повідомлення|ursprüngliche nachricht|antwort nachricht|oprindelig meddelelse|oprindelig besked|message d'origine)(?![a-zа-яіїєґ])/i;
/** A dash-wrapped header without the colon: "---- On … wrote ----", "---- John wrote ----". */
const WROTE_AT_END = /(wrote|пишет|написал|написала|пише|написав)(\(а\)|\(ла\))?\s*:?$/i;

/**
 * The first line of an Outlook-style header block ("From: …", "От: …", "Від: …", bold "*From:*" as
 * Gmail renders Outlook's HTML, and Outlook's labels in German, French, Dutch, Danish, Swedish,
 * Polish, Italian, Spanish and Portuguese). Alone it is not enough: a block also has one of
 * {@link MAIL_FIELD} within the next lines, so a customer's own "От: ООО Ромашка" stays.
 */
const FROM_FIELD = /^\s*(?:\*\s*)?(from|от|от кого|отправитель|від|від кого|von|van|de|da|fra|från|od)\s*(?:\*\s*)?:/i;
/** The other fields of such a block: sent, date, to, cc, subject. */
const MAIL_FIELD =
  /^\s*(?:\*\s*)?(sent|date|to|cc|subject|отправлено|дата|кому|копия|тема|надіслано|копія|gesendet|datum|an|betreff|envoyé|envoyé le|à|objet|verzonden|aan|onderwerp|sendt|dato|til|emne|skickat|till|ämne|wysłano|data|do|temat|inviato|a|oggetto|enviado|para|assunto|asunto)\s*(?:\*\s*)?:/i;
/** How many lines after a {@link FROM_FIELD} line the next field may come (Outlook 2003 puts blank lines between). */
const FIELD_LOOKAHEAD = 6;
/**
 * Header fields and separator lines that some clients put just before the header line itself
 * (Yandex: "--------", "Кому: …;", "Тема: …;", then "12.05.2025, 14:03, "Имя" <a@b.ru>:"; Hotmail:
 * a rule, "Date:", "Subject:", then "From:"); they are dropped with the quote.
 */
const HEADER_PREAMBLE =
  /^\s*(?:[-_=—–]{3,}\s*|(?:\*\s*)?(?:sent|date|to|cc|subject|отправлено|дата|кому|копия|тема|надіслано|копія)\s*(?:\*\s*)?:.*)$/i;

/** An address in angle brackets or parentheses ("<a@b.ru>", "< a@b.ru>" once a wrapped line is joined, "(a@b.ru)"). */
const BRACKETED_ADDRESS = /[<(]\s?[^<>()\s@]{1,64}@[^<>()\s]{1,255}\s?[>)]/;
/** A header line's end: the sender's address in brackets, then the colon ("… Anna <a@b.nl>:"). */
const ADDRESS_THEN_COLON = /[>)]\s?:$/;
/** A four-digit year ("2016"): every dated header without a known phrase names one. */
const YEAR = /(?<!\d)(?:19|20)\d{2}(?!\d)/;
/** A time or a day and month ("14:03", "18.30", "12.05"). */
const TIME_OR_DATE = /\d{1,2}[:.]\d{2}(?!\d)/;
/** How a header's first line begins: a date, "On ", or a weekday and a comma ("пт, ", "Понедельник, "). */
const HEADER_BEGIN = /^(\d|(on|am|le)\s|[^\s,]{2,12},\s)/i;
/** Longest line (or joined lines) read as a header: real ones are far shorter, and it bounds the work. */
const MAX_HEADER_CHARS = 400;
/** A wrapped header is looked for on at most this many lines (Gmail wraps a long one over two or three). */
const MAX_HEADER_LINES = 3;

/** Lines that open an e-mail signature: everything from such a line on is dropped. */
const SIGNATURE_STARTS: RegExp[] = [
  /^\s*--\s*$/,
  /^\s*(с уважением|с наилучшими пожеланиями|всего доброго|всего хорошего|з повагою)(?=[\s,.!]|$).*$/i,
  /^\s*(best regards|kind regards|warm regards|with regards|with best regards|with kind regards|regards|best wishes|sincerely|yours sincerely|yours faithfully|yours truly|thanking you|cheers),?\s*$/i,
  // A device or mail-app line ("Отправлено из мобильной Почты Mail.ru", "Sent from my iPhone",
  // "Получить Outlook для Android"). Both runs are bounded, and the one before the device name
  // excludes sentence punctuation, so "Sent from my desk, is much easier than my mobile phone" is
  // text; a long line costs at most 70 × 80 steps (the greedy `\s.*(iphone|…).*$` tried every
  // place of the line: quadratic).
  /^\s*(отправлено|sent from|sent with|надіслано|get outlook|получить outlook|отримати outlook)\s[^,;!?]{0,70}?(iphone|ipad|android|mail|почты|outlook|samsung|mobile|яндекс|yandex|blackberry).{0,80}$/i,
];

/**
 * "Sent from my <any device>" (e.g. "Sent from my Wiko RIDGE FAB 4G"): short and without a comma.
 * A signature when it names a device (a capital or a digit first, at most four words), or as the
 * message's last words (nothing but blank lines or a quote after it): "Sent from my phone because
 * the app crashes" above the question is the customer's own sentence.
 */
const ANY_DEVICE_LINE = /^\s*(sent from my|отправлено с моего|надіслано з мого)\s[^,;!?]{1,50}$/i;
/** The same line naming a device: "Sent from my Nokia 3310" (case matters here, so no `i` flag). */
const DEVICE_NAME_LINE =
  /^\s*(?:[Ss]ent from my|[Оо]тправлено с моего|[Нн]адіслано з мого)\s[\p{Lu}\d][^\s,;!?]*(?:\s[^\s,;!?]+){0,3}\s*$/u;

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
  // A tag is a name followed by a space, `/` or `>`: plain text's "<a@b.ru>" and "<https://…>"
  // (how plain-text mail writes addresses and links) are not tags and must not vanish as tags.
  // `[^<>]*` rather than `[^>]*`: a run of `<a b<a b…` must not rescan to the end from every `<`.
  if (!/<\/?[a-z][a-z0-9]*(?:[\s/][^<>]*)?>|<![^<>]*>|&[#a-z0-9]{1,32};/i.test(input)) return input.slice(0, MAX_MESSAGE_TEXT_CHARS);
  return htmlConverter(boundHtml(input));
}

/** Whether a (trimmed, short) line reads as a quote header on its own. */
function isQuoteHeader(line: string): boolean {
  if (QUOTE_HEADERS.some((re) => re.test(line))) return true;
  // Customers write such lines too ("At 10:15 I got this from <noreply@shop.com>:", "I paid 49.99
  // and the receipt went to (a@b.ru):"), so a header's shape is asked for in full: a year, a time
  // or date, and the address closing the line right before its colon.
  // A header the patterns above do not know (another language, another client) still names the
  // sender's address in brackets, a time or date, and ends with a colon:
  // "Op 12 december 2016 19:05 schreef Anna <a@b.nl>:", "2014-10-17 11:28 GMT+03:00 Anna <a@b.ru>:".
  return (
    line.length <= MAX_HEADER_CHARS &&
    ADDRESS_THEN_COLON.test(line) &&
    YEAR.test(line) &&
    TIME_OR_DATE.test(line) &&
    BRACKETED_ADDRESS.test(line)
  );
}

/** The line without a leading and a trailing run of two or more dashes (counted, not matched). */
function withoutDashRuns(line: string): { core: string; leading: number } {
  let from = 0;
  while (from < line.length && line[from] === '-') from++;
  let to = line.length;
  while (to > from && line[to - 1] === '-') to--;
  const leading = from >= 2 ? from : 0;
  const trailing = line.length - to >= 2 ? line.length - to : 0;
  return { core: line.slice(leading, line.length - trailing).trim(), leading };
}

/**
 * How many lines the quote header starting at `lines[i]` takes (0: none). One line in most
 * clients; Gmail wraps a long one ("пт, 14 мар. 2025 г. в 11:20, Служба поддержки <" /
 * "help@shop.ru>:", or "On …, Name" / "<a@b.ru>" / "wrote:"), so up to {@link MAX_HEADER_LINES}
 * lines are joined. Every real wrapped header starts with its date and wraps because of a long
 * address, so the first line must hold a digit and the joined text an address; and a joined line
 * that is a whole header by itself, beginning as headers begin ({@link HEADER_BEGIN}), means the
 * line above it is the customer's last line, not the header's start.
 */
function quoteHeaderSpan(lines: readonly string[], i: number): number {
  const line = (lines[i] as string).trim();
  if (line === '') return 0;
  if (isQuoteHeader(line)) return 1;
  const { core, leading } = withoutDashRuns(line);
  if (leading > 0 && (SEPARATOR_PHRASE.test(core) || WROTE_AT_END.test(core) || isQuoteHeader(core))) return 1;
  if (FROM_FIELD.test(line)) {
    for (let j = i + 1; j <= i + FIELD_LOOKAHEAD && j < lines.length; j++) {
      if (MAIL_FIELD.test(lines[j] as string)) return 1;
    }
  }
  if (line.length > MAX_HEADER_CHARS || line.endsWith(':') || !/\d/.test(line)) return 0;
  let joined = line;
  for (let k = 1; k < MAX_HEADER_LINES && i + k < lines.length; k++) {
    const next = (lines[i + k] as string).trim();
    // Gmail may even wrap before the closing ">:" of the address, which then reads as a quote line.
    const gluedEnd = /^>\s*:$/.test(next);
    if (next === '' || (next.startsWith('>') && !gluedEnd) || joined.length + next.length >= MAX_HEADER_CHARS) return 0;
    if (!gluedEnd && HEADER_BEGIN.test(next) && isQuoteHeader(next)) return 0;
    joined += gluedEnd ? next : ` ${next}`;
    if (joined.includes('@') && isQuoteHeader(joined)) return k + 1;
  }
  return 0;
}

/**
 * Whether nothing the customer wrote follows from `from` on: only blank lines, or a quote (a `>`
 * line or a quote header) after them. Reads up to the first line that is not blank.
 */
function nothingButQuoteAfter(lines: readonly string[], from: number): boolean {
  for (let j = from; j < lines.length; j++) {
    const line = lines[j] as string;
    if (line.trim() === '') continue;
    return /^\s*>/.test(line) || quoteHeaderSpan(lines, j) > 0;
  }
  return true;
}

/** Whether the first non-empty line among the next few, from `from` on, is a `>` quote line. */
function quoteLinesFollow(lines: readonly string[], from: number): boolean {
  for (let j = from; j < from + 3 && j < lines.length; j++) {
    const line = lines[j] as string;
    if (line.trim() !== '') return /^\s*>/.test(line);
  }
  return false;
}

/**
 * Turns a customer's message as HDE sends it (`{answer_last}`: HTML with entities, `<br>`, `<p>`,
 * `<blockquote>`, or plain text) into the text the customer actually wrote this time: quoted earlier
 * messages (`> ` lines, blockquotes and the reply containers of Gmail, Yahoo, Thunderbird and
 * Outlook, "On … wrote:", "… пишет:", "… написал(а):", Gmail's and Mail.ru's dated headers, an
 * Outlook "От: … Отправлено: …" block, "-----Original Message-----", forwarded-message separators)
 * and e-mail signatures ("--", "С уважением", "Best regards", "Отправлено с iPhone") are removed and
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
    const headerLines = quoteHeaderSpan(lines, i);
    if (headerLines > 0) {
      // "Ваш бот написал:" with `>` lines under it, before anything else: the customer quotes first
      // and answers below (as in a chat), so only the header and the quote are dropped.
      if (!wroteSomething && quoteLinesFollow(lines, i + headerLines)) {
        i += headerLines - 1;
        continue;
      }
      // Fields and a rule that some clients put above the header line belong to the quote.
      while (kept.length > 0 && (kept[kept.length - 1] === '' || HEADER_PREAMBLE.test(kept[kept.length - 1] as string))) kept.pop();
      break;
    }
    // A signature follows what the customer wrote; a first line like "Cheers" is the message itself.
    if (wroteSomething && SIGNATURE_STARTS.some((re) => re.test(line))) break;
    if (wroteSomething && ANY_DEVICE_LINE.test(line) && (DEVICE_NAME_LINE.test(line) || nothingButQuoteAfter(lines, i + 1))) break;
    const normalised = line.replace(/[ \t\u200b\u2000-\u200a\u202f\u3000]+/g, ' ').trim();
    if (normalised !== '') wroteSomething = true;
    kept.push(normalised);
  }
  return dropSignatureBlock(kept)
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * A sign-off that ends a letter when a name follows it ("Спасибо,\nНаталья Орлова"), but that is also
 * what a short message may say in full ("Спасибо!"), so it is dropped only with a signature after it.
 * A dash line is one too ("—\nМария Белова"): in a chat it may separate two questions.
 */
const SIGN_OFF_BEFORE_NAME =
  /^(спасибо|заранее спасибо|большое спасибо|спасибо заранее|хорошего дня|хорошего вечера|всех благ|дякую|щиро дякую|дякую за розуміння|гарного дня|thanks|thank you|many thanks|thanks in advance|thanks again|best|all the best|have a nice day|have a good day|—|–)\s*[,.!]?$/i;
/** At most this many lines after a sign-off or a name are read as the signature block. */
const MAX_SIGNATURE_LINES = 6;
/** A line of a signature block is short and holds no question or sentence. */
const MAX_SIGNATURE_LINE_CHARS = 80;
/**
 * Below this length a text is a chat line rather than a letter (an e-mail): the chat-shaped
 * operator-request sets have medians of 30–70 characters and almost none above 300. Below it a
 * block after a sign-off is dropped only when the sign-off ends with a comma ("Thanks,\nJohn") or
 * the block gives a phone, an e-mail, a title or a company ("Не то\nСпасибо\nЖивой Человек" keeps
 * its last line); at or above it `readOperatorRequest` also reads the text sentence by sentence.
 */
export const LETTER_MIN_CHARS = 200;
/** A name after a sign-off: one to four capitalised words or initials ("ИП Терентьев А.В.", "Laura Finch"). */
const NAME_LINE = /^\p{Lu}[\p{L}'’-]*(?:,?\s+(?:\p{Lu}[\p{L}'’-]*\.?|\p{Lu}\.\s?\p{Lu}\.?)){0,3}\s*,?$/u;
/**
 * A person's name opening a last paragraph with no sign-off: two or three words, each a capital and
 * then small letters, or initials ("Анна Лосева", "Tom Fletcher", "Лосева А.В."); one word is as
 * likely a label ("Логин", "Трек-номер") whose value follows, and "Account ID" is no name.
 */
const PERSON_LINE = /^\p{Lu}\p{Ll}[\p{L}'’-]*(?:\s+(?:\p{Lu}\p{Ll}[\p{L}'’-]*|\p{Lu}\.\s?\p{Lu}\.?)){1,2}\s*,?$/u;
/**
 * What a signature gives under the name: a phone number (a "+" or a label before it), an e-mail
 * address, a job title or a company form.
 */
const SIGNATURE_DETAIL =
  /(?:\+\d[\d\s()-]{6,}\d|(?<![\p{L}])(?:тел|моб|tel|phone|mob)(?![\p{L}])[.:]?\s*[\d+(]|[\w.+-]+@[\w-]+\.[\w.]+|(?<![\p{L}])(?:менеджер|руководител|начальник|директор|специалист|бухгалтер|инженер|юрист|администратор|координатор|ассистент|секретар|отдел|manager|director|head\s+of|officer|assistant|coordinator|engineer|accountant|specialist)\p{L}*|(?<![\p{L}])(?:ООО|АО|ПАО|ИП|ТОВ|ФОП|LLC|Ltd|Inc|GmbH)(?![\p{L}]))/iu;
/** Lines that are the customer's own text in any block: a postscript, or a link to a page (a path after the host). */
const OWN_TEXT_LINE = /^(?:p\.?\s?s\.?|п\.?\s?с\.?)(?![\p{L}])|https?:\/\/[^\s/]+\/\S/iu;

/**
 * Drops the signature block that closes a letter — the sender's name, job title, company and phone
 * ("Thanks,\nChris Fowler\nFleet Manager\nQuickDrop Logistics Ltd") — which the sign-offs of
 * {@link SIGNATURE_STARTS} do not open. The sender's own title ("Office Manager", "главный
 * специалист") read as the person the customer asks for, and a company name as a question's topic.
 * Dropped only when it is plainly one: after a sign-off line followed by a name, or, in a letter, as
 * a last paragraph that starts with a person's name and gives a phone, an e-mail, a job title or a
 * company; every line short, with no question, postscript or page link in it, and not after a line
 * ending in ":" (an address the customer gives: "доставьте по адресу:\n\nИван Петров\n…").
 */
function dropSignatureBlock(lines: string[]): string[] {
  let end = lines.length;
  while (end > 0 && lines[end - 1] === '') end--;
  let start = end;
  while (start > 0 && end - start < MAX_SIGNATURE_LINES) {
    const line = lines[start - 1] as string;
    if (line === '' || line.length > MAX_SIGNATURE_LINE_CHARS || line.includes('?') || OWN_TEXT_LINE.test(line)) break;
    start--;
  }
  const letter = lines.reduce((n, line) => n + line.length + 1, 0) >= LETTER_MIN_CHARS;
  for (let at = start; at < end; at++) {
    const line = lines[at] as string;
    const block = lines.slice(at + 1, end);
    const signOff =
      SIGN_OFF_BEFORE_NAME.test(line) &&
      (letter || /,\s*$/.test(line) || block.some((l) => SIGNATURE_DETAIL.test(l))) &&
      block.length > 0 &&
      NAME_LINE.test(block[0] as string);
    const nameParagraph =
      letter && (at === 0 || lines[at - 1] === '') && PERSON_LINE.test(line) && block.some((l) => SIGNATURE_DETAIL.test(l));
    if (!signOff && !nameParagraph) continue;
    // Something of the customer's own must come before it, not introducing it.
    let before = at - 1;
    while (before >= 0 && lines[before] === '') before--;
    const last = lines[before];
    if (last !== undefined && !/:\s*$/.test(last)) return lines.slice(0, at);
  }
  return lines;
}
