import type { HdeClient } from '@repo/hde-client';
import type { JobHandler } from '@repo/queue';
import type { DecisionsRepo, DialogsRepo, Integration, IntegrationsRepo, LedgerKind, LedgerRepo, TurnDecision, Dialog } from '@repo/store';
import { accountKeyOf, type AccountBudgets } from '../hde/account-budget';
import { handoffNoteHtml } from '../deliver/handoff-note';
import { assignSpec, noteSpec, replySpec } from '../deliver/hde-actions';
import { sendOnce, type SendOutcome, type SendSpec } from '../deliver/send-once';
import type { TurnControl } from '../turns/turn-control';

/** Dependencies of the deliver stage. */
export type DeliverTurnDeps = {
  dialogs: Pick<DialogsRepo, 'get' | 'messages' | 'recordMessage' | 'setState' | 'countBotReply'>;
  decisions: Pick<DecisionsRepo, 'get' | 'update'>;
  integrations: Pick<IntegrationsRepo, 'get'>;
  ledger: Pick<LedgerRepo, 'plan' | 'get' | 'beginSend' | 'finish' | 'replan' | 'markAmbiguous'>;
  hde: { forIntegration(integration: Integration): Promise<HdeClient> };
  budgets: Pick<AccountBudgets, 'pause'>;
  turns: Pick<TurnControl, 'end'>;
  callTimeoutMs: number;
};

/** One HDE call of a turn; `key` makes its ledger key unique within the turn. */
type Action = { key: string; kind: LedgerKind; request: Record<string, unknown>; spec: SendSpec; customerVisible: boolean };

/** Why the turn's reply must not go out any more, judged on the dialog's latest known state. */
function staleReason(dialog: Dialog, turn: TurnDecision): string | undefined {
  if (dialog.statusId === 'closed' || dialog.state === 'closed') return 'ticket_closed';
  if (turn.action === 'answer' || turn.action === 'clarify') {
    if (dialog.state === 'agent' || dialog.state === 'handed_off') return 'human_involved';
  }
  return undefined;
}

function planActions(turn: TurnDecision, dialog: Dialog, integration: Integration, hde: HdeClient, questions: string[]): Action[] {
  const ticketId = dialog.ticketId;
  const bot = integration.botUserId;
  const text = turn.replyHtml ?? '';
  const asNote = integration.replyMode === 'note';
  const customerMessage: Action = asNote
    ? { key: 'draft', kind: 'note', request: { text }, spec: noteSpec(hde, ticketId, bot), customerVisible: false }
    : { key: 'reply', kind: 'reply', request: { text }, spec: replySpec(hde, ticketId, bot), customerVisible: true };
  if (turn.action !== 'handoff') return [customerMessage];

  const actions: Action[] = [];
  if (text) actions.push(customerMessage);
  const note = handoffNoteHtml({ questions, classification: turn.classification!, reasons: turn.reasons, hits: turn.kbHits ?? [] });
  actions.push({ key: 'summary', kind: 'note', request: { text: note }, spec: noteSpec(hde, ticketId, bot), customerVisible: false });
  const assign: Record<string, unknown> = {};
  if (integration.handoffAgentId !== null) assign.ownerId = integration.handoffAgentId;
  if (integration.handoffDepartmentId !== null) assign.departmentId = integration.handoffDepartmentId;
  if (Object.keys(assign).length > 0) actions.push({ key: 'assign', kind: 'assign', request: assign, spec: assignSpec(hde, ticketId), customerVisible: false });
  return actions;
}

/**
 * deliver: carries out the decision in HDE — the reply, or the hand-off (customer notice, internal
 * note with a summary, reassignment) — each call exactly once through the send ledger, then records
 * the bot's message and ends the turn.
 */
export const createDeliverTurnHandler =
  (deps: DeliverTurnDeps): JobHandler<'deliver'> =>
  async (data, { logger }) => {
    const turn = await deps.decisions.get(data.turnId);
    const dialog = await deps.dialogs.get(data.dialogId);
    const integration = await deps.integrations.get(data.integrationId);
    if (!turn || !dialog || !integration) return { outcome: 'missing' };
    if (turn.stage === 'delivered') return { outcome: 'already_delivered' };

    const stale = staleReason(dialog, turn);
    const hde = await deps.hde.forIntegration(integration);
    const history = await deps.dialogs.messages(dialog.id);
    const questions = history.filter((m) => turn.messageIds.includes(m.id)).map((m) => m.text);
    const actions = planActions(turn, dialog, integration, hde, questions);
    const account = accountKeyOf(integration.hdeBaseUrl);

    const results: Array<{ kind: string; state: string; ref: string | null; error?: string }> = [];
    for (const action of actions) {
      const entry = await deps.ledger.plan({
        integrationId: integration.id,
        dialogId: dialog.id,
        ticketId: dialog.ticketId,
        actionKey: `${action.key}-${turn.turnId}`,
        kind: action.kind,
        request: action.request,
      });
      let outcome: SendOutcome;
      if (stale && entry.state === 'planned') {
        await deps.ledger.finish(entry.id, 'skipped', { error: stale });
        outcome = { state: 'skipped', ref: null, error: stale };
      } else {
        outcome = await sendOnce(entry, action.spec, {
          ledger: deps.ledger,
          callTimeoutMs: deps.callTimeoutMs,
          pauseAccount: (ms) => deps.budgets.pause(account, ms),
        });
      }
      results.push({ kind: action.key, ...outcome });
      if (outcome.state === 'sent' && action.customerVisible) {
        await deps.dialogs.recordMessage({
          dialogId: dialog.id, eventId: `b-${turn.turnId}`, authorKind: 'bot', authorId: integration.botUserId,
          text: '', html: String(action.request.text), postedAt: new Date(), status: 'done',
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
