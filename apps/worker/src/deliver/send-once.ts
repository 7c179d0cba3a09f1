import { isHdeApiError } from '@repo/hde-client';
import { JobDelay } from '@repo/queue';
import type { LedgerEntry, LedgerRepo } from '@repo/store';

/** What reconciliation found in HDE for a call that may have landed. */
export type Reconciled = { found: true; ref: string | null } | { found: false } | { unsure: true };

/** One mutating call, with how to do it and how to check whether it already happened. */
export type SendSpec = {
  perform: (request: Record<string, unknown>) => Promise<string | null>;
  reconcile: (entry: LedgerEntry) => Promise<Reconciled>;
};

/** How a send ended. */
export type SendOutcome = { state: 'sent' | 'failed' | 'quarantined' | 'skipped'; ref: string | null; error?: string };

/** Options of {@link sendOnce}. */
export type SendOnceOptions = {
  ledger: Pick<LedgerRepo, 'get' | 'beginSend' | 'finish' | 'replan' | 'markAmbiguous'>;
  /** The longest an HDE call can take; a `sending` row younger than this may still be in flight. */
  callTimeoutMs: number;
  /** Sends of one action at most (the first and one resend after proving it did not land). */
  maxSends?: number;
  now?: () => number;
};

/**
 * What the failure of the HDE call itself means for the row. Only here may a row go back to
 * `planned`: the call was refused before it could land (our budget, a paused account, a 429, a
 * connection refused). Anything that may have reached HDE — a timeout or reset after the request was
 * written, a 5xx on a write, or an error that is not an HDE answer at all — is ambiguous and is
 * reconciled by reading HDE before anything is sent again.
 */
async function recordCallFailure(entry: LedgerEntry, error: unknown, ledger: SendOnceOptions['ledger']): Promise<void> {
  if (error instanceof JobDelay) {
    // Refused by our own budget or a paused account before any request: nothing was sent.
    await ledger.replan(entry.id, { undoAttempt: true });
    throw error;
  }
  if (!isHdeApiError(error)) {
    await ledger.markAmbiguous(entry.id, 'the call failed in an unknown way');
    return;
  }
  if (error.mayHaveLanded) {
    await ledger.markAmbiguous(entry.id, error.message);
  } else if (error.retryable) {
    await ledger.replan(entry.id, { undoAttempt: true });
    throw error;
  } else {
    await ledger.finish(entry.id, 'failed', { error: error.message });
  }
}

/**
 * Performs a ledger entry's call exactly once. The ledger row is the fence: only the worker that
 * moves it from `planned` to `sending` calls HDE. A call that may have landed (timeout or reset after
 * the request was written, 5xx on a write), or a `sending` row left by a worker that died, is
 * reconciled by reading HDE: found → sent; absent → sent once more; unsure → quarantined for admins.
 * Once HDE accepted a call, failing to record that (e.g. PostgreSQL dropped the connection) leaves
 * the row `sending`: a rerun waits until the call surely ended and reconciles it, never sends blind.
 * A paused account delays the job instead of failing it.
 */
export async function sendOnce(start: LedgerEntry, spec: SendSpec, options: SendOnceOptions): Promise<SendOutcome> {
  const now = options.now ?? Date.now;
  const maxSends = options.maxSends ?? 2;
  let entry = start;
  for (let step = 0; step < 10; step += 1) {
    switch (entry.state) {
      case 'sent':
      case 'failed':
      case 'quarantined':
      case 'skipped':
        return { state: entry.state, ref: entry.hdeRef, error: entry.error ?? undefined };
      case 'sending': {
        // A worker died mid-call, another one is still in the call, or the result could not be
        // recorded: wait until the call surely ended, then find out from HDE.
        const settledAt = (entry.startedAt?.getTime() ?? 0) + options.callTimeoutMs + 2000;
        if (settledAt > now()) throw new JobDelay(settledAt, 'send_in_flight');
        await options.ledger.markAmbiguous(entry.id, 'the outcome of the call was not recorded');
        break;
      }
      case 'ambiguous': {
        const result = await spec.reconcile(entry);
        if ('unsure' in result) {
          await options.ledger.finish(entry.id, 'quarantined', { error: 'could not tell whether the call landed' });
        } else if (result.found) {
          await options.ledger.finish(entry.id, 'sent', { hdeRef: result.ref });
        } else if (entry.attempts >= maxSends) {
          await options.ledger.finish(entry.id, 'quarantined', { error: 'not found after the last allowed send' });
        } else {
          await options.ledger.replan(entry.id);
        }
        break;
      }
      case 'planned': {
        if (!(await options.ledger.beginSend(entry.id))) break;
        let ref: string | null;
        try {
          ref = await spec.perform(entry.request);
        } catch (error) {
          await recordCallFailure(entry, error, options.ledger);
          break;
        }
        // HDE accepted the call. If this write fails the row stays `sending` (see above).
        await options.ledger.finish(entry.id, 'sent', { hdeRef: ref });
        break;
      }
    }
    const next = await options.ledger.get(entry.id);
    if (!next) throw new Error('Ledger entry disappeared');
    entry = next;
  }
  throw new Error('Ledger entry did not settle');
}
