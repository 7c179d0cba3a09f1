import { HdeApiError } from '@repo/hde-client';
import { JobDelay } from '@repo/queue';
import type { LedgerEntry, LedgerState } from '@repo/store';
import { AccountPausedError } from '../hde/account-budget';
import { sendOnce, ticketGone, type Reconciled } from './send-once';

/** An in-memory ledger with the same fencing rule as the SQL one. */
function fakeLedger(initial: Partial<LedgerEntry> = {}) {
  const entry: LedgerEntry = {
    id: 1,
    integrationId: 'i',
    dialogId: 1,
    ticketId: 9,
    actionKey: 'reply-t1',
    turnId: null,
    kind: 'reply',
    state: 'planned',
    request: { text: 'hi' },
    marker: null,
    attempts: 0,
    startedAt: null,
    finishedAt: null,
    hdeRef: null,
    error: null,
    ...initial,
  };
  return {
    entry,
    get: async () => ({ ...entry }),
    beginSend: async () => {
      if (entry.state !== 'planned') return undefined;
      entry.state = 'sending';
      entry.attempts += 1;
      entry.startedAt = new Date();
      return { ...entry };
    },
    finish: async (
      _id: number,
      state: Exclude<LedgerState, 'planned' | 'sending'>,
      d: { hdeRef?: string | null; error?: string | null } = {},
    ) => {
      entry.state = state;
      entry.hdeRef = d.hdeRef ?? entry.hdeRef;
      entry.error = d.error ?? null;
      return { ...entry };
    },
    replan: async (_id: number, options: { undoAttempt?: boolean } = {}) => {
      if (entry.state !== 'ambiguous' && entry.state !== 'sending') return undefined;
      entry.state = 'planned';
      if (options.undoAttempt) entry.attempts = Math.max(0, entry.attempts - 1);
      return { ...entry };
    },
    markAmbiguous: async () => {
      if (entry.state !== 'sending') return undefined;
      entry.state = 'ambiguous';
      return { ...entry };
    },
  };
}

/** A clock past every call's settle time: a call that may have landed is read back at once. */
const settled = () => Date.now() + 3_600_000;

const landedMaybe = () =>
  new HdeApiError({ reason: 'timeout', retryable: true, method: 'POST', endpoint: 'POST /tickets/:id/posts/', mayHaveLanded: true });

describe('sendOnce', () => {
  it('sends a planned call once and records the reference', async () => {
    const ledger = fakeLedger();
    let calls = 0;
    const out = await sendOnce(
      ledger.entry,
      { perform: async () => String(++calls), reconcile: async () => ({ found: false }) },
      { ledger, callTimeoutMs: 1000 },
    );
    expect(out).toMatchObject({ state: 'sent', ref: '1' });
    expect(calls).toBe(1);
  });

  it('does nothing for a call already sent', async () => {
    const ledger = fakeLedger({ state: 'sent', hdeRef: '7' });
    const perform = jest.fn();
    expect(await sendOnce(ledger.entry, { perform, reconcile: jest.fn() }, { ledger, callTimeoutMs: 1000 })).toMatchObject({
      state: 'sent',
      ref: '7',
    });
    expect(perform).not.toHaveBeenCalled();
  });

  it('reconciles a call that may have landed and does not send again when HDE has it', async () => {
    const ledger = fakeLedger();
    const perform = jest.fn().mockRejectedValueOnce(landedMaybe());
    const out = await sendOnce(
      ledger.entry,
      { perform, reconcile: async (): Promise<Reconciled> => ({ found: true, ref: '55' }) },
      { ledger, callTimeoutMs: 1000, now: settled },
    );
    expect(out).toMatchObject({ state: 'sent', ref: '55' });
    expect(perform).toHaveBeenCalledTimes(1);
  });

  it('sends once more when reconciliation proves the call did not land', async () => {
    const ledger = fakeLedger();
    const perform = jest.fn().mockRejectedValueOnce(landedMaybe()).mockResolvedValueOnce('99');
    const out = await sendOnce(
      ledger.entry,
      { perform, reconcile: async () => ({ found: false }) },
      { ledger, callTimeoutMs: 1000, now: settled },
    );
    expect(out).toMatchObject({ state: 'sent', ref: '99' });
    expect(perform).toHaveBeenCalledTimes(2);
  });

  it('quarantines when reconciliation cannot tell, and after the last allowed send', async () => {
    const unsure = fakeLedger();
    const out = await sendOnce(
      unsure.entry,
      { perform: jest.fn().mockRejectedValue(landedMaybe()), reconcile: async () => ({ unsure: true }) },
      { ledger: unsure, callTimeoutMs: 1000, now: settled },
    );
    expect(out.state).toBe('quarantined');

    const absent = fakeLedger();
    const perform = jest.fn().mockRejectedValue(landedMaybe());
    const out2 = await sendOnce(
      absent.entry,
      { perform, reconcile: async () => ({ found: false }) },
      { ledger: absent, callTimeoutMs: 1000, now: settled },
    );
    expect(out2.state).toBe('quarantined');
    expect(perform).toHaveBeenCalledTimes(2);
  });

  it('waits for a call another worker may still be making, then reconciles it', async () => {
    const ledger = fakeLedger({ state: 'sending', attempts: 1, startedAt: new Date() });
    await expect(
      sendOnce(ledger.entry, { perform: jest.fn(), reconcile: jest.fn() }, { ledger, callTimeoutMs: 60_000 }),
    ).rejects.toBeInstanceOf(JobDelay);
    const old = fakeLedger({ state: 'sending', attempts: 1, startedAt: new Date(Date.now() - 120_000) });
    const perform = jest.fn();
    const out = await sendOnce(
      old.entry,
      { perform, reconcile: async () => ({ found: true, ref: '3' }) },
      { ledger: old, callTimeoutMs: 60_000 },
    );
    expect(out).toMatchObject({ state: 'sent', ref: '3' });
    expect(perform).not.toHaveBeenCalled();
  });

  it('delays without failing when the account budget is spent, and sends nothing', async () => {
    const ledger = fakeLedger();
    const until = Date.now() + 5000;
    const perform = jest.fn().mockRejectedValue(new AccountPausedError(until, 'budget'));
    await expect(sendOnce(ledger.entry, { perform, reconcile: jest.fn() }, { ledger, callTimeoutMs: 1000 })).rejects.toMatchObject({
      until,
    });
    expect(ledger.entry.state).toBe('planned');
  });

  it('does not count a call refused before it could land (budget, 429) as one of the sends', async () => {
    const ledger = fakeLedger();
    // A 429 or a ban reaches sendOnce as AccountPausedError (the account's clients pause on it).
    const refusals = [
      new AccountPausedError(Date.now() + 10, 'budget'),
      new AccountPausedError(Date.now() + 10, 'rate_limited'),
      new AccountPausedError(Date.now() + 10, 'banned'),
    ];
    for (const refusal of refusals) {
      await expect(
        sendOnce(
          ledger.entry,
          { perform: jest.fn().mockRejectedValue(refusal), reconcile: jest.fn() },
          { ledger, callTimeoutMs: 1000, now: settled },
        ),
      ).rejects.toBeInstanceOf(JobDelay);
    }
    expect(ledger.entry).toMatchObject({ state: 'planned', attempts: 0 });
    // Then one POST is lost: it is still resent once, not quarantined.
    const perform = jest.fn().mockRejectedValueOnce(landedMaybe()).mockResolvedValueOnce('5');
    const out = await sendOnce(
      ledger.entry,
      { perform, reconcile: async () => ({ found: false }) },
      { ledger, callTimeoutMs: 1000, now: settled },
    );
    expect(out).toMatchObject({ state: 'sent', ref: '5' });
    expect(ledger.entry.attempts).toBe(2);
  });

  it('records a refusal HDE will repeat (closed ticket) as failed', async () => {
    const ledger = fakeLedger();
    const closed = new HdeApiError({
      reason: 'closed_ticket',
      retryable: false,
      method: 'POST',
      endpoint: 'POST /tickets/:id/posts/',
      mayHaveLanded: false,
      status: 400,
    });
    expect(
      (
        await sendOnce(
          ledger.entry,
          { perform: jest.fn().mockRejectedValue(closed), reconcile: jest.fn() },
          { ledger, callTimeoutMs: 1000 },
        )
      ).state,
    ).toBe('failed');
  });

  it('quarantines with the reason a call whose ticket is gone before it could be read back, instead of leaving it ambiguous', async () => {
    const ledger = fakeLedger();
    const perform = jest.fn().mockRejectedValue(landedMaybe());
    // An agent deleted the ticket, or merged it into another, after the post may have landed.
    const gone = new HdeApiError({
      reason: 'ticket_gone',
      retryable: false,
      method: 'GET',
      endpoint: 'GET /tickets/:id/posts/',
      mayHaveLanded: false,
      status: 404,
    });
    const reconcile = jest.fn().mockRejectedValue(gone);
    const out = await sendOnce(ledger.entry, { perform, reconcile }, { ledger, callTimeoutMs: 1000, now: settled });
    expect(out).toMatchObject({ state: 'quarantined', error: expect.stringContaining('ticket_gone') });
    expect(ticketGone(out)).toBe(true);
    expect(perform).toHaveBeenCalledTimes(1);
    expect(reconcile).toHaveBeenCalledTimes(1);

    // A read-back that may succeed later is still retried by the job.
    const busy = fakeLedger();
    const failing = new HdeApiError({
      reason: 'server',
      retryable: true,
      method: 'GET',
      endpoint: 'GET /tickets/:id/posts/',
      mayHaveLanded: false,
    });
    await expect(
      sendOnce(
        busy.entry,
        { perform: jest.fn().mockRejectedValue(landedMaybe()), reconcile: jest.fn().mockRejectedValue(failing) },
        { ledger: busy, callTimeoutMs: 1000, now: settled },
      ),
    ).rejects.toBe(failing);
    expect(busy.entry.state).toBe('ambiguous');
  });

  it('gives a connection refused back as not sent and lets the job retry', async () => {
    const ledger = fakeLedger();
    const refused = new HdeApiError({
      reason: 'network',
      retryable: true,
      method: 'POST',
      endpoint: 'POST /tickets/:id/posts/',
      mayHaveLanded: false,
    });
    await expect(
      sendOnce(ledger.entry, { perform: jest.fn().mockRejectedValue(refused), reconcile: jest.fn() }, { ledger, callTimeoutMs: 1000 }),
    ).rejects.toBe(refused);
    expect(ledger.entry).toMatchObject({ state: 'planned', attempts: 0 });
  });

  it('never sends again when HDE accepted the call but recording it failed (database dropped)', async () => {
    const ledger = fakeLedger();
    const finish = ledger.finish;
    const drop = Object.assign(new Error('Connection terminated unexpectedly'), {});
    ledger.finish = async () => {
      throw drop;
    };
    const perform = jest.fn().mockResolvedValue('77');
    await expect(sendOnce(ledger.entry, { perform, reconcile: jest.fn() }, { ledger, callTimeoutMs: 1000 })).rejects.toBe(drop);
    // The row stays `sending`: neither planned again nor failed.
    expect(ledger.entry).toMatchObject({ state: 'sending', attempts: 1 });
    ledger.finish = finish;

    // The rerun waits until the call surely ended, then finds the post in HDE instead of posting again.
    await expect(sendOnce(ledger.entry, { perform, reconcile: jest.fn() }, { ledger, callTimeoutMs: 1000 })).rejects.toBeInstanceOf(
      JobDelay,
    );
    const later = () => Date.now() + 10_000;
    const out = await sendOnce(
      ledger.entry,
      { perform, reconcile: async () => ({ found: true, ref: '77' }) },
      { ledger, callTimeoutMs: 1000, now: later },
    );
    expect(out).toMatchObject({ state: 'sent', ref: '77' });
    expect(perform).toHaveBeenCalledTimes(1);
  });

  it('reads back a call of its own that may have landed only once it surely ended', async () => {
    const ledger = fakeLedger();
    const perform = jest.fn().mockRejectedValueOnce(landedMaybe());
    const reconcile = jest.fn().mockResolvedValue({ found: true, ref: '4' });
    // HDE may still commit a request whose answer the client gave up on: the job waits first.
    await expect(sendOnce(ledger.entry, { perform, reconcile }, { ledger, callTimeoutMs: 1000 })).rejects.toMatchObject({
      reason: 'send_ambiguous',
    });
    expect(reconcile).not.toHaveBeenCalled();
    expect(ledger.entry.state).toBe('ambiguous');
    const out = await sendOnce(ledger.entry, { perform, reconcile }, { ledger, callTimeoutMs: 1000, now: settled });
    expect(out).toMatchObject({ state: 'sent', ref: '4' });
    expect(perform).toHaveBeenCalledTimes(1);
  });

  it('treats an error that is not an HDE answer as possibly landed and reconciles it', async () => {
    const ledger = fakeLedger();
    const perform = jest.fn().mockRejectedValueOnce(new TypeError('cannot read the response')).mockResolvedValueOnce('8');
    const reconcile = jest.fn().mockResolvedValue({ found: true, ref: '6' });
    const out = await sendOnce(ledger.entry, { perform, reconcile }, { ledger, callTimeoutMs: 1000, now: settled });
    expect(out).toMatchObject({ state: 'sent', ref: '6' });
    expect(perform).toHaveBeenCalledTimes(1);
    expect(reconcile).toHaveBeenCalledTimes(1);
  });
});
