import type { HdePost } from '@repo/hde-client';
import { byNewest } from './newest-post';
import type { PostAuthor } from './post-author';

/**
 * The customer posts of a ticket that nobody has answered yet, oldest first: from the newest post
 * back, every customer's post (the ticket's client, or another client such as a contact in copy)
 * until the first post of a human or of the bot itself. A post an agent or the bot answered is not
 * waiting any more. An automation's post (another bot, an HDE rule's "we received your message")
 * answers nothing and is passed over. Posts created before `since` are not looked at, nor are their
 * authors asked: authors are asked newest first and only as far back as the first answer.
 */
export async function postsAwaitingAnswer(
  posts: readonly HdePost[],
  since: Date,
  authorOf: (post: HdePost) => Promise<PostAuthor | undefined>,
): Promise<HdePost[]> {
  const waiting: HdePost[] = [];
  for (const post of [...posts].sort(byNewest)) {
    if (post.dateCreated && post.dateCreated.getTime() < since.getTime()) break;
    const author = await authorOf(post);
    if (author === 'automation') continue;
    // A human (or an author HDE does not name, taken for one as classify does) or our own reply.
    if (author !== 'customer') break;
    waiting.push(post);
  }
  return waiting.reverse();
}
