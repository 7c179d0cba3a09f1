import { DEFAULT_BAN_PAUSE_MS, isHdeApiError } from '@repo/hde-client';
import { JobDelay } from '@repo/queue';
import type { LedgerEntry, LedgerRepo } from '@repo/store';
import { AccountPausedError } from '../hde/account-budget';

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
  /** How long to pause after a ban when HDE does not say (HDE_BAN_PAUSE_MS); default 20 min. */
  banPauseMs?: number;
  /** Pauses the whole account after HDE said 429 or banned it, so its other jobs wait too. */
  pauseAccount?: (ms: number, reason: 'rate_limited' | 'banned') => Promise<void>;
};

/**
 * Performs a ledger entry's call exactly once. The ledger row is the fence: only the worker that
 * moves it from `planned` to `sending` calls HDE. A call that may have landed (timeout or reset after
 * the request was written, 5xx on a write), or a `sending` row left by a worker that died, is
 * reconciled by reading HDE: found → sent; absent → sent once more; unsure → quarantined for admins.
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
        // A worker died mid-call, or another one is still in the call: wait until it surely ended.
        const settledAt = (entry.startedAt?.getTime() ?? 0) + options.callTimeoutMs + 2000;
        if (settledAt > now()) throw new JobDelay(settledAt, 'send_in_flight');
        await options.ledger.markAmbiguous(entry.id, 'worker stopped during the call');
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
        try {
          const ref = await spec.perform(entry.request);
          await options.ledger.finish(entry.id, 'sent', { hdeRef: ref });
        } catch (error) {
          // A call refused before it could land is not one of the `maxSends`: give its attempt back,
          // or a budget refusal followed by one lost POST would be quarantined unanswered.
          if (error instanceof AccountPausedError) {
            // Refused by our own budget before any request: nothing was sent.
            await options.ledger.replan(entry.id, { undoAttempt: true });
            throw new JobDelay(error.until, `hde_${error.reason}`);
          }
          if (isHdeApiError(error) && error.mayHaveLanded) {
            await options.ledger.markAmbiguous(entry.id, error.message);
          } else if (isHdeApiError(error) && error.retryable) {
            await options.ledger.replan(entry.id, { undoAttempt: true });
            if (error.reason === 'banned' || error.reason === 'rate_limited') {
              const ms = error.retryAfterMs ?? (error.reason === 'banned' ? (options.banPauseMs ?? DEFAULT_BAN_PAUSE_MS) : 60_000);
              await options.pauseAccount?.(ms, error.reason);
              throw new JobDelay(now() + ms, `hde_${error.reason}`);
            }
            throw error;
          } else if (isHdeApiError(error)) {
            await options.ledger.finish(entry.id, 'failed', { error: error.message });
          } else {
            // Not an HDE answer (e.g. our own bug before the call): safe to plan again and retry.
            await options.ledger.replan(entry.id, { undoAttempt: true });
            throw error;
          }
        }
        break;
      }
    }
    const next = await options.ledger.get(entry.id);
    if (!next) throw new Error('Ledger entry disappeared');
    entry = next;
  }
  throw new Error('Ledger entry did not settle');
}
