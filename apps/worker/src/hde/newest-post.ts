import type { HdeClient, HdePage } from '@repo/hde-client';

type Message = { id: number; dateCreated: Date | null };

/** The newest of some posts or comments: by date, then by id (ids grow), never by list position. */
export function newestOf<T extends Message>(items: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const item of items) {
    if (!best) best = item;
    else {
      const a = item.dateCreated?.getTime() ?? -Infinity;
      const b = best.dateCreated?.getTime() ?? -Infinity;
      if (a > b || (a === b && item.id > best.id)) best = item;
    }
  }
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

/** The newest post of a ticket (one or two requests). */
export async function newestPost(hde: Pick<HdeClient, 'listPosts'>, ticketId: number) {
  const page = await newestPage((o) => hde.listPosts(ticketId, o));
  return { post: newestOf(page.items), page };
}
