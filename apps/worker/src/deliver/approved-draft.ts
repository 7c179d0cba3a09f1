import type { HdeClient } from '@repo/hde-client';
import type { DecisionsRepo, DialogsRepo, Dialog, Integration, LedgerEntry, TurnDecision } from '@repo/store';
import { replySpec, type LedgerRefs, type SentEchoes } from './hde-actions';
import { confirmClosed } from '../hde/ticket-facts';
import { refusedAsClosed, sendOnce, type SendOnceOptions, type SendOutcome } from './send-once';

/** The ledger key of a draft an admin approved in the admin app. */
export function approvedKey(turnId: string): string {
  return `approved-${turnId}`;
}

/**
 * Posts a draft an admin approved (reply mode `note`): the admin app plans the ledger entry with the
 * final text and queues the turn's deliver job again; this sends it as a public reply through the
 * same exactly-once path and the same account budget as every other reply.
 */
export async function deliverApprovedDraft(input: {
  entry: LedgerEntry;
  turn: TurnDecision;
  dialog: Dialog;
  integration: Integration;
  hde: HdeClient;
  dialogs: Pick<DialogsRepo, 'recordMessage' | 'countBotReply' | 'recordTicketFacts' | 'setState'>;
  decisions: Pick<DecisionsRepo, 'update'>;
  send: Omit<SendOnceOptions, 'now'>;
  /** The dialog's other sends and our posts' webhooks, which a read-back of a lost answer consults as every reply's does. */
  refs?: { ledger: LedgerRefs; echoes: SentEchoes };
}): Promise<SendOutcome> {
  const { entry, turn, dialog, integration } = input;
  const spec = replySpec(input.hde, dialog.ticketId, integration.botUserId, input.refs?.ledger, input.refs?.echoes);
  const outcome = await sendOnce(entry, spec, input.send);
  if (outcome.state === 'sent') {
    const recorded = await input.dialogs.recordMessage({
      dialogId: dialog.id,
      eventId: `a-${turn.turnId}`,
      authorKind: 'bot',
      authorId: integration.botUserId,
      text: '',
      html: String(entry.request.text),
      postedAt: new Date(),
      status: 'done',
    });
    if (recorded.inserted) await input.dialogs.countBotReply(dialog.id);
  }
  // Refused as a post to a closed ticket (an agent closed it while the draft waited): the ticket's
  // status is read and recorded, so the next turns know it.
  if (refusedAsClosed(outcome)) await confirmClosed(input.hde, input.dialogs, dialog);
  await input.decisions.update(turn.turnId, {
    result: {
      ...(turn.result ?? {}),
      approved: { by: entry.request.approvedBy ?? null, state: outcome.state, ref: outcome.ref, at: new Date().toISOString() },
    },
  });
  return outcome;
}
