import type { TakeoverSettings } from '@repo/domain';
import { AGENT_REPLIED, type Dialog, type DialogMessage } from '@repo/store';

/** When the newest of a turn's customer messages was stored, or undefined when the turn has none at hand. */
export function newestMessageAt(messages: DialogMessage[], messageIds: number[]): Date | undefined {
  const ids = new Set(messageIds);
  let newest: Date | undefined;
  for (const m of messages) {
    if (ids.has(m.id) && (newest === undefined || m.createdAt.getTime() > newest.getTime())) newest = m.createdAt;
  }
  return newest;
}

/**
 * Whether a turn of a ticket the bot holds again carries only messages written while a person held
 * it: the ticket was returned to the bot in the admin app after its newest message was stored. The
 * bot answers the customer's next message, never those (a turn already under way at the return).
 */
export function writtenBeforeReturn(dialog: Pick<Dialog, 'state' | 'returnedAt'>, newest: Date | undefined): boolean {
  return dialog.state === 'bot' && dialog.returnedAt !== null && newest !== undefined && newest.getTime() < dialog.returnedAt.getTime();
}

/**
 * Whether the bot may take back a ticket after a staff reply (`takeover.afterAgentReply:
 * resume_after`): the dialog is the humans' because a staff member replied in HDE (not taken over in
 * the admin app, not handed off by the bot), and the turn's newest message came at least the quiet
 * period after the last staff reply. Judged on when the message was stored, not on when the turn
 * runs, so a backlog never turns a message written during the agent's conversation into the bot's.
 */
export function quietPeriodOver(
  dialog: Pick<Dialog, 'state' | 'handoffReason' | 'lastAgentAt'>,
  takeover: Pick<TakeoverSettings, 'afterAgentReply' | 'resumeAfterMinutes'>,
  newest: Date | undefined,
): boolean {
  if (takeover.afterAgentReply !== 'resume_after') return false;
  if (dialog.state !== 'agent' || dialog.handoffReason !== AGENT_REPLIED || dialog.lastAgentAt === null || newest === undefined)
    return false;
  return newest.getTime() - dialog.lastAgentAt.getTime() >= takeover.resumeAfterMinutes * 60_000;
}
