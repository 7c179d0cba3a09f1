import type { HdeClient } from '@repo/hde-client';
import type { LedgerEntry } from '@repo/store';
import { assignSpec, noteSpec, replySpec, updateSpec, type LedgerRefs, type SentEchoes } from './hde-actions';
import type { SendSpec } from './send-once';

/**
 * How to perform and reconcile a stored ledger row, chosen by its kind alone: a rerun drives what
 * was planned from the row's stored request, never from a plan made again.
 */
export function specForEntry(
  entry: Pick<LedgerEntry, 'kind'>,
  hde: HdeClient,
  ticketId: number,
  botUserId: number | null,
  ledger?: LedgerRefs,
  echoes?: SentEchoes,
): SendSpec {
  switch (entry.kind) {
    case 'reply':
      return replySpec(hde, ticketId, botUserId, ledger, echoes);
    case 'note':
      return noteSpec(hde, ticketId, botUserId, ledger);
    case 'assign':
      return assignSpec(hde, ticketId);
    case 'enrich':
    case 'status':
    case 'tags':
    case 'custom_fields':
      return updateSpec(hde, ticketId);
  }
}

/** Whether a row's call shows something to the customer. */
export function isCustomerVisible(entry: Pick<LedgerEntry, 'kind'>): boolean {
  return entry.kind === 'reply';
}
