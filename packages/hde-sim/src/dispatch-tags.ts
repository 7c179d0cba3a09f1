import escapeHtml from 'escape-html';
import type { Directory } from './directory';
import { formatPostDate, formatTicketDate } from './format-dates';
import type { PostRecord, TicketRecord } from './records';

/** What the tag values are computed from. */
export type TagSource = {
  directory: Directory;
  offsetMinutes: number;
  ticket: TicketRecord;
  /** The ticket's posts, oldest first, including `post`. */
  posts: readonly PostRecord[];
  post: PostRecord;
};

const stripHtml = (html: string): string =>
  html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>\s*/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .trim();

/**
 * Values of the dispatcher tags the simulator knows, all strings. `{meta_chat_id}` is only set for
 * messenger tickets, so elsewhere it stays unexpanded. A known tag without a value (no client post
 * yet) expands to an empty string.
 */
export function dispatchTagValues(src: TagSource): Record<string, string> {
  const { directory, offsetMinutes: tz, ticket, post } = src;
  const customer = directory.users.get(ticket.userId);
  const owner = directory.users.get(ticket.ownerId);
  const author = directory.users.get(post.userId);
  const lastClientPost = [...src.posts].reverse().find((p) => p.userId === ticket.userId);
  const status = directory.statuses.get(ticket.statusId);
  const tags: Record<string, string> = {
    ticket_id: String(ticket.id),
    unique_id: ticket.uniqueId,
    ticket_name: ticket.title,
    status_id: ticket.statusId,
    status: status?.name.ru ?? ticket.statusId,
    user_id: String(ticket.userId),
    user_name: customer?.name ?? '',
    user_email: customer?.email ?? '',
    owner_id: String(ticket.ownerId),
    owner_name: owner?.name ?? '',
    owner_email: owner?.email ?? '',
    last_post_id: String(post.id),
    last_post_user_id: String(post.userId),
    creator_group_name: author?.role === 'customer' ? 'Клиент' : 'Сотрудник',
    answer_last: post.text,
    answer_last_without_html: stripHtml(post.text),
    // Links to the post's files, as public templates use it (observed, not documented): empty without files.
    last_answer_attachments_links: (post.files ?? []).map((f) => `<a href="${escapeHtml(f.url)}">${escapeHtml(f.name)}</a>`).join(', '),
    last_post_date: formatPostDate(post.createdAt, tz),
    last_client_post_date: lastClientPost ? formatPostDate(lastClientPost.createdAt, tz) : '',
    date_update: formatTicketDate(ticket.updatedAt, tz),
  };
  if (ticket.chatId) tags.meta_chat_id = ticket.chatId;
  return tags;
}
