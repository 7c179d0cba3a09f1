import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase, seedIntegration } from '@repo/testing';
import { createStore, type Store } from './create-store';
import { migrate } from './migrate';

const classification = {
  language: 'en',
  intent: 'question',
  cleanText: 'q',
} as never;

describe('a turn from message to end, in few statements, against real PostgreSQL', () => {
  let database: TestDatabase;
  let store: Store;
  let integrationId: string;
  let ticket = 900;

  beforeAll(async () => {
    database = await createTestDatabase('turn_lifecycle');
    await migrate(database.url);
    store = createStore({ url: database.url, secretsKey: randomBytes(32) });
    ({ integrationId } = await seedIntegration(store, {
      hdeBaseUrl: 'https://acme.helpdeskeddy.com',
      adminEmail: 'bot@acme.test',
      apiKey: 'k',
    }));
  });

  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  const newDialog = async () => (await store.dialogs.upsert(integrationId, (ticket += 1))).id;
  const customerMessage = (dialogId: number, eventId: string, turnId: string) =>
    store.dialogs.recordCustomerMessage(
      { dialogId, eventId, authorKind: 'customer', text: eventId, html: eventId, status: 'pending' },
      { turnId, staleAfterMs: 60_000 },
    );
  /** The retrieve stage's claim and record, as the worker makes them. */
  const claimAndRecord = async (dialogId: number, turnId: string) => {
    const claim = await store.turnState.claim(dialogId, turnId);
    await store.decisions.recordRetrieved({
      dialogId,
      turnId,
      messageIds: claim.messages.map((m) => m.id),
      classification,
      kbHits: [],
      ...(claim.claimedSeq !== undefined ? { claimedSeq: claim.claimedSeq } : {}),
    });
    return claim;
  };

  /**
   * Waits until `n` sessions of the test database wait for a lock. Watched from a session of its
   * own: a transaction sees one snapshot of pg_stat_activity, so a lock holder cannot watch itself.
   */
  const lockWaiters = async (n: number) => {
    const watcher = new Client({ connectionString: database.url });
    await watcher.connect();
    try {
      for (let i = 0; i < 500; i += 1) {
        const rows = await watcher.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity
           WHERE datname = current_database() AND state = 'active' AND wait_event_type = 'Lock'`,
        );
        if ((rows.rows[0] as { n: number }).n >= n) return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error('the statements never queued for the row');
    } finally {
      await watcher.end();
    }
  };

  it('stores a customer message, takes the free lease and marks its event processed in one statement', async () => {
    const dialogId = await newDialog();
    await store.events.insert({
      id: 'e-lc-1',
      integrationId,
      ticketId: ticket,
      source: 'webhook',
      parseStatus: 'ok',
      payload: {},
      rawBody: null,
      contentType: null,
    });
    expect(await customerMessage(dialogId, 'e-lc-1', 'tA')).toEqual({ inserted: true, started: true, holder: 'tA' });
    // A rerun of the same event: stored once, and the lease is this turn's already.
    expect(await customerMessage(dialogId, 'e-lc-1', 'tA')).toEqual({ inserted: false, started: true, holder: 'tA' });
    // A second message while the turn runs waits for it.
    expect(await customerMessage(dialogId, 'e-lc-2', 'tB')).toEqual({ inserted: true, started: false, holder: 'tA' });
    // A rerun of the first message with a new turn id learns which turn holds the ticket.
    expect(await customerMessage(dialogId, 'e-lc-1', 'tA2')).toEqual({ inserted: false, started: false, holder: 'tA' });
    expect((await store.events.get('e-lc-1'))?.processedAt).toBeInstanceOf(Date);
    expect((await store.dialogs.get(dialogId))?.activeTurnId).toBe('tA');
  });

  it('a turn claims every pending message with the question before them, and a rerun claims nothing new once recorded', async () => {
    const dialogId = await newDialog();
    await customerMessage(dialogId, 'e-lc-10', 'tC');
    await claimAndRecord(dialogId, 'tC');
    await store.dialogs.finishTurn(dialogId, 'tC');
    await customerMessage(dialogId, 'e-lc-11', 'tD');
    await customerMessage(dialogId, 'e-lc-12', 'tX');
    const claim = await claimAndRecord(dialogId, 'tD');
    expect(claim.messages.map((m) => m.eventId)).toEqual(['e-lc-11', 'e-lc-12']);
    expect(claim.previousQuestion).toBe('e-lc-10');
    await customerMessage(dialogId, 'e-lc-13', 'tY');
    const rerun = await store.turnState.claim(dialogId, 'tD');
    expect(rerun.existing?.stage).toBe('retrieved');
    expect(rerun.messages.map((m) => m.eventId)).toEqual(['e-lc-11', 'e-lc-12']);
    expect(rerun.claimedSeq).toBeUndefined();
  });

  it('the end of a turn tells whether a message arrived after its claim, and records what the turn did', async () => {
    const dialogId = await newDialog();
    await customerMessage(dialogId, 'e-lc-20', 'tE');
    await claimAndRecord(dialogId, 'tE');
    // Nothing arrived: the lease is released and no next turn is due.
    expect(
      await store.dialogs.finishTurn(dialogId, 'tE', 'done', {
        botMessage: { eventId: 'b-tE', authorId: 7, html: '<p>hi</p>' },
        countBotReply: true,
        decisionResult: { messageStatus: 'done' },
      }),
    ).toEqual({ morePending: false });
    const dialog = await store.dialogs.get(dialogId);
    expect(dialog).toMatchObject({ activeTurnId: null, botReplies: 1 });
    expect((await store.decisions.get('tE'))?.stage).toBe('delivered');
    const messages = await store.dialogs.messages(dialogId);
    expect(messages.map((m) => [m.authorKind, m.status])).toEqual([
      ['customer', 'done'],
      ['bot', 'done'],
    ]);

    // A message that arrives after the claim is reported pending when the turn ends.
    expect(await customerMessage(dialogId, 'e-lc-21', 'tF')).toMatchObject({ started: true });
    await claimAndRecord(dialogId, 'tF');
    expect(await customerMessage(dialogId, 'e-lc-22', 'tZ')).toMatchObject({ started: false });
    expect(await store.dialogs.finishTurn(dialogId, 'tF', 'done', { handedOff: 'customer_request', decisionResult: {} })).toEqual({
      morePending: true,
    });
    expect(await store.dialogs.get(dialogId)).toMatchObject({ state: 'handed_off', handoffReason: 'customer_request', botReplies: 1 });
  });

  it('a turn ended before its claim was recorded looks for pending messages itself', async () => {
    const dialogId = await newDialog();
    await customerMessage(dialogId, 'e-lc-30', 'tG');
    expect(await store.dialogs.finishTurn(dialogId, 'tG')).toEqual({ morePending: true });
    expect(await customerMessage(dialogId, 'e-lc-31', 'tH')).toMatchObject({ started: true });
  });

  /**
   * A customer message and the end of the running turn, racing for the dialog row: whichever takes
   * the row first, exactly one of the two goes on — the message starts its own turn, or the ending
   * turn reports it pending. Never neither (the message would wait for the stalled-turn sweep).
   */
  const raceMessageAgainstEnd = async (order: 'message first' | 'turn end first') => {
    const dialogId = await newDialog();
    const turn = `tR${order.length}`;
    await customerMessage(dialogId, `e-race-${order}-0`, turn);
    await claimAndRecord(dialogId, turn);
    // Another session holds the dialog row, so both statements queue behind it in a chosen order.
    const holder = new Client({ connectionString: database.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM dialogs WHERE id = $1 FOR UPDATE', [dialogId]);
      const message = () => customerMessage(dialogId, `e-race-${order}-1`, `${turn}-next`);
      const end = () => store.dialogs.finishTurn(dialogId, turn);
      let started: Promise<{ started: boolean }>;
      let ended: Promise<{ morePending: boolean }>;
      if (order === 'message first') {
        started = message();
        await lockWaiters(1);
        ended = end();
      } else {
        ended = end();
        await lockWaiters(1);
        started = message();
      }
      await lockWaiters(2);
      await holder.query('COMMIT');
      const [s, e] = await Promise.all([started, ended]);
      expect([s.started, e.morePending].filter(Boolean)).toHaveLength(1);
      expect(s.started).toBe(order === 'turn end first');
    } finally {
      await holder.end();
    }
  };

  it('S2 a customer message racing the end of the running turn, the message taking the row first: the ending turn reports it pending', () =>
    raceMessageAgainstEnd('message first'));

  it('S2 a customer message racing the end of the running turn, the end taking the row first: the message starts its own turn', () =>
    raceMessageAgainstEnd('turn end first'));

  it("S3 a second run of a turn racing its first run's claim still finds the turn's messages and does not end the turn", async () => {
    const dialogId = await newDialog();
    await customerMessage(dialogId, 'e-lc-40', 'tS');
    // The first run's claim, not committed yet: the second run's claim waits for the row.
    const first = new Client({ connectionString: database.url });
    await first.connect();
    try {
      await first.query('BEGIN');
      await first.query(`UPDATE messages SET status = 'in_turn', turn_id = 'tS' WHERE dialog_id = $1 AND status = 'pending'`, [dialogId]);
      const second = store.turnState.claim(dialogId, 'tS');
      await lockWaiters(1);
      await first.query('COMMIT');
      expect((await second).messages.map((m) => m.eventId)).toEqual(['e-lc-40']);
    } finally {
      await first.end();
    }
  });

  it('S4 two planners of one turn racing with different plans: one plan stands, and only its planner performs the first call', async () => {
    const dialogId = await newDialog();
    const row = (key: string) => ({ integrationId, dialogId, ticketId: ticket, actionKey: key, kind: 'reply' as const, request: { key } });
    const [a, b] = await Promise.all([
      store.ledger.planTurn('tP', [row('reply-tP')], { startFirst: true }),
      store.ledger.planTurn('tP', [row('draft-tP')], { startFirst: true }),
    ]);
    expect(a.rows.map((r) => r.actionKey)).toEqual(b.rows.map((r) => r.actionKey));
    expect(await store.ledger.forTurn('tP')).toHaveLength(1);
    // Only the planner whose statement wrote the plan may perform its first call.
    expect([a.started, b.started].filter(Boolean)).toHaveLength(1);
    expect((a.started ?? b.started)?.state).toBe('sending');
    expect((a.started ?? b.started)?.attempts).toBe(1);
  });

  it('adopts rows planned before calls carried their turn', async () => {
    const dialogId = await newDialog();
    await store.ledger.plan({ integrationId, dialogId, ticketId: ticket, actionKey: 'reply-tQ', kind: 'reply', request: { text: 'old' } });
    const plan = await store.ledger.planTurn('tQ', [
      { integrationId, dialogId, ticketId: ticket, actionKey: 'reply-tQ', kind: 'reply', request: { text: 'new' } },
    ]);
    expect(plan.rows.map((r) => [r.actionKey, r.turnId, r.request])).toEqual([['reply-tQ', 'tQ', { text: 'old' }]]);
    expect(plan.started).toBeUndefined();
  });
});
