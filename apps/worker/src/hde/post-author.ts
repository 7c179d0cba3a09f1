import { parseIntegrationSettings } from '@repo/domain';
import { isHdeApiError, type HdeClient } from '@repo/hde-client';
import { comparableText, LEDGER_RECENT_ROWS, sameSentText, type Integration, type LedgerEntry, type LedgerRepo } from '@repo/store';

/**
 * Who wrote a post: `bot` — our own send coming back (the ledger knows it); `customer` — the
 * ticket's client or another client (a CC'd customer, a second contact); `agent` — a human on the
 * staff side, the bot account's owner writing by hand included; `automation` — another bot or rule
 * the admin listed, neither a customer nor a human taking over.
 */
export type PostAuthor = 'customer' | 'bot' | 'agent' | 'automation';

/** What is known of a post when its author is classified. */
export type PostFacts = {
  authorId?: number;
  customerId?: number;
  /** HDE's post id (`{last_post_id}`, `posts[].id`), when the source gave it. */
  postId?: number;
  html?: string;
  /** The dialog of the ticket, whose send ledger tells our own posts; none yet: nothing of ours was sent there. */
  dialogId: number | undefined;
};

/** Options of {@link createPostAuthors}. */
export type PostAuthorsOptions = {
  ledger: Pick<LedgerRepo, 'forDialog'>;
  /** How long a user's group type is trusted. Default 1 h. */
  ttlMs?: number;
  /** Most users remembered per process. Default 10 000. */
  maxEntries?: number;
  now?: () => number;
};

const SENT_STATES = new Set(['sending', 'sent', 'ambiguous']);

/** Whether one of our sends is this post: by HDE post id, else by the same text. */
export function ledgerKnowsPost(rows: readonly LedgerEntry[], facts: Pick<PostFacts, 'postId' | 'html'>): boolean {
  const sent = rows.filter((r) => SENT_STATES.has(r.state) && typeof r.request.text === 'string');
  if (facts.postId !== undefined && sent.some((r) => r.hdeRef === String(facts.postId))) return true;
  if (facts.html === undefined) return false;
  const seen = comparableText(facts.html);
  if (!seen) return false;
  return sent.some((r) => {
    // A row already tied to another post id is that post, not this one.
    if (facts.postId !== undefined && r.hdeRef !== null && /^\d+$/.test(r.hdeRef) && r.hdeRef !== String(facts.postId)) return false;
    return sameSentText(seen, comparableText(String(r.request.text)));
  });
}

/**
 * Classifies post authors for the classify stage and the sweep. The bot account is the integration's `botUserId`,
 * but only a post our send ledger knows is an echo: the same account writing by hand (an admin whose
 * key was entered) is a human. Other authors are told by HDE's user group (`GET /users/{id}`,
 * `group.type` staff/user), cached per integration, not only by comparing with the ticket's client.
 */
export function createPostAuthors(options: PostAuthorsOptions) {
  const ttlMs = options.ttlMs ?? 3600_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  const groups = new Map<string, { staff: boolean; at: number }>();

  async function isStaff(integration: Integration, hde: Pick<HdeClient, 'getUser'>, userId: number): Promise<boolean> {
    const key = `${integration.id}:${userId}`;
    const cached = groups.get(key);
    if (cached && now() - cached.at < ttlMs) return cached.staff;
    let staff: boolean;
    try {
      const user = await hde.getUser(userId);
      staff = user.group ? user.group.type === 'staff' : user.isStaff;
    } catch (error) {
      // A deleted user cannot be asked: not the ticket's client, so treated as staff, as before.
      if (isHdeApiError(error) && error.reason === 'not_found') staff = true;
      else throw error;
    }
    if (groups.size >= maxEntries) groups.delete(groups.keys().next().value as string);
    groups.set(key, { staff, at: now() });
    return staff;
  }

  return {
    /** The author of a post, or `undefined` when the source did not say who wrote it. */
    async classify(integration: Integration, hde: Pick<HdeClient, 'getUser'>, facts: PostFacts): Promise<PostAuthor | undefined> {
      const { authorId } = facts;
      if (authorId === undefined) return undefined;
      if (integration.botUserId !== null && authorId === integration.botUserId) {
        if (facts.dialogId === undefined) return 'agent';
        return ledgerKnowsPost(await options.ledger.forDialog(facts.dialogId, { newest: LEDGER_RECENT_ROWS }), facts) ? 'bot' : 'agent';
      }
      if (parseIntegrationSettings(integration.settings).automationUserIds.includes(authorId)) return 'automation';
      if (facts.customerId !== undefined && authorId === facts.customerId) return 'customer';
      return (await isStaff(integration, hde, authorId)) ? 'agent' : 'customer';
    },
  };
}
/** See {@link createPostAuthors}. */
export type PostAuthors = ReturnType<typeof createPostAuthors>;
