import type { Dialog, Integration, TurnDecision } from '@repo/store';

/**
 * Whether a turn job's ids go together: the dialog is the integration's and the turn the dialog's.
 * Job data is not trusted blindly: a crossed job must never act in one integration's HDE on
 * another's dialog.
 */
export function turnIdsMatch(
  integration: Pick<Integration, 'id'>,
  dialog: Pick<Dialog, 'id' | 'integrationId'>,
  turn: Pick<TurnDecision, 'dialogId'>,
): boolean {
  return dialog.integrationId === integration.id && turn.dialogId === dialog.id;
}
