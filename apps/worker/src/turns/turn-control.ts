import { randomBytes } from 'node:crypto';
import { jobIds, type Producer } from '@repo/queue';
import type { DialogsRepo, MessageStatus, NewMessage, TurnOutcome } from '@repo/store';

/** Dependencies of {@link createTurnControl}. */
export type TurnControlDeps = {
  dialogs: Pick<DialogsRepo, 'tryStartTurn' | 'finishTurn' | 'recordCustomerMessage'>;
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
    /**
     * Records a customer's message and starts a turn for it unless one is in flight, in one
     * statement (which also marks the webhook event processed; see `recordCustomerMessage`).
     */
    async recordAndStart(
      integrationId: string,
      message: NewMessage & { eventId: string },
    ): Promise<{ inserted: boolean; turnId: string | undefined }> {
      const turnId = newTurnId(message.dialogId);
      const { inserted, started, holder } = await deps.dialogs.recordCustomerMessage(message, { turnId, staleAfterMs: deps.leaseMs });
      if (!started) {
        // A rerun of a message already stored: the run before may have died after taking the lease
        // and before queueing its turn, which would leave the ticket waiting for the lease to go
        // stale. Queue the holder's retrieve again: a no-op while that job exists, and a turn that
        // got further only finds its decision and moves on.
        if (!inserted && holder !== null) {
          await deps.retrieve.add(
            { integrationId, dialogId: message.dialogId, turnId: holder },
            { jobId: jobIds.retrieve({ turnId: holder }) },
          );
        }
        return { inserted, turnId: undefined };
      }
      await deps.retrieve.add(
        { integrationId, dialogId: message.dialogId, turnId },
        { jobId: jobIds.retrieve({ turnId }), delay: deps.debounceMs },
      );
      return { inserted, turnId };
    },
    /**
     * Ends a turn (recording what it did, when given) and starts the next one at once if messages
     * are waiting.
     */
    async end(
      integrationId: string,
      dialogId: number,
      turnId: string,
      status: MessageStatus = 'done',
      outcome?: TurnOutcome,
    ): Promise<void> {
      const { morePending } = await deps.dialogs.finishTurn(dialogId, turnId, status, outcome);
      if (morePending) await start(integrationId, dialogId, 0);
    },
  };
}
/** See {@link createTurnControl}. */
export type TurnControl = ReturnType<typeof createTurnControl>;
