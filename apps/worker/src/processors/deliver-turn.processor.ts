import { parseIntegrationSettings, type IntegrationSettings } from '@repo/domain';
import { turnIdsMatch } from '../turns/job-ids';
import { isHdeApiError, isTicketGone, type HdeClient } from '@repo/hde-client';
import type { Logger } from '@repo/logger';
import type { JobHandler } from '@repo/queue';
import type {
  DecisionsRepo,
  Dialog,
  DialogMessage,
  DialogsRepo,
  EventsRepo,
  Integration,
  IntegrationsRepo,
  LedgerEntry,
  LedgerRepo,
  MessageStatus,
  TurnDecision,
  TurnStateRepo,
} from '@repo/store';
import { leastLoadedAgent } from '../hde/least-loaded';
import { confirmClosed, isStale, isTicketTrashed, refreshTicketFacts } from '../hde/ticket-facts';
import { planActions } from '../deliver/plan-actions';
import { draftNoteHtml } from '../deliver/draft-marker';
import { approvedKey, deliverApprovedDraft } from '../deliver/approved-draft';
import { refusedAsClosed, sendOnce, ticketGone, type OwnedSending, type SendOutcome } from '../deliver/send-once';
import { isCustomerVisible, specForEntry } from '../deliver/spec-for-entry';
import type { TurnControl } from '../turns/turn-control';

/** Dependencies of the deliver stage. */
export type DeliverTurnDeps = {
  dialogs: Pick<DialogsRepo, 'get' | 'recordMessage' | 'setState' | 'countBotReply' | 'recordTicketFacts'>;
  decisions: Pick<DecisionsRepo, 'get' | 'update'>;
  /** The turn, its dialog, messages and ledger rows: one read at the start of a run. */
  turnState: Pick<TurnStateRepo, 'read'>;
  integrations: Pick<IntegrationsRepo, 'get'>;
  ledger: Pick<
    LedgerRepo,
    'plan' | 'planTurn' | 'forTurn' | 'get' | 'getByKey' | 'beginSend' | 'finish' | 'replan' | 'markAmbiguous' | 'forDialog'
  >;
  hde: { forIntegration(integration: Integration): Promise<HdeClient> };
  /** Our posts' webhooks: a reply whose answer was lost is known landed by its echo. */
  events: Pick<EventsRepo, 'botPostEchoes'>;
  turns: Pick<TurnControl, 'end'>;
  callTimeoutMs: number;
};

/** Why the turn's reply must not go out any more, judged on the dialog's latest known state. */
function staleReason(dialog: Dialog, turn: TurnDecision): string | undefined {
  if (dialog.statusId === 'closed' || dialog.state === 'closed') return 'ticket_closed';
  // An owner alone is no takeover (HDE often assigns new tickets automatically); a human's reply is.
  if ((turn.action === 'answer' || turn.action === 'clarify') && (dialog.state === 'agent' || dialog.state === 'handed_off'))
    return 'human_involved';
  // Returned to the bot in the admin app after this turn began: a person held the ticket in between,
  // and the reply would answer what was written before they let it go.
  if ((turn.action === 'answer' || turn.action === 'clarify') && dialog.returnedAt && turn.createdAt < dialog.returnedAt)
    return 'human_involved';
  return undefined;
}

/** Why nothing may be sent at all right now: the integration was disabled or its replies switched off. */
function blockedReason(integration: Integration, turn: TurnDecision): string | undefined {
  if (!integration.enabled) return 'integration_disabled';
  if (integration.replyMode === 'off' || turn.replyMode === 'off') return 'reply_mode_off';
  return undefined;
}

/**
 * How the turn may speak to the customer: the stricter of the mode it was decided in and the mode in
 * force now, so a draft never becomes a public reply without an admin's approval.
 */
function effectiveMode(integration: Integration, turn: TurnDecision): 'public' | 'note' {
  return integration.replyMode === 'note' || turn.replyMode === 'note' ? 'note' : 'public';
}

/**
 * What happens to a planned call right before it goes out, judged on the integration as it is now:
 * sent as planned, skipped (bot disabled, replies off, the ticket closed or taken over), or — a
 * public reply planned before replies needed an approval — posted as a draft note instead.
 */
function beforeCall(
  now: Integration,
  turn: TurnDecision,
  stale: string | undefined,
  customerVisible: boolean,
): { go: 'send' } | { go: 'skip'; reason: string } | { go: 'draft' } {
  const skip = blockedReason(now, turn) ?? stale;
  if (skip) return { go: 'skip', reason: skip };
  if (customerVisible && effectiveMode(now, turn) === 'note') return { go: 'draft' };
  return { go: 'send' };
}

/** Who gets a handed-off ticket. Least-loaded is resolved once, when the turn's plan is made. */
async function resolveHandoffTarget(
  integration: Integration,
  settings: IntegrationSettings,
  hde: HdeClient,
  logger: Logger,
): Promise<{ ownerId?: number; departmentId?: number }> {
  const department = integration.handoffDepartmentId ?? undefined;
  if (settings.handoff.target === 'department') return department ? { departmentId: department } : {};
  if (settings.handoff.target === 'least_loaded' && department !== undefined) {
    const exclude = integration.botUserId !== null ? [integration.botUserId] : [];
    try {
      const known = integration.handoffAgentId !== null ? [integration.handoffAgentId] : [];
      const agent = await leastLoadedAgent(hde, department, exclude, known);
      if (agent !== undefined) return { ownerId: agent, departmentId: department };
    } catch (error) {
      // HDE refuses what counting needs for good (the bot account may not list users or groups):
      // the ticket still goes to the department rather than the hand-off failing on every retry.
      if (!(isHdeApiError(error) && !error.retryable)) throw error;
      logger.warn('Least-loaded agent could not be counted: handed to the department', { departmentId: department, reason: error.reason });
    }
  }
  return {
    ...(integration.handoffAgentId !== null ? { ownerId: integration.handoffAgentId } : {}),
    ...(department !== undefined ? { departmentId: department } : {}),
  };
}

/**
 * The turn's stored plan, made once: on the first run the calls are planned in one transaction
 * (with the ticket re-read first when its known state is stale); every later run drives exactly
 * those rows from their stored requests.
 */
async function turnPlan(
  deps: DeliverTurnDeps,
  input: {
    turn: TurnDecision;
    dialog: Dialog;
    integration: Integration;
    hde: HdeClient;
    existing: LedgerEntry[];
    messages: DialogMessage[];
    logger: Logger;
  },
): Promise<{ rows: LedgerEntry[]; dialog: Dialog; ownsSending?: OwnedSending; gone?: boolean; trashed?: boolean }> {
  const { turn, integration, hde, existing } = input;
  let dialog = input.dialog;
  if (existing.length > 0) return { rows: existing, dialog };
  const settings = parseIntegrationSettings(integration.settings);
  let gone = false;
  let trashed = false;
  if ((turn.action === 'answer' || turn.action === 'clarify') && isStale(dialog, settings.staleAfterMs)) {
    try {
      await refreshTicketFacts(hde, deps.dialogs, dialog);
      dialog = (await deps.dialogs.get(dialog.id)) ?? dialog;
    } catch (error) {
      // Moved to HDE's trash (where spam goes): nothing is written into it, and no answer is owed.
      if (isTicketTrashed(error)) trashed = true;
      // Deleted or merged away since its webhook: the plan is still stored, every call skipped, so
      // the turn ends with the reason instead of failing on a read that will never succeed.
      else if (isTicketGone(error)) gone = true;
      else throw error;
    }
  }
  const stale = gone ? 'ticket_gone' : trashed ? 'ticket_trashed' : staleReason(dialog, turn);
  const history = input.messages;
  const questions = history.filter((m) => turn.messageIds.includes(m.id)).map((m) => m.text);
  const assignTo = turn.action === 'handoff' && !stale ? await resolveHandoffTarget(integration, settings, hde, input.logger) : {};
  const actions = planActions({
    turn,
    dialog,
    integration,
    settings,
    hde,
    questions,
    assignTo,
    replyMode: effectiveMode(integration, turn),
  });
  // The first call goes out right after planning, so unless something stops it the plan's own
  // statement writes it straight into `sending` (one statement less per turn). The integration is
  // read again first, as before any call: an admin may have switched the bot off meanwhile.
  const current = (await deps.integrations.get(integration.id)) ?? integration;
  const first = actions[0];
  const startFirst = first !== undefined && beforeCall(current, turn, stale, first.customerVisible).go === 'send';
  const since = performance.now();
  const plan = await deps.ledger.planTurn(
    turn.turnId,
    actions.map((a) => ({
      integrationId: integration.id,
      dialogId: dialog.id,
      ticketId: dialog.ticketId,
      actionKey: `${a.key}-${turn.turnId}`,
      kind: a.kind,
      request: a.request,
    })),
    { startFirst },
  );
  return {
    rows: plan.rows,
    dialog,
    ...(plan.started ? { ownsSending: { id: plan.started.id, since } } : {}),
    ...(gone ? { gone } : {}),
    ...(trashed ? { trashed } : {}),
  };
}

/** The message status a delivered turn leaves on its customer messages. */
function messageStatusOf(
  turn: TurnDecision,
  results: Array<{ state: string; customerVisible: boolean }>,
  skipped: string | undefined,
): MessageStatus {
  // HDE no longer has the ticket. Unless the customer got our message, or a hand-off reached a person
  // (its note or reassignment went through) before that, nobody took the message and nothing says
  // no answer was needed (a ticket merged into another: the message now waits there): a failure
  // admins see, not an ignored message.
  if (skipped === 'ticket_gone') {
    const taken = results.some((r) => r.state === 'sent' && (r.customerVisible || turn.action === 'handoff'));
    return taken ? 'done' : 'failed';
  }
  if (skipped) return 'ignored';
  const visible = results.filter((r) => r.customerVisible);
  if (visible.some((r) => r.state === 'failed' || r.state === 'quarantined')) return 'failed';
  if (turn.action === 'handoff' && results.length > 0 && results.every((r) => r.state !== 'sent')) return 'failed';
  return 'done';
}

/**
 * deliver: carries out the decision in HDE — the reply, or the hand-off (customer notice, internal
 * note with a summary, reassignment, status, tag) and enrichment — each call exactly once through
 * the send ledger, then records the bot's message and ends the turn. The calls are planned once and
 * stored; a rerun drives the stored rows. Right before each call the integration is checked again:
 * disabled or replies switched off skips what was not sent yet, and a public reply planned before
 * the mode became `note` goes out as a draft note instead. Preconditions are checked on the dialog's
 * latest known state; the ticket is read from HDE only when that state is older than `staleAfterMs`.
 */
export const createDeliverTurnHandler =
  (deps: DeliverTurnDeps): JobHandler<'deliver'> =>
  async (data, { logger }) => {
    const state = await deps.turnState.read(data.dialogId, data.turnId, { ledger: true });
    const turn = state.turn;
    let dialog = state.dialog;
    const integration = await deps.integrations.get(data.integrationId);
    if (!turn || !dialog || !integration) return { outcome: 'missing' };
    if (!turnIdsMatch(integration, dialog, turn)) return { outcome: 'missing' };
    const approval = state.ledger.find((e) => e.integrationId === integration.id && e.actionKey === approvedKey(turn.turnId));
    const turnRows = state.ledger.filter((e) => e.turnId === turn.turnId);
    if (approval && !['sent', 'failed', 'quarantined', 'skipped'].includes(approval.state)) {
      const outcome = await deliverApprovedDraft({
        entry: approval,
        turn,
        dialog,
        integration,
        hde: await deps.hde.forIntegration(integration),
        dialogs: deps.dialogs,
        decisions: deps.decisions,
        send: { ledger: deps.ledger, callTimeoutMs: deps.callTimeoutMs },
        refs: { ledger: deps.ledger, echoes: deps.events },
      });
      logger.info('Approved draft delivered', { turnId: turn.turnId, state: outcome.state });
      return { outcome: 'approved', state: outcome.state };
    }
    if (turn.stage === 'delivered') {
      // A rerun after the turn was recorded as delivered but before its lease was released: release
      // it now (a no-op when this turn no longer holds it), or the ticket waits for the lease to expire.
      await deps.turns.end(
        data.integrationId,
        data.dialogId,
        data.turnId,
        (turn.result?.messageStatus as MessageStatus | undefined) ?? 'done',
      );
      return { outcome: 'already_delivered' };
    }
    const hde = await deps.hde.forIntegration(integration);
    const blockedAtStart = blockedReason(integration, turn);
    const planned: { rows: LedgerEntry[]; dialog: Dialog; ownsSending?: OwnedSending; gone?: boolean; trashed?: boolean } = blockedAtStart
      ? { rows: turnRows, dialog }
      : await turnPlan(deps, { turn, dialog, integration, hde, existing: turnRows, messages: state.messages, logger });
    dialog = planned.dialog;
    // HDE no longer has the ticket (deleted, or merged into another): nothing more is tried on it.
    let goneFromHde = planned.gone === true;
    let stale = goneFromHde ? 'ticket_gone' : planned.trashed ? 'ticket_trashed' : staleReason(dialog, turn);
    // HDE refused a post because the ticket is closed: what is left of the turn is skipped.
    let closedInHde = false;

    const results: Array<{ kind: string; state: string; ref: string | null; error?: string; customerVisible: boolean }> = [];
    let botMessage: string | undefined;
    for (let row of planned.rows) {
      if (row.state === 'planned') {
        // Read again right before the call: an admin may have switched the bot off meanwhile.
        const now = (await deps.integrations.get(integration.id)) ?? integration;
        const next = beforeCall(now, turn, stale, isCustomerVisible(row));
        if (next.go === 'draft') {
          // Planned as a public reply, but replies now need an approval: post it as a draft note.
          await deps.ledger.finish(row.id, 'skipped', { error: 'reply_mode_note' });
          results.push({ kind: row.actionKey, state: 'skipped', ref: null, error: 'reply_mode_note', customerVisible: true });
          row = await deps.ledger.plan({
            integrationId: integration.id,
            dialogId: dialog.id,
            ticketId: dialog.ticketId,
            actionKey: `draft-${turn.turnId}`,
            kind: 'note',
            request: { ...row.request, text: draftNoteHtml(String(row.request.text ?? ''), turn.classification?.language) },
            turnId: turn.turnId,
          });
        } else if (next.go === 'skip') {
          await deps.ledger.finish(row.id, 'skipped', { error: next.reason });
          results.push({ kind: row.actionKey, state: 'skipped', ref: null, error: next.reason, customerVisible: isCustomerVisible(row) });
          continue;
        }
      }
      const outcome: SendOutcome = await sendOnce(
        row,
        specForEntry(row, hde, dialog.ticketId, integration.botUserId, deps.ledger, deps.events),
        {
          ledger: deps.ledger,
          callTimeoutMs: deps.callTimeoutMs,
          ...(planned.ownsSending !== undefined ? { ownsSending: planned.ownsSending } : {}),
        },
      );
      const customerVisible = isCustomerVisible(row);
      results.push({ kind: row.actionKey, ...outcome, customerVisible });
      if (ticketGone(outcome) && !goneFromHde) {
        // A 404 on the ticket's routes: every later call of the turn would get one too (a hand-off's
        // note and reassignment), so they are skipped; nothing is retried, and no other ticket is written to.
        goneFromHde = true;
        stale = 'ticket_gone';
      }
      if (refusedAsClosed(outcome) && !closedInHde && (await confirmClosed(hde, deps.dialogs, dialog))) {
        // An agent closed the ticket after the last webhook (closing sends none), as a read of the
        // ticket confirms (a 400 on posting may also be a bad request, which stays a failure): the
        // rest of the turn would write into a closed ticket; the read recorded its status for later turns.
        closedInHde = true;
        stale = 'ticket_closed';
      }
      // The turn's one message to the customer (a reply, or a hand-off's notice), recorded as it ends.
      if (outcome.state === 'sent' && customerVisible && !botMessage) botMessage = String(row.request.text);
    }

    const skipped =
      blockedAtStart ??
      (goneFromHde ? 'ticket_gone' : undefined) ??
      (closedInHde ? 'ticket_closed' : undefined) ??
      (results.length > 0 && results.every((r) => r.state === 'skipped') ? (results[0]!.error ?? 'skipped') : undefined);
    const sentToCustomer = results.some((r) => r.state === 'sent' && r.customerVisible);
    const handedOff = turn.action === 'handoff' && results.some((r) => r.state === 'sent');
    const messageStatus = messageStatusOf(turn, results, skipped);
    // One statement records it all and releases the ticket: the bot's message, the hand-off or the
    // reply count, the decision's result, the turn's messages' status.
    await deps.turns.end(data.integrationId, data.dialogId, data.turnId, messageStatus, {
      ...(botMessage !== undefined
        ? { botMessage: { eventId: `b-${turn.turnId}`, authorId: integration.botUserId, html: botMessage } }
        : {}),
      ...(handedOff ? { handedOff: turn.reasons[0] ?? 'handoff' } : {}),
      countBotReply: !handedOff && sentToCustomer,
      decisionResult: { actions: results.map(({ customerVisible: _v, ...r }) => r), skipped: skipped ?? null, messageStatus },
    });
    logger.info('Turn delivered', {
      turnId: turn.turnId,
      action: turn.action,
      messageStatus,
      results: results.map((r) => `${r.kind.split('-')[0]}:${r.state}`),
    });
    return { outcome: skipped ? 'skipped' : 'delivered', messageStatus, results: results.map(({ customerVisible: _v, ...r }) => r) };
  };
