import { comparableText, type DialogMessage } from '@repo/store';

/**
 * How far apart the time recorded for a stored customer message (the webhook's post date, or when it
 * was recorded) and an HDE post's creation may be for the two to be taken for one post.
 */
export const SAME_POST_WINDOW_MS = 10 * 60_000;

/** A customer post the sweep found in HDE, with the event id the sweep would give it. */
export type FoundPost = { eventId: string; authorId: number | null; html: string | undefined; postedAt: Date | null };

/**
 * Whether a post the sweep found is a message the dialog already holds. By event id first; then —
 * for rules without `post_id`, whose webhook and sweep ids differ for one post — by the same author,
 * a time within {@link SAME_POST_WINDOW_MS}, and the same HTML or the same text once normalised (the
 * webhook sends plain text, the API HTML; trailing newlines and whitespace differ). Identical words
 * days apart are two messages ("да" today is not yesterday's "да").
 */
export function isKnownPost(known: readonly DialogMessage[], post: FoundPost, windowMs = SAME_POST_WINDOW_MS): boolean {
  if (known.some((m) => m.eventId === post.eventId)) return true;
  const html = post.html;
  if (html === undefined) return false;
  let wanted: string | undefined;
  return known.some((m) => {
    if (m.authorKind !== 'customer') return false;
    if (post.authorId !== null && m.authorId !== null && m.authorId !== post.authorId) return false;
    // A message stored without its post's date (a rule without one) has only the time it was
    // recorded, which a backlog can put far from the post's: the very same HTML is still that post.
    if (m.html === html && m.postedAt === null) return true;
    const at = (m.postedAt ?? m.createdAt).getTime();
    if (post.postedAt !== null && Math.abs(at - post.postedAt.getTime()) > windowMs) return false;
    if (m.html === html) return true;
    wanted ??= comparableText(html);
    return wanted !== '' && comparableText(m.html ?? m.text) === wanted;
  });
}
