import { convert } from 'html-to-text';

/** Longest HTML compared: HDE's own copies of our posts are short; the cap keeps the work bounded. */
const COMPARE_CAP = 20_000;

const TO_TEXT = { wordwrap: false as const, selectors: [{ selector: 'a', options: { ignoreHref: true } }] };

/** An HTML tag in text (bounded: only the tag name is scanned, never up to a closing `>`). */
const TAG = /<\/?[a-z][a-z0-9]*[\s>/]/i;

/**
 * Plain text of HDE HTML, for comparing what we sent with what HDE shows (reconciling a send,
 * telling our own post's webhook from a human's post by the bot account). A rule that renders the
 * text for display sends it HTML-escaped (`&lt;p&gt;…`): its plain text is HTML once more, and is
 * read once more, so our echo compares equal to what we sent.
 */
export function comparableText(html: string): string {
  let text = convert(html.slice(0, COMPARE_CAP), TO_TEXT);
  if (TAG.test(text)) text = convert(text.slice(0, COMPARE_CAP), TO_TEXT);
  return text.replace(/\s+/g, ' ').trim().toLowerCase();
}
