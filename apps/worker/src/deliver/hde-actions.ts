import type { HdeClient } from '@repo/hde-client';
import type { LedgerEntry } from '@repo/store';
import { convert } from 'html-to-text';
import type { Reconciled, SendSpec } from './send-once';

/** Plain text of HDE HTML, for comparing what we sent with what HDE shows. */
export function comparableText(html: string): string {
  return convert(html, { wordwrap: false, selectors: [{ selector: 'a', options: { ignoreHref: true } }] })
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** Clock skew allowed between us and HDE when matching a post to a send attempt. */
const SKEW_MS = 5 * 60_000;

type Message = { id: number; userId: number | null; text: string; dateCreated: Date | null };

/**
 * Looks for our message among the newest ones. Absent is only claimed when the page reaches back
 * past the send attempt, so nothing newer can hide on a later page.
 */
function findOurs(items: Message[], entry: LedgerEntry, botUserId: number | null, total: number, perPage: number): Reconciled {
  const wanted = comparableText(String(entry.request.text ?? ''));
  const since = (entry.startedAt?.getTime() ?? 0) - SKEW_MS;
  const match = items.find(
    (m) => (botUserId === null || m.userId === botUserId) && comparableText(m.text) === wanted && (m.dateCreated === null || m.dateCreated.getTime() >= since),
  );
  if (match) return { found: true, ref: String(match.id) };
  const oldest = items.at(-1);
  const seenAll = items.length < perPage || total <= items.length || (oldest?.dateCreated != null && oldest.dateCreated.getTime() < since);
  return seenAll ? { found: false } : { unsure: true };
}

/** A public reply (post) as a ledger action. */
export function replySpec(hde: Pick<HdeClient, 'createPost' | 'listPosts'>, ticketId: number, botUserId: number | null): SendSpec {
  return {
    async perform(request) {
      const post = await hde.createPost(ticketId, { text: String(request.text) });
      return String(post.id);
    },
    async reconcile(entry) {
      const page = await hde.listPosts(ticketId);
      return findOurs(page.items, entry, botUserId, page.pagination.total, page.pagination.perPage || 30);
    },
  };
}

/** An internal note (comment) as a ledger action. */
export function noteSpec(hde: Pick<HdeClient, 'createComment' | 'listComments'>, ticketId: number, botUserId: number | null): SendSpec {
  return {
    async perform(request) {
      const comment = await hde.createComment(ticketId, { text: String(request.text) });
      return String(comment.id);
    },
    async reconcile(entry) {
      const page = await hde.listComments(ticketId);
      return findOurs(page.items, entry, botUserId, page.pagination.total, page.pagination.perPage || 30);
    },
  };
}

/** The ticket update a ledger request describes. */
function toUpdate(request: Record<string, unknown>): Parameters<HdeClient['updateTicket']>[1] {
  return {
    ...(typeof request.ownerId === 'number' ? { ownerId: request.ownerId } : {}),
    ...(typeof request.departmentId === 'number' ? { departmentId: request.departmentId } : {}),
    ...(typeof request.statusId === 'string' ? { statusId: request.statusId } : {}),
    ...(Array.isArray(request.tags) ? { tags: request.tags.map(String) } : {}),
    ...(request.customFields && typeof request.customFields === 'object'
      ? { customFields: request.customFields as Record<string, string | number | boolean> }
      : {}),
  };
}

/** A ticket update (tags, custom fields) as a ledger action. Setting the same values again is harmless, so "not sure" means update again. */
export function updateSpec(hde: Pick<HdeClient, 'updateTicket'>, ticketId: number): SendSpec {
  return {
    async perform(request) {
      await hde.updateTicket(ticketId, toUpdate(request));
      return null;
    },
    reconcile: async () => ({ found: false }),
  };
}

/** A reassignment (owner, department, status, tags) as a ledger action; checked by reading the ticket. */
export function assignSpec(hde: Pick<HdeClient, 'updateTicket' | 'getTicket'>, ticketId: number): SendSpec {
  return {
    async perform(request) {
      await hde.updateTicket(ticketId, toUpdate(request));
      return null;
    },
    async reconcile(entry) {
      const ticket = await hde.getTicket(ticketId);
      const r = entry.request;
      const done =
        (typeof r.ownerId !== 'number' || ticket.ownerId === r.ownerId) &&
        (typeof r.departmentId !== 'number' || ticket.departmentId === r.departmentId) &&
        (typeof r.statusId !== 'string' || ticket.statusId === r.statusId);
      // A reassignment is idempotent, so "not yet" simply means do it again.
      return done ? { found: true, ref: null } : { found: false };
    },
  };
}
