import type { AdminUser, Dialog, HolderChangeResult } from '@repo/store';
import type { AppDeps } from '../deps';
import { HttpError } from '../errors';

/** What a support agent may do about who holds a ticket. */
export type HolderAction = 'take_over' | 'return';

/** The holder actions a dialog's state allows: a ticket the bot holds is taken over, one a human holds is returned. */
export function holderActionsOf(dialog: Pick<Dialog, 'state'>): HolderAction[] {
  if (dialog.state === 'bot') return ['take_over'];
  if (dialog.state === 'agent' || dialog.state === 'handed_off') return ['return'];
  return [];
}

/** 409: the ticket changed hands meanwhile (or is closed), so the action no longer applies. */
const holderConflict = () => new HttpError(409, 'state_changed', 'error.holderChanged');

/**
 * Takes a ticket over from the bot, or returns it to the bot, for a user who may see the dialog (the
 * same rule as approving a draft). Nothing is posted to HDE: the agents work in HDE already, and a
 * note would spend the account's request budget to say what the dialog page shows. The change is
 * recorded with who made it and when (`dialog_holder_changes`).
 */
export async function changeHolder(deps: AppDeps, user: AdminUser, dialog: Dialog, action: HolderAction): Promise<Dialog> {
  if (!holderActionsOf(dialog).includes(action)) throw holderConflict();
  const result: HolderChangeResult =
    action === 'take_over'
      ? await deps.store.dialogHolder.takeOver(dialog.id, user.id)
      : await deps.store.dialogHolder.returnToBot(dialog.id, user.id);
  if (!result.changed || !result.dialog) throw holderConflict();
  deps.logger.info(action === 'take_over' ? 'Dialog taken over in the admin app' : 'Dialog returned to the bot in the admin app', {
    dialogId: dialog.id,
    ticketId: dialog.ticketId,
    from: dialog.state,
    by: user.id,
  });
  return result.dialog;
}
