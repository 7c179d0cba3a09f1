import type { HdeClient, HdePage } from '@repo/hde-client';

type Message = { id: number; dateCreated: Date | null };

/**
 * How far a post's date, read from HDE, may be off the instant it names: HDE dates are local times
 * read in the integration's time zone, and a zone set wrong (by up to a day's offsets) must not make
 * a landed post look absent, nor a merged one look new.
 */
export const HDE_POST_DATE_SLACK_MS = 26 * 3600_000;

/** Orders posts or comments newest first: by date, then by id (ids grow), never by list position. */
export function byNewest(a: Message, b: Message): number {
  const at = a.dateCreated?.getTime() ?? -Infinity;
  const bt = b.dateCreated?.getTime() ?? -Infinity;
  if (at !== bt) return at > bt ? -1 : 1;
  return b.id - a.id;
}

/** The newest of some posts or comments (see {@link byNewest}). */
export function newestOf<T extends Message>(items: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const item of items) if (!best || byNewest(item, best) < 0) best = item;
  return best;
}

/**
 * The page of a ticket's posts or comments that holds the newest ones, whatever order the account
 * lists them in (newest first is what we have seen; oldest first is not ruled out): page 1, and when
 * it reads oldest first and there are more pages, the last page too. At most two requests.
 */
export async function newestPage<T extends Message>(list: (options: { page: number }) => Promise<HdePage<T>>): Promise<HdePage<T>> {
  const first = await list({ page: 1 });
  const { totalPages } = first.pagination;
  const head = first.items[0];
  const tail = first.items.at(-1);
  const ascending = head !== undefined && tail !== undefined && head !== tail && newestOf([head, tail]) === tail;
  if (!ascending || totalPages <= 1) return first;
  return list({ page: totalPages });
}

/**
 * A ticket's post by id among its newest ones: the newest page, then the page next to it toward
 * older posts (the newest page of an oldest-first account may hold a single post). At most three
 * requests; `undefined` when the post is older than that.
 */
export async function recentPost(hde: Pick<HdeClient, 'listPosts'>, ticketId: number, postId: number) {
  const list = (o: { page: number }) => hde.listPosts(ticketId, o);
  const page = await newestPage(list);
  const found = page.items.find((p) => p.id === postId);
  if (found) return { post: found };
  const { currentPage, totalPages } = page.pagination;
  // Page 1 is newest on a newest-first account; on an oldest-first one newestPage read the last page.
  const next = currentPage === totalPages && totalPages > 1 ? totalPages - 1 : currentPage + 1;
  if (next < 1 || next > totalPages || next === currentPage) return { post: undefined };
  const older = await list({ page: next });
  return { post: older.items.find((p) => p.id === postId) };
}

/**
 * The post among `items` that a webhook without a post id is about, by the date it gave
 * (`{last_post_date}`, read in the account's zone) and, when known, its author: the one post
 * created within the same second, else the one within the same minute (a date written without
 * seconds); `undefined` when none or several fit, or no date was given.
 */
export function postAt<T extends Message & { userId: number | null }>(
  items: readonly T[],
  postedAt: Date | null,
  authorId: number | undefined,
): T | undefined {
  if (postedAt === null) return undefined;
  const mine = authorId === undefined ? items : items.filter((p) => p.userId === authorId);
  for (const windowMs of [1_000, 60_000]) {
    const near = mine.filter((p) => p.dateCreated !== null && Math.abs(p.dateCreated.getTime() - postedAt.getTime()) < windowMs);
    if (near.length === 1) return near[0];
    if (near.length > 1) return undefined;
  }
  return undefined;
}

/** The newest post of a ticket (one or two requests). */
export async function newestPost(hde: Pick<HdeClient, 'listPosts'>, ticketId: number) {
  const page = await newestPage((o) => hde.listPosts(ticketId, o));
  return { post: newestOf(page.items), page };
}
