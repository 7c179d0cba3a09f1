import { compile } from 'html-to-text';
import { HTML_TEXT_MAX_DEPTH } from '@repo/domain';

/** Longest HTML compared: HDE's own copies of our posts are short; the cap keeps the work bounded. */
const COMPARE_CAP = 20_000;

/**
 * Compiled once: html-to-text's `convert` rebuilds its selector decision tree on every call (about
 * 30 times the cost of converting a short post), and this runs for every webhook of the bot's posts.
 */
const toText = compile({
  wordwrap: false,
  limits: { maxDepth: HTML_TEXT_MAX_DEPTH },
  selectors: [{ selector: 'a', options: { ignoreHref: true } }],
});

/** An HTML tag (bounded: only the tag name is scanned, never up to a closing `>`). */
const TAG = /<\/?[a-z][a-z0-9]*[\s>/]/i;
/** The same tag written escaped, as text to be displayed: `&lt;p&gt;`. */
const ESCAPED_TAG = /&lt;\/?[a-z][a-z0-9]*[\s&/]/i;

/**
 * Plain text of HDE HTML, for comparing what we sent with what HDE shows (reconciling a send,
 * telling our own post's webhook from a human's post by the bot account). A rule that renders the
 * text for display sends it HTML-escaped (`&lt;p&gt;…`): HTML with no tag of its own but escaped
 * tags is read twice, so our echo compares equal to what we sent. Whether to read twice is decided
 * from the input, never from the first reading, so `&lt;ID&gt;` inside real HTML stays text.
 */
export function comparableText(html: string): string {
  const capped = html.slice(0, COMPARE_CAP);
  let text = toText(capped);
  if (!TAG.test(capped) && ESCAPED_TAG.test(capped)) text = toText(text.slice(0, COMPARE_CAP));
  return text.replace(/\s+/g, ' ').trim().toLowerCase();
}

/** Shortest text matched as part of a longer one (a greeting alone is no proof). */
const MIN_PARTIAL_MATCH_CHARS = 40;

/**
 * Whether a post HDE shows is one we sent with `sentHtml`: the same text read as
 * {@link comparableText}, or, for texts of some length, ours with something added around it (an
 * account that appends the agent's signature to every reply) or ours cut short (a webhook whose
 * `{answer_last}` HDE truncated). Reconciling a send and telling our echo rely on it: a mismatch
 * there sends a reply twice, or takes our own echo for a human stepping in.
 */
export function matchesSentText(seenHtml: string, sentHtml: string): boolean {
  return sameSentText(comparableText(seenHtml), comparableText(sentHtml));
}

/**
 * {@link matchesSentText} on texts already read with {@link comparableText}: a caller comparing
 * one text with many reads the one once.
 */
export function sameSentText(seen: string, sent: string): boolean {
  if (!seen || !sent) return false;
  if (seen === sent) return true;
  if (seen.length < MIN_PARTIAL_MATCH_CHARS || sent.length < MIN_PARTIAL_MATCH_CHARS) return false;
  return seen.includes(sent) || sent.startsWith(seen);
}
