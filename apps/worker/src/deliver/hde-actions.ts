import { isHdeApiError, type HdeClient, type HdeTicketUpdate } from '@repo/hde-client';
import { comparableText, LEDGER_RECENT_ROWS, sameSentText, type EventsRepo, type LedgerEntry, type LedgerRepo } from '@repo/store';
import { HDE_POST_DATE_SLACK_MS, newestOf, newestPage } from '../hde/newest-post';
import type { Reconciled, SendSpec } from './send-once';

/**
 * How far before a send attempt a post may be dated and still be ours: generous on purpose (a landed
 * post looking absent would be posted twice). Identical earlier replies are told apart by the
 * ledger, not by time.
 */
const WINDOW_MS = HDE_POST_DATE_SLACK_MS;

type Message = { id: number; userId: number | null; text: string; dateCreated: Date | null };

/** Where a reconcile learns which HDE posts other sends of the dialog already account for. */
export type LedgerRefs = Pick<LedgerRepo, 'forDialog'>;

async function claimedRefs(ledger: LedgerRefs | undefined, entry: LedgerEntry): Promise<ReadonlySet<string>> {
  if (!ledger || entry.dialogId === null) return new Set();
  const rows = await ledger.forDialog(entry.dialogId, { newest: LEDGER_RECENT_ROWS });
  return new Set(rows.filter((r) => r.id !== entry.id && r.hdeRef !== null).map((r) => String(r.hdeRef)));
}

/**
 * Looks for our message among the newest ones: a post by the bot account with the same text
 * (normalised HTML) that no other send of the dialog accounts for, dated within a generous window.
 * Absent is only claimed when the page reaches back past that window, so nothing can hide on a
 * later page, and when every entry of the page could be read: an entry the client skipped (a shape
 * it does not know) may be ours, and claiming absence would send it twice. The list order is not
 * relied on.
 */
export function findOurs(
  items: readonly Message[],
  entry: LedgerEntry,
  botUserId: number | null,
  page: { total: number; perPage: number; skipped?: number },
  claimed: ReadonlySet<string>,
): Reconciled {
  const wanted = comparableText(String(entry.request.text ?? ''));
  const since = (entry.startedAt?.getTime() ?? 0) - WINDOW_MS;
  const matches = items.filter(
    (m) =>
      (botUserId === null || m.userId === botUserId) &&
      !claimed.has(String(m.id)) &&
      (m.dateCreated === null || m.dateCreated.getTime() >= since) &&
      sameSentText(comparableText(m.text), wanted),
  );
  const match = newestOf(matches);
  if (match) return { found: true, ref: String(match.id) };
  if ((page.skipped ?? 0) > 0) return { unsure: true };
  const dated = items.filter((m) => m.dateCreated !== null).map((m) => m.dateCreated!.getTime());
  const oldest = dated.length > 0 ? Math.min(...dated) : undefined;
  const seenAll = items.length < page.perPage || page.total <= items.length || (oldest !== undefined && oldest < since);
  return seenAll ? { found: false } : { unsure: true };
}

/** Where a reconcile learns which of the bot's posts came back as webhooks (our echoes). */
export type SentEchoes = Pick<EventsRepo, 'botPostEchoes'>;

/**
 * How long before a send's start (the database's clock) its echo may be dated on arrival (the
 * ingress's clock): slack for the two clocks, not for the call itself, whose echo comes after it.
 */
const ECHO_CLOCK_SLACK_MS = 60_000;

/**
 * The post a reply's own echo names: HDE fires its rule on every post it stores, so a webhook by the
 * bot account with our text, not accounted for by another send, proves the reply landed — also once
 * an agent has deleted it, which reading the posts cannot tell from a reply that never arrived (it
 * would be sent again, against the agent's will and into the customer's channel a second time).
 */
async function echoOf(
  echoes: SentEchoes | undefined,
  entry: LedgerEntry,
  botUserId: number | null,
  claimed: ReadonlySet<string>,
): Promise<Reconciled | undefined> {
  if (!echoes || botUserId === null || !entry.startedAt) return undefined;
  const wanted = comparableText(String(entry.request.text ?? ''));
  const since = new Date(entry.startedAt.getTime() - ECHO_CLOCK_SLACK_MS);
  for (const echo of await echoes.botPostEchoes(entry.integrationId, entry.ticketId, botUserId, since)) {
    if (claimed.has(String(echo.postId)) || echo.html === undefined) continue;
    if (sameSentText(comparableText(echo.html), wanted)) return { found: true, ref: String(echo.postId) };
  }
  return undefined;
}

/** A public reply (post) as a ledger action, authored by the bot account explicitly. */
export function replySpec(
  hde: Pick<HdeClient, 'createPost' | 'listPosts'>,
  ticketId: number,
  botUserId: number | null,
  ledger?: LedgerRefs,
  echoes?: SentEchoes,
): SendSpec {
  return {
    async perform(request, window) {
      const post = await hde.createPost(
        ticketId,
        { text: String(request.text), ...(botUserId !== null ? { userId: botUserId } : {}) },
        window,
      );
      return String(post.id);
    },
    async reconcile(entry) {
      const claimed = await claimedRefs(ledger, entry);
      // Our echo settles it without a request to HDE; without one (an account whose rule does not
      // fire for API replies, a lost webhook) the posts are read.
      const echoed = await echoOf(echoes, entry, botUserId, claimed);
      if (echoed) return echoed;
      const page = await newestPage((o) => hde.listPosts(ticketId, o));
      return findOurs(
        page.items,
        entry,
        botUserId,
        { total: page.pagination.total, perPage: page.pagination.perPage || 30, skipped: page.skipped },
        claimed,
      );
    },
  };
}

/** An internal note (comment) as a ledger action, authored by the bot account explicitly. */
export function noteSpec(
  hde: Pick<HdeClient, 'createComment' | 'listComments'>,
  ticketId: number,
  botUserId: number | null,
  ledger?: LedgerRefs,
): SendSpec {
  return {
    async perform(request, window) {
      const comment = await hde.createComment(
        ticketId,
        { text: String(request.text), ...(botUserId !== null ? { userId: botUserId } : {}) },
        window,
      );
      return String(comment.id);
    },
    async reconcile(entry) {
      const page = await newestPage((o) => hde.listComments(ticketId, o));
      return findOurs(
        page.items,
        entry,
        botUserId,
        { total: page.pagination.total, perPage: page.pagination.perPage || 30, skipped: page.skipped },
        await claimedRefs(ledger, entry),
      );
    },
  };
}

/** The reassignment a ledger request describes: owner, department, status — nothing else. */
function toAssignment(request: Record<string, unknown>): HdeTicketUpdate {
  return {
    ...(typeof request.ownerId === 'number' ? { ownerId: request.ownerId } : {}),
    ...(typeof request.departmentId === 'number' ? { departmentId: request.departmentId } : {}),
    ...(typeof request.statusId === 'string' ? { statusId: request.statusId } : {}),
  };
}

/** Tags to add (`addTags`; `tags` of rows planned before tags were read at send time means the same). */
function tagsToAdd(request: Record<string, unknown>): string[] {
  const raw = Array.isArray(request.addTags) ? request.addTags : Array.isArray(request.tags) ? request.tags : [];
  return [
    ...new Set(
      raw
        .map(String)
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ];
}

function customFieldsOf(request: Record<string, unknown>): Record<string, string | number | boolean> | undefined {
  const fields = request.customFields;
  if (!fields || typeof fields !== 'object' || Object.keys(fields).length === 0) return undefined;
  return fields as Record<string, string | number | boolean>;
}

/**
 * Enrichment (tags and custom fields) as a ledger action, separate from any reassignment. HDE's
 * update replaces a ticket's tags (where it accepts `tags` at all, which is undocumented), so the
 * list sent is always the ticket's tags read right before plus ours: never one built from an older
 * or unknown snapshot. If HDE refuses the update because of `tags`, the custom fields are sent
 * alone. An account whose ticket objects carry no `tags` key gets no tags at all: a list of ours
 * alone would replace the ticket's own tags, which an agent's filters may rely on, and losing our
 * tag costs less. Setting the same values again is harmless, so "not sure" means update again.
 */
export function updateSpec(hde: Pick<HdeClient, 'updateTicket' | 'getTicket'>, ticketId: number): SendSpec {
  return {
    // Idempotent: no start window (see SEND_START_WINDOW_MS), so a slow read of the tags never
    // keeps the update from going out.
    async perform(request) {
      const add = tagsToAdd(request);
      const customFields = customFieldsOf(request);
      if (add.length === 0) {
        if (customFields) await hde.updateTicket(ticketId, { customFields });
        return null;
      }
      const current = (await hde.getTicket(ticketId)).tags;
      const missing = current === undefined ? [] : add.filter((t) => !current.includes(t));
      if (current === undefined || missing.length === 0) {
        if (customFields) await hde.updateTicket(ticketId, { customFields });
        return null;
      }
      try {
        await hde.updateTicket(ticketId, { tags: [...current, ...missing], ...(customFields ? { customFields } : {}) });
      } catch (error) {
        // A refusal of the whole update (HDE rejecting `tags`) must not cost the custom fields.
        if (!(isHdeApiError(error) && error.reason === 'bad_request' && customFields)) throw error;
        await hde.updateTicket(ticketId, { customFields });
      }
      return null;
    },
    reconcile: async () => ({ found: false }),
  };
}

/**
 * A reassignment (owner, department, status) as a ledger action, sent alone so that nothing HDE might
 * refuse in an enrichment can stop the hand-off; checked by reading the ticket.
 */
export function assignSpec(hde: Pick<HdeClient, 'updateTicket' | 'getTicket'>, ticketId: number): SendSpec {
  return {
    // Idempotent, like updateSpec: no start window.
    async perform(request) {
      const update = toAssignment(request);
      if (Object.keys(update).length > 0) await hde.updateTicket(ticketId, update);
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
