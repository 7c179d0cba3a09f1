import { parseIntegrationSettings, type IntegrationSettings } from '@repo/domain';
import type { HdeClient } from '@repo/hde-client';
import type { JobHandler } from '@repo/queue';
import type { DecisionsRepo, Dialog, DialogsRepo, Integration, IntegrationsRepo, LedgerRepo, TurnDecision } from '@repo/store';
import { accountKeyOf, type AccountBudgets } from '../hde/account-budget';
import { leastLoadedAgent } from '../hde/least-loaded';
import { isStale, refreshTicketFacts } from '../hde/ticket-facts';
import { planActions } from '../deliver/plan-actions';
import { approvedKey, deliverApprovedDraft } from '../deliver/approved-draft';
import { sendOnce, type SendOutcome } from '../deliver/send-once';
import type { TurnControl } from '../turns/turn-control';

/** Dependencies of the deliver stage. */
export type DeliverTurnDeps = {
  dialogs: Pick<DialogsRepo, 'get' | 'messages' | 'recordMessage' | 'setState' | 'countBotReply' | 'recordTicketFacts'>;
  decisions: Pick<DecisionsRepo, 'get' | 'update'>;
  integrations: Pick<IntegrationsRepo, 'get'>;
  ledger: Pick<LedgerRepo, 'plan' | 'get' | 'getByKey' | 'beginSend' | 'finish' | 'replan' | 'markAmbiguous'>;
  hde: { forIntegration(integration: Integration): Promise<HdeClient> };
  budgets: Pick<AccountBudgets, 'pause'>;
  turns: Pick<TurnControl, 'end'>;
  callTimeoutMs: number;
  /** Pause after a ban when HDE does not say how long (HDE_BAN_PAUSE_MS). */
  banPauseMs?: number;
};

/** Why the turn's reply must not go out any more, judged on the dialog's latest known state. */
function staleReason(dialog: Dialog, turn: TurnDecision): string | undefined {
  if (dialog.statusId === 'closed' || dialog.state === 'closed') return 'ticket_closed';
  // An owner alone is no takeover (HDE often assigns new tickets automatically); a human's reply is.
  if ((turn.action === 'answer' || turn.action === 'clarify') && (dialog.state === 'agent' || dialog.state === 'handed_off')) return 'human_involved';
  return undefined;
}

/** Who gets a handed-off ticket. Least-loaded is resolved once and kept in the ledger with the request. */
async function resolveHandoffTarget(
  deps: DeliverTurnDeps,
  integration: Integration,
  settings: IntegrationSettings,
  hde: HdeClient,
  turnId: string,
): Promise<{ ownerId?: number; departmentId?: number }> {
  const department = integration.handoffDepartmentId ?? undefined;
  const planned = await deps.ledger.getByKey(integration.id, `assign-${turnId}`);
  if (planned) return {};
  if (settings.handoff.target === 'department') return department ? { departmentId: department } : {};
  if (settings.handoff.target === 'least_loaded' && department !== undefined) {
    const exclude = integration.botUserId !== null ? [integration.botUserId] : [];
    const agent = await leastLoadedAgent(hde, department, exclude);
    if (agent !== undefined) return { ownerId: agent, departmentId: department };
  }
  return {
    ...(integration.handoffAgentId !== null ? { ownerId: integration.handoffAgentId } : {}),
    ...(department !== undefined ? { departmentId: department } : {}),
  };
}

/**
 * deliver: carries out the decision in HDE — the reply, or the hand-off (customer notice, internal
 * note with a summary, reassignment, status, tag) and enrichment — each call exactly once through
 * the send ledger, then records the bot's message and ends the turn. Before a reply goes out the
 * preconditions are checked again on the dialog's latest known state; the ticket is read from HDE
 * only when that state is older than the integration's `staleAfterMs`.
 */
export const createDeliverTurnHandler =
  (deps: DeliverTurnDeps): JobHandler<'deliver'> =>
  async (data, { logger }) => {
    const turn = await deps.decisions.get(data.turnId);
    let dialog = await deps.dialogs.get(data.dialogId);
    const integration = await deps.integrations.get(data.integrationId);
    if (!turn || !dialog || !integration) return { outcome: 'missing' };
    const approval = await deps.ledger.getByKey(integration.id, approvedKey(turn.turnId));
    if (approval && !['sent', 'failed', 'quarantined', 'skipped'].includes(approval.state)) {
      const account = accountKeyOf(integration.hdeBaseUrl);
      const outcome = await deliverApprovedDraft({
        entry: approval, turn, dialog, integration, hde: await deps.hde.forIntegration(integration), dialogs: deps.dialogs, decisions: deps.decisions,
        send: { ledger: deps.ledger, callTimeoutMs: deps.callTimeoutMs, banPauseMs: deps.banPauseMs, pauseAccount: (ms) => deps.budgets.pause(account, ms) },
      });
      logger.info('Approved draft delivered', { turnId: turn.turnId, state: outcome.state });
      return { outcome: 'approved', state: outcome.state };
    }
    if (turn.stage === 'delivered') {
      // A rerun after the turn was recorded as delivered but before its lease was released: release
      // it now (a no-op when this turn no longer holds it), or the ticket waits for the lease to expire.
      await deps.turns.end(data.integrationId, data.dialogId, data.turnId);
      return { outcome: 'already_delivered' };
    }
    const settings = parseIntegrationSettings(integration.settings);
    const hde = await deps.hde.forIntegration(integration);

    const firstKey = turn.action === 'handoff' || integration.replyMode !== 'note' ? `reply-${turn.turnId}` : `draft-${turn.turnId}`;
    const started = await deps.ledger.getByKey(integration.id, firstKey);
    if (!started && (turn.action === 'answer' || turn.action === 'clarify') && isStale(dialog, settings.staleAfterMs)) {
      await refreshTicketFacts(hde, deps.dialogs, dialog);
      dialog = (await deps.dialogs.get(dialog.id)) ?? dialog;
    }
    const stale = staleReason(dialog, turn);
    const history = await deps.dialogs.messages(dialog.id);
    const questions = history.filter((m) => turn.messageIds.includes(m.id)).map((m) => m.text);
    const assignTo = turn.action === 'handoff' && !stale ? await resolveHandoffTarget(deps, integration, settings, hde, turn.turnId) : {};
    const actions = planActions({ turn, dialog, integration, settings, hde, questions, assignTo });
    const account = accountKeyOf(integration.hdeBaseUrl);

    const results: Array<{ kind: string; state: string; ref: string | null; error?: string }> = [];
    for (const action of actions) {
      const entry = await deps.ledger.plan({
        integrationId: integration.id, dialogId: dialog.id, ticketId: dialog.ticketId,
        actionKey: `${action.key}-${turn.turnId}`, kind: action.kind, request: action.request,
      });
      let outcome: SendOutcome;
      if (stale && entry.state === 'planned') {
        await deps.ledger.finish(entry.id, 'skipped', { error: stale });
        outcome = { state: 'skipped', ref: null, error: stale };
      } else {
        outcome = await sendOnce(entry, action.spec, {
          ledger: deps.ledger,
          callTimeoutMs: deps.callTimeoutMs,
          banPauseMs: deps.banPauseMs,
          pauseAccount: (ms) => deps.budgets.pause(account, ms),
        });
      }
      results.push({ kind: action.key, ...outcome });
      if (outcome.state === 'sent' && action.customerVisible) {
        await deps.dialogs.recordMessage({
          dialogId: dialog.id, eventId: `b-${turn.turnId}`, authorKind: 'bot', authorId: integration.botUserId,
          text: '', html: String(entry.request.text), postedAt: new Date(), status: 'done',
        });
      }
    }

    const sentToCustomer = results.some((r, i) => r.state === 'sent' && actions[i]!.customerVisible);
    if (turn.action === 'handoff' && !stale) await deps.dialogs.setState(dialog.id, 'handed_off', turn.reasons[0] ?? 'handoff');
    else if (sentToCustomer) await deps.dialogs.countBotReply(dialog.id);
    await deps.decisions.update(turn.turnId, { stage: 'delivered', result: { actions: results, skipped: stale ?? null } });
    await deps.turns.end(data.integrationId, data.dialogId, data.turnId);
    logger.info('Turn delivered', { turnId: turn.turnId, action: turn.action, results: results.map((r) => `${r.kind}:${r.state}`) });
    return { outcome: stale ? 'skipped' : 'delivered', results };
  };
