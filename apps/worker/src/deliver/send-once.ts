import { isHdeApiError, type HdeWriteOptions } from '@repo/hde-client';
import { JobDelay } from '@repo/queue';
import type { LedgerEntry, LedgerRepo } from '@repo/store';

/** What reconciliation found in HDE for a call that may have landed. */
export type Reconciled = { found: true; ref: string | null } | { found: false } | { unsure: true };

/**
 * How long after its row went to `sending` a reply or note may still start (`performance.now()` of
 * the sending process, so no clock of another host is involved). A later start is refused by the
 * HDE client (`send_window_closed`) and nothing is sent. Together with the HDE client's timeout this
 * bounds when a call surely ended: its row is read back from HDE, and sent again, only
 * `callTimeoutMs + SEND_SETTLE_MARGIN_MS` after it began, by the database's clock. Without it, a
 * worker cut off from Redis inside the budget check (whose commands wait through an outage) could
 * post after another worker had already found nothing and posted. Updates of a ticket (hand-off,
 * tags, fields) are idempotent and get no window: sending one again is harmless.
 */
export const SEND_START_WINDOW_MS = 5_000;

/**
 * What a call is waited out for beyond its timeout before it is read back from HDE: its start
 * window, and slack for HDE committing a request it received just before the client gave up.
 */
export const SEND_SETTLE_MARGIN_MS = SEND_START_WINDOW_MS + 2_000;

/** One mutating call, with how to do it and how to check whether it already happened. */
export type SendSpec = {
  /** Does the call; every write it makes passes `window` to the HDE client (see {@link SEND_START_WINDOW_MS}). */
  perform: (request: Record<string, unknown>, window: HdeWriteOptions) => Promise<string | null>;
  reconcile: (entry: LedgerEntry) => Promise<Reconciled>;
};

/** How a send ended. */
export type SendOutcome = { state: 'sent' | 'failed' | 'quarantined' | 'skipped'; ref: string | null; error?: string };

/**
 * Whether a send failed because HDE refused it as a post to a closed ticket. Read from the error the
 * ledger keeps (an `HdeApiError`'s message names its reason), so a rerun that finds the row failed
 * tells it the same way.
 */
export function refusedAsClosed(outcome: SendOutcome): boolean {
  return outcome.state === 'failed' && /\bclosed_ticket\b/.test(outcome.error ?? '');
}

/**
 * Whether a send ended because HDE no longer has the ticket (an agent deleted it or merged it into
 * another: a 404 on its routes), read from the error the ledger keeps, as {@link refusedAsClosed}.
 */
export function ticketGone(outcome: SendOutcome): boolean {
  return (outcome.state === 'failed' || outcome.state === 'quarantined') && /\bticket_gone\b/.test(outcome.error ?? '');
}

/** A ledger row its caller itself just moved to `sending`, with `performance.now()` from before that. */
export type OwnedSending = { id: number; since: number };

/** Options of {@link sendOnce}. */
export type SendOnceOptions = {
  ledger: Pick<LedgerRepo, 'get' | 'beginSend' | 'finish' | 'replan' | 'markAmbiguous'>;
  /** The longest an HDE call can take; a `sending` row younger than this may still be in flight. */
  callTimeoutMs: number;
  /**
   * An entry this caller itself just moved to `sending` (a turn's first call, planned straight into
   * `sending`), and `performance.now()` taken before the statement that did it: it is performed at
   * once (within the start window counted from `since`) instead of being waited out and reconciled.
   */
  ownsSending?: OwnedSending;
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
async function recordCallFailure(entry: LedgerEntry, error: unknown, ledger: SendOnceOptions['ledger']): Promise<LedgerEntry | undefined> {
  // Each write only while the row is still this send's: a worker that took too long (its job lock
  // lost) must not move a row another worker has since taken over.
  const ownSend = { state: 'sending', attempts: entry.attempts } as const;
  if (error instanceof JobDelay) {
    // Refused by our own budget or a paused account before any request: nothing was sent.
    await ledger.replan(entry.id, { undoAttempt: true, expect: ownSend });
    throw error;
  }
  if (!isHdeApiError(error)) return ledger.markAmbiguous(entry.id, 'the call failed in an unknown way', { expect: ownSend });
  if (error.mayHaveLanded) return ledger.markAmbiguous(entry.id, error.message, { expect: ownSend });
  if (error.retryable) {
    // Refused before it could land (a 429, a ban, or its start window closed: nothing was sent).
    await ledger.replan(entry.id, { undoAttempt: true, expect: ownSend });
    throw error;
  }
  return ledger.finish(entry.id, 'failed', { error: error.message }, { expect: ownSend });
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
  // Calls HDE for a row this caller moved to `sending`, and records what came of it.
  const perform = async (sending: LedgerEntry, since: number): Promise<LedgerEntry | undefined> => {
    let ref: string | null;
    try {
      ref = await spec.perform(sending.request, { startBy: since + SEND_START_WINDOW_MS });
    } catch (error) {
      return recordCallFailure(sending, error, options.ledger);
    }
    // HDE accepted the call. If this write fails the row stays `sending` (see above).
    return options.ledger.finish(sending.id, 'sent', { hdeRef: ref });
  };
  // A call is over for sure this long after its row went to `sending` (see SEND_START_WINDOW_MS).
  const settledMs = options.callTimeoutMs + SEND_SETTLE_MARGIN_MS;
  // By this process's clock, only to set the delay: the database's clock decides (`settledMs`).
  const waitUntilSettled = (entry: LedgerEntry, reason: string): void => {
    const settledAt = (entry.startedAt?.getTime() ?? 0) + settledMs;
    if (settledAt > now()) throw new JobDelay(settledAt, reason);
  };
  // A guarded write found nothing to change: when the row is as it was, it is not settled yet by
  // the database's clock; otherwise someone moved it on and it is read again.
  const waitIfUnchanged = async (entry: LedgerEntry, reason: string): Promise<void> => {
    const current = await options.ledger.get(entry.id);
    if (current?.state === entry.state && current.attempts === entry.attempts) throw new JobDelay(now() + 1_000, reason);
  };
  let entry = start;
  for (let step = 0; step < 10; step += 1) {
    // Each ledger write returns the row as it left it; only a write that found the row moved on by
    // someone else (it returns nothing) makes this read the row again.
    let moved: LedgerEntry | undefined;
    switch (entry.state) {
      case 'sent':
      case 'failed':
      case 'quarantined':
      case 'skipped':
        return { state: entry.state, ref: entry.hdeRef, error: entry.error ?? undefined };
      case 'sending': {
        if (step === 0 && options.ownsSending?.id === entry.id) {
          moved = await perform(entry, options.ownsSending.since);
          break;
        }
        // A worker died mid-call, another one is still in the call, or the result could not be
        // recorded: wait until the call surely ended, then find out from HDE. The database decides
        // on its own clock whether the row is old enough; this process's clock only sets the delay.
        waitUntilSettled(entry, 'send_in_flight');
        moved = await options.ledger.markAmbiguous(entry.id, 'the outcome of the call was not recorded', { settledMs });
        if (!moved) await waitIfUnchanged(entry, 'send_in_flight');
        break;
      }
      case 'ambiguous': {
        // A call that may have landed is read back only once it surely ended: HDE may still commit
        // a request whose answer the client gave up on.
        waitUntilSettled(entry, 'send_ambiguous');
        // Only while the row is still the one read back: two workers reconciling it at once (one
        // of them cut off for a while) must not both plan it again and send.
        const fence = { expect: { state: 'ambiguous', attempts: entry.attempts } } as const;
        let result: Reconciled;
        try {
          result = await spec.reconcile(entry);
        } catch (error) {
          // A read-back HDE refuses for good (any answer not worth retrying: the ticket deleted or
          // merged away, no right to read it, an answer that cannot be read) will be refused every
          // time: the row would stay `ambiguous` for ever. Whether the call landed cannot be told
          // any more, so it is quarantined with the reason, for admins to see (never sent again).
          if (!(isHdeApiError(error) && !error.retryable)) throw error;
          moved = await options.ledger.finish(
            entry.id,
            'quarantined',
            { error: `could not tell whether the call landed: ${error.message}` },
            fence,
          );
          break;
        }
        if ('unsure' in result) {
          moved = await options.ledger.finish(entry.id, 'quarantined', { error: 'could not tell whether the call landed' }, fence);
        } else if (result.found) {
          moved = await options.ledger.finish(entry.id, 'sent', { hdeRef: result.ref }, fence);
        } else if (entry.attempts >= maxSends) {
          moved = await options.ledger.finish(entry.id, 'quarantined', { error: 'not found after the last allowed send' }, fence);
        } else {
          moved = await options.ledger.replan(entry.id, { ...fence, settledMs });
          if (!moved) await waitIfUnchanged(entry, 'send_ambiguous');
        }
        break;
      }
      case 'planned': {
        const since = performance.now();
        const sending = await options.ledger.beginSend(entry.id);
        if (sending) moved = await perform(sending, since);
        break;
      }
    }
    const next = moved ?? (await options.ledger.get(entry.id));
    if (!next) throw new Error('Ledger entry disappeared');
    entry = next;
  }
  throw new Error('Ledger entry did not settle');
}
