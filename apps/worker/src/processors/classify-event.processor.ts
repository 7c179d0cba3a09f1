import { classifyOffThread } from '@repo/ai';
import {
  normaliseMessageText,
  parseIntegrationSettings,
  parseSkillSettings,
  postEventIdOf,
  readStoredEvent,
  type WebhookEvent,
} from '@repo/domain';
import { JobDelay, type JobHandler } from '@repo/queue';
import {
  TURN_STATE_LIMITS,
  type DialogsRepo,
  type EventsRepo,
  type Integration,
  type IntegrationsRepo,
  type OrganizationsRepo,
} from '@repo/store';
import { isHdeApiError, isTicketGone, parseHdeDate, type HdeClient, type HdePost } from '@repo/hde-client';
import { newestOf, newestPost, postAt, recentPost } from '../hde/newest-post';
import type { PostAuthors } from '../hde/post-author';
import { isTicketTrashed, refreshTicketFacts, restoredFromTrash } from '../hde/ticket-facts';
import { isKnownPost } from '../turns/known-post';
import { scopeNeedsTicket } from '../turns/scope';
import { unstoredEventError } from '../turns/unstored-event';
import type { TurnControl } from '../turns/turn-control';

/** Dependencies of the classify stage. */
export type ClassifyEventDeps = {
  events: Pick<EventsRepo, 'get' | 'markProcessed' | 'newestWebhookHasPostId'>;
  integrations: Pick<IntegrationsRepo, 'get'>;
  organizations: Pick<OrganizationsRepo, 'getSkill'>;
  dialogs: Pick<
    DialogsRepo,
    'upsertSeen' | 'recordMessage' | 'setState' | 'getByTicket' | 'recordTicketFacts' | 'forgetClosedStatus' | 'recentMessages'
  >;
  hde: { forIntegration(integration: Integration): Promise<Pick<HdeClient, 'listPosts' | 'getTicket' | 'getUser'>> };
  turns: Pick<TurnControl, 'recordAndStart'>;
  /** Tells our echo, customers, humans and automations apart (see createPostAuthors). */
  authors: Pick<PostAuthors, 'classify'>;
};

/**
 * The post an event is about, read from HDE: the one with the event's post id among the ticket's
 * newest posts; for an event that names none (a rule without `post_id`), the post its date and
 * author point to, else the newest post by the event's author (when known; else the newest). With
 * two quick messages the newest is already the second one, so the post id, or the date, is what
 * keeps the first one's text and author its own; a named post older than that page (a late replay)
 * is not guessed at, nor is a post an agent deleted meanwhile taken for whoever wrote last (the
 * bot's own reply, read as the customer's words, would be answered): `undefined`. An automation or
 * an agent writing after the customer does not hide the customer's post; an older one of the
 * author's that stands in is recognised as already handled further on (known posts).
 */
async function postOfEvent(
  hde: Pick<HdeClient, 'listPosts'>,
  event: { ticketId: number; postId?: number | undefined; postedAt: Date | null; authorId?: number | undefined },
): Promise<HdePost | undefined> {
  if (event.postId !== undefined) return (await recentPost(hde, event.ticketId, event.postId)).post;
  const { post, page } = await newestPost(hde, event.ticketId);
  const newest = event.authorId === undefined ? post : newestOf(page.items.filter((p) => p.userId === event.authorId));
  return postAt(page.items, event.postedAt, event.authorId) ?? newest;
}

/** An image inside the message's HTML (pasted into an e-mail or the widget) is an attachment too. */
const INLINE_IMAGE = /<img\b/i;

/** Whether a post read from HDE carries files, or an image in its HTML. */
const postCarriesFiles = (post: HdePost): boolean => post.files.length > 0 || INLINE_IMAGE.test(post.text);

/**
 * Fills what the webhook lacked (the author or the text, e.g. after a salvaged body or a rule
 * whose `{answer_last}` HDE left unexpanded) from the event's post, and the customer from the
 * ticket: each request spent only when needed. Returns the post too, so a later question about it
 * (its files) costs nothing more.
 */
async function completeFromHde(
  event: WebhookEvent & { postId?: number; postedAt: Date | null },
  integration: Integration,
  deps: ClassifyEventDeps,
): Promise<{ event: WebhookEvent; post: HdePost | undefined; postGone: boolean }> {
  const hde = await deps.hde.forIntegration(integration);
  // A webhook that had the text and the author but lacked the customer id needs the ticket only.
  const needsPost = event.messageHtml === undefined || event.authorId === undefined;
  const post = needsPost ? await postOfEvent(hde, event) : undefined;
  if (needsPost && !post) return { event, post, postGone: true };
  let customerId = event.customerId;
  if (customerId === undefined) customerId = (await hde.getTicket(event.ticketId)).userId ?? undefined;
  // The post's text is capped and cleaned as a webhook's and the sweep's are (HDE returns a post of any length).
  const postText = post ? normaliseMessageText(post.text) : '';
  const messageHtml = event.messageHtml ?? (postText ? postText : undefined);
  return {
    event: {
      ...event,
      customerId,
      authorId: event.authorId ?? post?.userId ?? undefined,
      messageHtml,
      // Files are read off the same post only when it is the one whose text the event carries.
      hasAttachments: event.hasAttachments ?? (post && event.messageHtml === undefined ? postCarriesFiles(post) : undefined),
    },
    post,
    postGone: false,
  };
}

/**
 * classify: reads one webhook event from the inbox, tells who wrote it (customer, our own echo, or
 * a human agent), records it on the dialog, and for a customer's message classifies it and starts
 * (or joins) the ticket's turn.
 */
export const createClassifyEventHandler =
  (deps: ClassifyEventDeps): JobHandler<'classify'> =>
  async (data, { logger, enqueuedAt }) => {
    // HDE no longer has the ticket (an agent deleted it, or merged it into another): there is nobody
    // to answer there, and asking again would get the same 404. The event ends with the reason,
    // shown in the webhook log, instead of failing and being retried.
    const ticketGone = async (eventId: string, ticketId: number) => {
      await deps.events.markProcessed(eventId, 'ticket_gone');
      logger.info('HDE no longer has the ticket of this event: nothing to answer', { ticketId });
      return { outcome: 'ticket_gone' };
    };
    const stored = await deps.events.get(data.eventId);
    const integration = await deps.integrations.get(data.integrationId);
    if (!integration) return { outcome: 'missing' };
    // The ingress writes the row and the job at the same time: a job may run before its row is
    // visible (or before a spool replay stores it, after PostgreSQL refused the write). Wait, never drop.
    if (!stored) throw unstoredEventError(enqueuedAt);
    // An event is only ever handled as its own integration's, whatever a job names.
    if (stored.integrationId !== integration.id) return { outcome: 'missing' };
    // The stored event is validated as it is read (events stored before the intake existed too).
    const typed = readStoredEvent(stored, (text) => parseHdeDate(text, parseIntegrationSettings(integration.settings).timeZone));
    let event: WebhookEvent | undefined = typed;
    if (!event) {
      await deps.events.markProcessed(stored.id, 'no_ticket');
      return { outcome: 'no_ticket' };
    }
    let post: HdePost | undefined;
    if (event.authorId === undefined || event.messageHtml === undefined || event.customerId === undefined) {
      let completed: Awaited<ReturnType<typeof completeFromHde>>;
      try {
        completed = await completeFromHde({ ...event, postId: typed?.postId, postedAt: typed?.postedAt ?? null }, integration, deps);
      } catch (error) {
        if (!isTicketGone(error)) throw error;
        return ticketGone(stored.id, event.ticketId);
      }
      if (completed.postGone) {
        // The webhook lacked the text or author and its post is not among the newest: a late replay
        // of an old post, or one an agent deleted. Its words cannot be told; newer posts have events
        // of their own. The webhook log shows the outcome.
        await deps.events.markProcessed(stored.id, 'post_not_found');
        logger.info('Webhook without text names a post HDE no longer lists: nothing to answer', { ticketId: event.ticketId });
        return { outcome: 'post_not_found' };
      }
      ({ event, post } = completed);
    }
    const postedAt = typed?.postedAt ?? null;
    const seen = await deps.dialogs.upsertSeen(integration.id, event.ticketId, {
      customerId: event.customerId,
      customerName: event.userName,
      statusId: event.statusId,
      postedAt,
    });
    const before = seen.previous;
    let dialog = seen.dialog;
    // Webhooks arrive out of order: an event about an older post than one already seen tells
    // nothing new about the ticket's status or who holds it.
    const outdated = postedAt !== null && before?.lastPostAt != null && postedAt.getTime() < before.lastPostAt.getTime();

    const author = await deps.authors.classify(integration, await deps.hde.forIntegration(integration), {
      authorId: event.authorId,
      customerId: event.customerId,
      postId: typed?.postId,
      html: event.messageHtml,
      dialogId: dialog.id,
    });
    if (author === 'automation') {
      // Another bot or rule: no customer message to answer, and no human taking the ticket over. Its
      // webhook says nothing of the posts before it (the customer's may have lost its webhook): the
      // sweep must not take this update for having seen them.
      await deps.events.markProcessed(stored.id, 'automation', { blindDialogId: dialog.id });
      return { outcome: 'automation' };
    }
    if (author === 'bot') {
      // Our own reply coming back, which the intake could not tell yet (its send not recorded as sent
      // when the webhook came): deliver records it with its HDE post id. It says nothing of a
      // customer's post written after the reply: the sweep must not take this update for having seen one.
      await deps.events.markProcessed(stored.id, 'echo', { blindDialogId: dialog.id });
      return { outcome: 'echo' };
    }
    if (author === 'agent' || author === undefined) {
      await deps.dialogs.recordMessage({
        dialogId: dialog.id,
        eventId: stored.id,
        authorKind: 'agent',
        authorId: event.authorId ?? null,
        text: '',
        html: event.messageHtml ?? null,
        postedAt,
        status: 'recorded',
      });
      if (dialog.state !== 'closed') await deps.dialogs.setState(dialog.id, 'agent', 'agent_replied', postedAt);
      await deps.events.markProcessed(stored.id, 'agent');
      logger.info('Agent reply recorded: bot silent on ticket', { dialogId: dialog.id, ticketId: event.ticketId });
      return { outcome: 'agent' };
    }

    // The text came from HDE (the webhook had none: a salvaged body, or a rule about something else,
    // such as an owner change pointed at our URL): the post read may be one the dialog already
    // holds, and handling it again would answer it twice.
    if (typed?.messageHtml === undefined && post) {
      // This event's own message, stored by a run that died before queueing its turn, is not "known":
      // the rerun must go on to start the turn.
      const known = (await deps.dialogs.recentMessages(dialog.id, TURN_STATE_LIMITS.messages)).filter((m) => m.eventId !== stored.id);
      const eventId = postEventIdOf({ integrationId: integration.id, ticketId: event.ticketId, postId: post.id });
      // With post ids in the message rule's webhooks a handled post is known by its id alone; the
      // text is compared only for rules without them (where two identical short messages within
      // minutes are then taken for one, as the sweep does).
      const handled =
        known.some((m) => m.eventId === eventId) ||
        ((await deps.events.newestWebhookHasPostId(integration.id)) === false &&
          isKnownPost(known, { eventId, authorId: post.userId, html: post.text, postedAt: post.dateCreated }));
      if (handled) {
        await deps.events.markProcessed(stored.id, 'known_post');
        logger.info('Webhook without text names a post already handled: nothing to do', { dialogId: dialog.id, ticketId: event.ticketId });
        return { outcome: 'known_post' };
      }
    }

    const settings = parseIntegrationSettings(integration.settings);
    // A rule that does not send the status: the customer writing into a ticket known as closed has
    // most likely reopened it (HDE reopens a closed ticket when the client writes), so its status is
    // unknown from here, not closed for good (the bot would stay silent on it forever).
    if (!outdated && event.statusId === undefined && dialog.statusId === 'closed') {
      await deps.dialogs.forgetClosedStatus(dialog.id);
      dialog = { ...dialog, statusId: null };
    }
    // A customer writing into a ticket that had been closed takes it back from the humans, if allowed.
    const reopened = !outdated && before?.statusId === 'closed' && event.statusId !== undefined && event.statusId !== 'closed';
    if (
      reopened &&
      settings.takeover.handBackOnReopen &&
      (dialog.state === 'agent' || dialog.state === 'handed_off' || dialog.state === 'closed')
    ) {
      if (await deps.dialogs.setState(dialog.id, 'bot', 'reopened', postedAt))
        logger.info('Ticket reopened by the customer: bot takes it back', { dialogId: dialog.id });
    }
    // A ticket once seen in HDE's trash stays closed for the bot until its customer writes into it
    // restored: a restored ticket is the bot's again as a reopened one is (or the humans', when
    // they keep reopened tickets), not silent for good.
    if (!outdated && dialog.state === 'closed' && dialog.handoffReason === 'ticket_trashed') {
      let restored: boolean;
      try {
        restored = await restoredFromTrash(await deps.hde.forIntegration(integration), deps.dialogs, dialog);
      } catch (error) {
        if (!isTicketGone(error)) throw error;
        return ticketGone(stored.id, event.ticketId);
      }
      if (restored) {
        const state = settings.takeover.handBackOnReopen ? 'bot' : 'agent';
        if (await deps.dialogs.setState(dialog.id, state, 'ticket_restored', postedAt)) {
          dialog = { ...dialog, state, handoffReason: 'ticket_restored' };
          logger.info('Ticket restored from HDE trash: the dialog is open again', { dialogId: dialog.id, state });
        }
      }
    }
    // Scope filters need the ticket's department, channel and tags: read them once per ticket.
    if (scopeNeedsTicket(settings.scope) && !dialog.ticketReadAt) {
      try {
        await refreshTicketFacts(await deps.hde.forIntegration(integration), deps.dialogs, dialog);
      } catch (error) {
        if (isTicketTrashed(error)) {
          // An agent put the ticket in HDE's trash (spam goes there): nothing to answer in it.
          await deps.events.markProcessed(stored.id, 'ticket_trashed');
          logger.info('The ticket of this event is in HDE trash: nothing to answer', { ticketId: event.ticketId });
          return { outcome: 'ticket_trashed' };
        }
        if (!isTicketGone(error)) throw error;
        return ticketGone(stored.id, event.ticketId);
      }
      dialog = (await deps.dialogs.getByTicket(integration.id, event.ticketId)) ?? dialog;
    }

    const skill = parseSkillSettings((await deps.organizations.getSkill(integration.skillId))?.settings);
    const html = event.messageHtml ?? '';
    // An <img> in the text counts even when the post listed no files.
    const hasAttachments = event.hasAttachments === true || INLINE_IMAGE.test(html) ? true : event.hasAttachments;
    // On a worker thread: a long or hostile message must not hold up the loop that renews job locks.
    let classification = await classifyOffThread({ html, skill, ...(hasAttachments ? { hasAttachments } : {}) });
    // A message without text (a photo from a messenger, a file by e-mail) whose webhook said nothing
    // of files: ask HDE for the post's files, so a screenshot gets a person instead of silence.
    if (classification.intent === 'empty' && hasAttachments === undefined) {
      try {
        post ??= await postOfEvent(await deps.hde.forIntegration(integration), {
          ticketId: event.ticketId,
          postId: typed?.postId,
          postedAt: typed?.postedAt ?? null,
          authorId: event.authorId,
        });
      } catch (error) {
        // A paused account delays the job and a passing failure (5xx, timeout) retries it; a lasting
        // one (the post or ticket gone, 404) only costs the files: the message is handled as it
        // stands (empty), as it was before files were asked for.
        if (error instanceof JobDelay || (isHdeApiError(error) && error.retryable)) throw error;
        logger.warn('Files of an empty message could not be read from HDE', { ticketId: event.ticketId, error: String(error) });
      }
      if (post && postCarriesFiles(post)) classification = await classifyOffThread({ html, skill, hasAttachments: true });
    }
    // One statement stores the message, tries the ticket's turn lease and marks the event processed.
    // A rerun after the message was stored must still start its turn (a no-op while one runs).
    const { inserted, turnId } = await deps.turns.recordAndStart(integration.id, {
      dialogId: dialog.id,
      eventId: stored.id,
      authorKind: 'customer',
      authorId: event.authorId ?? null,
      text: classification.cleanText,
      html: event.messageHtml ?? null,
      postedAt,
      status: 'pending',
      classification,
    });
    logger.info('Customer message classified', {
      dialogId: dialog.id,
      intent: classification.intent,
      turnStarted: Boolean(turnId),
      rerun: !inserted,
    });
    return { outcome: inserted ? 'customer' : 'duplicate', intent: classification.intent, turnId: turnId ?? null };
  };
