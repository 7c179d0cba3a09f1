import { classifyOffThread } from '@repo/ai';
import { AppError, parseIntegrationSettings, parseSkillSettings, readStoredEvent, type WebhookEvent } from '@repo/domain';
import type { JobHandler } from '@repo/queue';
import type { DialogsRepo, EventsRepo, Integration, IntegrationsRepo, OrganizationsRepo } from '@repo/store';
import { parseHdeDate, type HdeClient } from '@repo/hde-client';
import { newestPost } from '../hde/newest-post';
import type { PostAuthors } from '../hde/post-author';
import { refreshTicketFacts } from '../hde/ticket-facts';
import { scopeNeedsTicket } from '../turns/scope';
import type { TurnControl } from '../turns/turn-control';

/** Dependencies of the classify stage. */
export type ClassifyEventDeps = {
  events: Pick<EventsRepo, 'get' | 'markProcessed'>;
  integrations: Pick<IntegrationsRepo, 'get'>;
  organizations: Pick<OrganizationsRepo, 'getSkill'>;
  dialogs: Pick<DialogsRepo, 'upsertSeen' | 'recordMessage' | 'setState' | 'getByTicket' | 'recordTicketFacts' | 'forgetClosedStatus'>;
  hde: { forIntegration(integration: Integration): Promise<Pick<HdeClient, 'listPosts' | 'getTicket' | 'getUser'>> };
  turns: Pick<TurnControl, 'recordAndStart'>;
  /** Tells our echo, customers, humans and automations apart (see createPostAuthors). */
  authors: Pick<PostAuthors, 'classify'>;
};

/**
 * Fills what the webhook lacked (the author or the text, e.g. after a salvaged body) from the
 * ticket's newest post: one request, spent only when needed.
 */
async function completeFromHde(event: WebhookEvent, integration: Integration, deps: ClassifyEventDeps): Promise<WebhookEvent> {
  const hde = await deps.hde.forIntegration(integration);
  const { post: latest } = await newestPost(hde, event.ticketId);
  let customerId = event.customerId;
  if (customerId === undefined) customerId = (await hde.getTicket(event.ticketId)).userId ?? undefined;
  return {
    ...event,
    customerId,
    authorId: event.authorId ?? latest?.userId ?? undefined,
    messageHtml: event.messageHtml ?? latest?.text,
  };
}

/**
 * classify: reads one webhook event from the inbox, tells who wrote it (customer, our own echo, or
 * a human agent), records it on the dialog, and for a customer's message classifies it and starts
 * (or joins) the ticket's turn.
 */
export const createClassifyEventHandler =
  (deps: ClassifyEventDeps): JobHandler<'classify'> =>
  async (data, { logger }) => {
    const stored = await deps.events.get(data.eventId);
    const integration = await deps.integrations.get(data.integrationId);
    if (!integration) return { outcome: 'missing' };
    // The ingress writes the row and the job at the same time: a job may run before its row is
    // visible (or before a spool replay stores it). Retry, never drop.
    if (!stored) throw new AppError('event_not_stored_yet', 'The event of this job is not stored yet', { retryable: true });
    // The stored event is validated as it is read (events stored before the intake existed too).
    const typed = readStoredEvent(stored, (text) => parseHdeDate(text, parseIntegrationSettings(integration.settings).timeZone));
    let event: WebhookEvent | undefined = typed;
    if (!event) {
      await deps.events.markProcessed(stored.id, 'no_ticket');
      return { outcome: 'no_ticket' };
    }
    if (event.authorId === undefined || event.messageHtml === undefined || event.customerId === undefined) {
      event = await completeFromHde(event, integration, deps);
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
      // Another bot or rule: no customer message to answer, and no human taking the ticket over.
      await deps.events.markProcessed(stored.id, 'automation');
      return { outcome: 'automation' };
    }
    if (author === 'bot') {
      // Our own reply coming back: deliver already recorded it with its HDE post id.
      await deps.events.markProcessed(stored.id, 'echo');
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
    // Scope filters need the ticket's department, channel and tags: read them once per ticket.
    if (scopeNeedsTicket(settings.scope) && !dialog.ticketReadAt) {
      await refreshTicketFacts(await deps.hde.forIntegration(integration), deps.dialogs, dialog);
      dialog = (await deps.dialogs.getByTicket(integration.id, event.ticketId)) ?? dialog;
    }

    const skill = await deps.organizations.getSkill(integration.skillId);
    // On a worker thread: a long or hostile message must not hold up the loop that renews job locks.
    const classification = await classifyOffThread({ html: event.messageHtml ?? '', skill: parseSkillSettings(skill?.settings) });
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
