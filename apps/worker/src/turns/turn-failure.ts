import { TurnJobSchema } from '@repo/queue';
import type { DecisionsRepo, LedgerRepo, MessageStatus } from '@repo/store';
import type { TurnControl } from './turn-control';

/**
 * What happens when a turn's job failed for good (attempts spent, unrecoverable, or stalled past
 * the limit): the ticket is released so later messages are answered, and the turn's customer
 * messages are marked `failed` — visible and counted — unless the customer did get the reply (the
 * ledger shows it sent), never silently `done`.
 */
export function createTurnFailureHandler(deps: {
  decisions: Pick<DecisionsRepo, 'get' | 'update'>;
  ledger: Pick<LedgerRepo, 'forTurn'>;
  turns: Pick<TurnControl, 'end'>;
}) {
  return async (data: unknown, error: Error): Promise<void> => {
    const parsed = TurnJobSchema.safeParse(data);
    if (!parsed.success) return;
    const { integrationId, dialogId, turnId } = parsed.data;
    const turn = await deps.decisions.get(turnId);
    // A crossed job (another dialog's turn id) must not fail someone else's turn.
    if (turn && turn.dialogId !== dialogId) return;
    const rows = await deps.ledger.forTurn(turnId);
    const answered =
      rows.some((r) => r.kind === 'reply' && r.state === 'sent') || (turn?.action === 'handoff' && rows.some((r) => r.state === 'sent'));
    const status: MessageStatus = answered ? 'done' : 'failed';
    if (turn?.stage !== 'delivered')
      await deps.decisions.update(turnId, {
        stage: 'failed',
        result: { ...(turn?.result ?? {}), error: error.message, messageStatus: status },
      });
    await deps.turns.end(integrationId, dialogId, turnId, status);
  };
}
