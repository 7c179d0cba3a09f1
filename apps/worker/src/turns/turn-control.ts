import { randomBytes } from 'node:crypto';
import { jobIds, type Producer } from '@repo/queue';
import type { DialogsRepo, MessageStatus } from '@repo/store';

/** Dependencies of {@link createTurnControl}. */
export type TurnControlDeps = {
  dialogs: Pick<DialogsRepo, 'tryStartTurn' | 'finishTurn'>;
  retrieve: Pick<Producer<'retrieve'>, 'add'>;
  debounceMs: number;
  leaseMs: number;
};

/** A new turn id: sortable by time, unique, and a valid BullMQ job id fragment. */
export function newTurnId(dialogId: number): string {
  return `t${dialogId}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/**
 * Serialises a ticket's turns: at most one turn per ticket is in flight, and the customer messages
 * that arrive meanwhile are answered together by the next turn.
 */
export function createTurnControl(deps: TurnControlDeps) {
  const start = async (integrationId: string, dialogId: number, delayMs = deps.debounceMs): Promise<string | undefined> => {
    const turnId = newTurnId(dialogId);
    if (!(await deps.dialogs.tryStartTurn(dialogId, turnId, deps.leaseMs))) return undefined;
    await deps.retrieve.add({ integrationId, dialogId, turnId }, { jobId: jobIds.retrieve({ turnId }), delay: delayMs });
    return turnId;
  };
  return {
    /** Starts a turn unless one is in flight (that one, when it ends, starts the next). */
    start,
    /** Ends a turn and starts the next one at once if messages are waiting. */
    async end(integrationId: string, dialogId: number, turnId: string, status: MessageStatus = 'done'): Promise<void> {
      const { morePending } = await deps.dialogs.finishTurn(dialogId, turnId, status);
      if (morePending) await start(integrationId, dialogId, 0);
    },
  };
}
/** See {@link createTurnControl}. */
export type TurnControl = ReturnType<typeof createTurnControl>;
