import { eventFromPost, parseIntegrationSettings, postEventIdOf } from '@repo/domain';
import { formatHdePostDate, isTicketGone, type HdeClient, type HdePage, type HdePost } from '@repo/hde-client';
import type { JobHandler, Producer } from '@repo/queue';
import {
  storedEventOf,
  TURN_STATE_LIMITS,
  type DialogsRepo,
  type EventsRepo,
  type Integration,
  type Intake,
  type IntegrationsRepo,
  type LedgerRepo,
  type NewestSend,
  type RedriveRepo,
} from '@repo/store';
import { postsAwaitingAnswer } from '../hde/awaiting-posts';
import { HDE_POST_DATE_SLACK_MS, newestPage } from '../hde/newest-post';
import type { PostAuthors } from '../hde/post-author';
import type { TurnControl } from '../turns/turn-control';
import { redriveUnprocessedEvents } from '../turns/redrive-events';
import { isKnownPost } from '../turns/known-post';

/** How far around a post's date events of other tickets are searched for it (its webhook came soon after it). */
const MERGED_POST_WINDOW_MS = HDE_POST_DATE_SLACK_MS;

/** The precision of HDE's dates (`HH:MM:SS DD.MM.YYYY`). */
const HDE_DATE_STEP_MS = 1000;

/**
 * How long the webhook of the bot's own post may take at least before its absence counts as lost
 * (the dispatcher sends it within a second or two; the sweep's grace period when that is longer).
 */
const OWN_WEBHOOK_WAIT_MS = 5_000;

/** How much older than the look-back a customer post may be and still be taken (zone errors, see below). */
const OLD_POST_SLACK_MS = 24 * 3600_000;

/** Dependencies of the sweep stage. */
export type SweepIntegrationDeps = {
  integrations: Pick<IntegrationsRepo, 'get'>;
  dialogs: Pick<DialogsRepo, 'getByTicket' | 'recentMessages' | 'stalledDialogs'>;
  /** When the bot last changed a ticket, and its posts then: what tells its own reply from a newer post in the same second. */
  ledger: Pick<LedgerRepo, 'newestSent'>;
  /** The one intake of events: stores and enqueues classify. */
  intake: Pick<Intake, 'submit'>;
  events: Pick<EventsRepo, 'newestWebhookHasPostId' | 'heldOnAnotherTicket' | 'anyStored' | 'ownPostsArrive'>;
  redrive: Pick<RedriveRepo, 'unprocessedEvents' | 'hasUnprocessed'>;
  hde: { forIntegration(integration: Integration): Promise<Pick<HdeClient, 'listTickets' | 'listPosts' | 'listStatuses' | 'getUser'>> };
  /** Tells customers, humans, automations and our echo apart, as classify does (one cache of user groups). */
  authors: Pick<PostAuthors, 'classify'>;
  classify: Pick<Producer<'classify'>, 'add' | 'queue'>;
  turns: Pick<TurnControl, 'start'>;
  lookbackMinutes: number;
  budgetShare: number;
  graceMs: number;
  leaseMs: number;
  now?: () => Date;
};

/**
 * sweep: the guarantee behind the webhook fast path. Lists the integration's recently updated open
 * tickets within a share of the account's budget and, for each, takes the customer posts written
 * since the last answer of a human or the bot (by the ticket's client or another client; an
 * automation's post in between answers nothing) that we have no record of: it stores and enqueues
 * each as the webhook would have — with the same event id, so a late webhook and the sweep never
 * both answer. It also restarts turns of tickets whose pending messages were left without a live turn.
 */
export const createSweepIntegrationHandler = (deps: SweepIntegrationDeps): JobHandler<'sweep'> => {
  const read = createReadTickets();
  return async (data, { logger }) => {
    const integration = await deps.integrations.get(data.integrationId);
    if (!integration || !integration.enabled) return { outcome: 'disabled' };
    const now = deps.now?.() ?? new Date();

    let restarted = 0;
    for (const stalled of await deps.dialogs.stalledDialogs(deps.leaseMs, 100, integration.id)) {
      if (await deps.turns.start(integration.id, stalled.id, 0)) restarted += 1;
    }
    // Accepted events whose classify job failed for good or was lost are driven again.
    const redriven = await redriveUnprocessedEvents({
      redrive: deps.redrive,
      classify: deps.classify,
      integrationId: integration.id,
      olderThanMs: deps.graceMs,
    });

    const hde = await deps.hde.forIntegration(integration);
    // A post gets the id the integration's own rule gives its webhook (with or without post_id).
    const webhooksHavePostId = (await deps.events.newestWebhookHasPostId(integration.id)) ?? true;
    const { timeZone } = parseIntegrationSettings(integration.settings);
    // Accounts add their own statuses (`6`, `v-processe`): every status but `closed` may hold a
    // customer waiting for an answer.
    const statusList = (await hde.listStatuses()).map((s) => s.id).filter((id) => id !== 'closed');
    let calls = 1;
    const maxCalls = Math.max(2, Math.floor(integration.rateLimitPerMinute * deps.budgetShare));
    // A user's group is read at most once per integration (cached): counted when it is.
    const groups = {
      getUser: (userId: number) => {
        calls += 1;
        return hde.getUser(userId);
      },
    };
    // A customer post far older than the look-back is no lost webhook (the post itself moved the
    // ticket into an earlier sweep's look-back): it was written before the bot was connected, or its
    // ticket had been left to people. An agent touching such a ticket (a tag, a field) must not make
    // the bot answer it days later. A day of slack covers an account zone set wrong.
    const oldest = new Date(now.getTime() - deps.lookbackMinutes * 60_000 - OLD_POST_SLACK_MS);
    // A ticket is remembered at an update only once that update's second has passed, or a post later
    // in the same second would go unread.
    const settledAt = (dateUpdated: Date | null | undefined): dateUpdated is Date =>
      dateUpdated != null && now.getTime() >= dateUpdated.getTime() + 2 * HDE_DATE_STEP_MS;
    let ownArrive: boolean | undefined;
    /**
     * Whether the webhook of the bot's last reply in a ticket came back: `arrived` (the webhook of a
     * reply of its second is stored), `lost` (none, past the grace period, while this integration's
     * rule does send the bot's replies back), or `unknown` (a rule without post_id, whose webhook ids
     * cannot be computed from the post; a rule that never sends them back; no reply among the bot's
     * last calls; or still within the grace period). The last reply is what a customer's post after
     * it, in the ticket's last changed second, came next to (a call after the reply, an update or a
     * reassignment, may have moved that second on); a reply a second earlier tells nothing of the
     * dispatcher when the customer wrote.
     */
    const ownWebhooks = async (sent: NewestSend, ticketId: number): Promise<'arrived' | 'lost' | 'unknown'> => {
      const waited = now.getTime() - sent.at.getTime() >= Math.max(deps.graceMs, OWN_WEBHOOK_WAIT_MS);
      if (!webhooksHavePostId || sent.posts.length === 0 || !waited) return 'unknown';
      ownArrive ??= await deps.events.ownPostsArrive(integration.id);
      if (!ownArrive) return 'unknown';
      const last = Math.max(...sent.posts.map((p) => p.at.getTime()));
      const second = Math.floor(last / HDE_DATE_STEP_MS) * HDE_DATE_STEP_MS;
      const ids = sent.posts
        .filter((p) => p.at.getTime() >= second)
        .map(({ postId }) => postEventIdOf({ integrationId: integration.id, ticketId, postId }));
      return (await deps.events.anyStored(ids)) ? 'arrived' : 'lost';
    };
    let found = 0;
    let page = 1;
    for (;;) {
      if (calls >= maxCalls) break;
      const list = await hde.listTickets({
        page,
        statusList,
        fromDateUpdated: new Date(now.getTime() - deps.lookbackMinutes * 60_000),
        orderBy: 'date_updated{desc}',
      });
      calls += 1;
      for (const ticket of list.items) {
        if (calls >= maxCalls) break;
        // In HDE's trash (spam goes there; the list filter cannot leave trashed tickets out): an
        // unanswered post there is not a customer waiting.
        if (ticket.deleted) continue;
        // Read already at this very update and nothing was waiting (a ticket whose last change fell
        // in the second its dialog was updated, by someone else than the bot, would be read on every
        // sweep): nothing to look up.
        if (read.already(integration.id, ticket.id, ticket.dateUpdated)) continue;
        const dialog = await deps.dialogs.getByTicket(integration.id, ticket.id);
        if (dialog && ticket.dateUpdated) {
          const changed = ticket.dateUpdated.getTime();
          // An event of a post by the bot (its echo) or an automation made the dialog's last update:
          // it saw that post, not a customer's before an auto-reply or after the bot's reply whose
          // webhook was lost, so the dialog's date proves nothing.
          const blind = dialog.blindUpdateAt != null && dialog.blindUpdateAt.getTime() >= dialog.updatedAt.getTime();
          if (blind || dialog.updatedAt.getTime() >= changed) {
            const sent = await deps.ledger.newestSent(integration.id, ticket.id);
            if (sent && sent.at.getTime() >= changed) {
              // The last change fell in the second of our own last reply or reassignment, which made
              // it: the usual end of an answered ticket, whose turn's end then updated the dialog
              // (in that second or the next). Unless the webhooks of the bot's own posts of then never
              // came: the dispatcher was not reaching us, so a customer's post in that very second
              // lost its webhook too, and only the ticket's posts can tell.
              const echoes = await ownWebhooks(sent, ticket.id);
              if (echoes !== 'lost') {
                // They came: nothing can change that for this update (a later post changes the ticket).
                if (echoes === 'arrived' && settledAt(ticket.dateUpdated)) read.remember(integration.id, ticket.id, ticket.dateUpdated);
                continue;
              }
            } else if (!blind && dialog.updatedAt.getTime() >= changed + HDE_DATE_STEP_MS) {
              // Seen since its last update: nothing can be missing. HDE's dates are whole seconds: a
              // post later in the same second as the dialog's last update reads as older than it.
              continue;
            }
          }
        }
        let posts: HdePage<HdePost>;
        try {
          posts = await newestPage((o) => {
            calls += 1;
            return hde.listPosts(ticket.id, o);
          });
        } catch (error) {
          // Deleted or merged away since the listing: nothing waits there; the other tickets still do.
          if (isTicketGone(error)) continue;
          throw error;
        }
        // The ticket's own client is a customer without asking HDE; anyone else is judged by group.
        const waiting = await postsAwaitingAnswer(posts.items, oldest, (post) =>
          deps.authors.classify(integration, groups, {
            authorId: post.userId ?? undefined,
            customerId: ticket.userId ?? undefined,
            postId: post.id,
            html: post.text,
            dialogId: dialog?.id,
          }),
        );
        // A post this young may still have its webhook on the way.
        const due = waiting.filter((p) => !p.dateCreated || now.getTime() - p.dateCreated.getTime() >= deps.graceMs);
        // Read, with nothing waiting now or later that is new to us: not again until the ticket
        // changes (once its last second has passed: see settledAt).
        const remember = () => {
          if (settledAt(ticket.dateUpdated)) read.remember(integration.id, ticket.id, ticket.dateUpdated);
        };
        if (waiting.length === 0) remember();
        if (due.length === 0) continue;
        // An event of this ticket is stored but not processed yet (a backlog, an outage, the spool): it
        // will be, or is driven again above. Its id may differ from the one computed here (a webhook
        // tells less than the API), and a second event for the same post would be answered twice.
        if (await deps.redrive.hasUnprocessed(integration.id, ticket.id)) continue;
        const known = dialog ? await deps.dialogs.recentMessages(dialog.id, TURN_STATE_LIMITS.messages) : [];
        // Every customer post waiting is one we hold (a ticket people answer, or whose bot stays
        // silent, keeps its last customer post unanswered by the bot): read again only when it changes.
        let allKnown = due.length === waiting.length;
        for (const post of due) {
          const event = eventFromPost({
            integrationId: integration.id,
            ticketId: ticket.id,
            post,
            customerId: ticket.userId,
            statusId: ticket.statusId,
            userName: ticket.userName,
            postedAtText: post.dateCreated ? formatHdePostDate(post.dateCreated, timeZone) : undefined,
            receivedAt: now,
            webhooksHavePostId,
          });
          const record = storedEventOf(event);
          // A webhook from a rule without post_id stored the same post under another id.
          if (isKnownPost(known, { eventId: record.id, authorId: post.userId, html: event.messageHtml, postedAt: post.dateCreated }))
            continue;
          // An agent merged another ticket into this one: its posts came along with their ids and
          // dates, and were handled (answered, or failed and shown) as that ticket's. Taken for a new
          // message here, the merged question would be answered a second time.
          const postedAt = (post.dateCreated ?? now).getTime();
          const window = { from: new Date(postedAt - MERGED_POST_WINDOW_MS), to: new Date(postedAt + MERGED_POST_WINDOW_MS) };
          const held = { ticketId: ticket.id, postId: post.id, authorId: post.userId, postedAt: post.dateCreated };
          if (await deps.events.heldOnAnotherTicket(integration.id, held, window)) continue;
          const { duplicate } = await deps.intake.submit(record);
          if (!duplicate) {
            found += 1;
            allKnown = false;
          }
        }
        if (allKnown) remember();
      }
      if (page >= list.pagination.totalPages || list.items.length === 0) break;
      page += 1;
    }
    if (found > 0 || restarted > 0 || redriven > 0)
      logger.info('Sweep found missed messages', { integrationId: integration.id, found, restarted, redriven, calls });
    return { outcome: 'swept', found, restarted, redriven, calls };
  };
};

/** Tickets remembered as read with nothing waiting, per process; the oldest are forgotten first. */
const READ_TICKETS_MAX = 10_000;

/**
 * The tickets this process has read at their current update and found nothing waiting in, so a
 * ticket that cannot be told seen by dates alone (its last change in the same second as its
 * dialog's) costs one read of its posts per change, not one per sweep. Bounded: a forgotten ticket
 * is only read once more.
 */
function createReadTickets() {
  const read = new Map<string, number>();
  const key = (integrationId: string, ticketId: number) => `${integrationId}:${ticketId}`;
  return {
    already(integrationId: string, ticketId: number, dateUpdated: Date | null | undefined): boolean {
      return dateUpdated !== null && dateUpdated !== undefined && read.get(key(integrationId, ticketId)) === dateUpdated.getTime();
    },
    remember(integrationId: string, ticketId: number, dateUpdated: Date): void {
      const k = key(integrationId, ticketId);
      read.delete(k);
      read.set(k, dateUpdated.getTime());
      if (read.size > READ_TICKETS_MAX) read.delete(read.keys().next().value!);
    },
  };
}
