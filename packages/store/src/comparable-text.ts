import { convert } from 'html-to-text';

/** Longest HTML compared: HDE's own copies of our posts are short; the cap keeps the work bounded. */
const COMPARE_CAP = 20_000;

/**
 * Plain text of HDE HTML, for comparing what we sent with what HDE shows (reconciling a send,
 * telling our own post's webhook from a human's post by the bot account).
 */
export function comparableText(html: string): string {
  return convert(html.slice(0, COMPARE_CAP), { wordwrap: false, selectors: [{ selector: 'a', options: { ignoreHref: true } }] })
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}
