import { randomBytes } from 'node:crypto';
import { createTestDatabase, type TestDatabase, seedIntegration } from '@repo/testing';
import { createStore, type Store } from './create-store';
import { createEchoRecognizer } from './echo-recognition';
import type { NewStoredEvent } from './events.repo';
import { createIntake, type IntakeRecord } from './intake';
import { migrate } from './migrate';

describe('intake recognises our own posts coming back (real PostgreSQL)', () => {
  let database: TestDatabase;
  let store: Store;
  let integrationId: string;

  beforeAll(async () => {
    database = await createTestDatabase('echoes');
    await migrate(database.url);
    store = createStore({ url: database.url, secretsKey: randomBytes(32) });
    ({ integrationId } = await seedIntegration(store, {
      hdeBaseUrl: 'https://acme.helpdeskeddy.com',
      adminEmail: 'bot@acme.test',
      apiKey: 'k',
      botUserId: 7,
    }));
    const dialog = await store.dialogs.upsert(integrationId, 900);
    const sent = await store.ledger.plan({
      integrationId,
      dialogId: dialog.id,
      ticketId: 900,
      actionKey: 'reply-t1',
      kind: 'reply',
      request: { text: 'Ответ' },
    });
    await store.ledger.finish(sent.id, 'sent', { hdeRef: '555' });
    // A reply whose send is still in flight (HDE dispatches its webhook before we record the post id).
    const inFlight = await store.ledger.plan({
      integrationId,
      dialogId: dialog.id,
      ticketId: 900,
      actionKey: 'reply-t2',
      kind: 'reply',
      request: { text: '<p>Второй  ответ</p>' },
    });
    await store.ledger.beginSend(inFlight.id);
  });

  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  const record = (id: string, payload: Record<string, unknown>, ticketId = 900): IntakeRecord => ({
    id,
    integrationId,
    ticketId,
    source: 'webhook',
    parseStatus: 'ok',
    payload,
    rawBody: null,
    contentType: 'application/json',
    receivedAt: new Date(),
    enqueue: true,
  });

  it('stores the echo as processed and queues everything else', async () => {
    const queued: string[] = [];
    const intake = createIntake({
      events: store.events,
      enqueue: async (jobs) => void queued.push(...jobs.map((j) => j.eventId)),
      recogniseEchoes: createEchoRecognizer({ db: store.db, integration: (id) => store.integrations.get(id) }),
    });
    await Promise.all([
      intake.submit(record('echo-1', { authorId: 7, postId: 555 })),
      // The in-flight reply's own webhook: same text as HDE shows it.
      intake.submit(record('echo-in-flight', { authorId: 7, postId: 560, messageHtml: 'Второй ответ' })),
      // The bot account's owner writing by hand: no ledger row has this post id.
      intake.submit(record('by-hand', { authorId: 7, postId: 556, messageHtml: 'Я посмотрю сам' })),
      // Same post id, other ticket: not ours.
      intake.submit(record('other-ticket', { authorId: 7, postId: 555 }, 901)),
      intake.submit(record('no-post-id', { authorId: 7 })),
      intake.submit(record('customer', { authorId: 42, postId: 557 })),
    ]);
    expect(queued.sort()).toEqual(['by-hand', 'customer', 'no-post-id', 'other-ticket']);
    const rows = await store.db.query<{ id: string; outcome: string | null; processed: boolean }>(
      'SELECT id, outcome, processed_at IS NOT NULL AS processed FROM webhook_events ORDER BY id',
    );
    expect(rows.find((r) => r.id === 'echo-1')).toEqual({ id: 'echo-1', outcome: 'echo', processed: true });
    expect(rows.find((r) => r.id === 'echo-in-flight')).toEqual({ id: 'echo-in-flight', outcome: 'echo', processed: true });
    expect(rows.filter((r) => !r.id.startsWith('echo')).every((r) => r.outcome === null && !r.processed)).toBe(true);
    expect(rows).toHaveLength(6);
  });

  it('queues every record when recognition fails', async () => {
    const queued: string[] = [];
    const intake = createIntake({
      events: store.events,
      enqueue: async (jobs) => void queued.push(...jobs.map((j) => j.eventId)),
      recogniseEchoes: async () => {
        throw new Error('down');
      },
    });
    await intake.submit(record('echo-2', { authorId: 7, postId: 555 }));
    expect(queued).toEqual(['echo-2']);
  });
  // What the sweep reads to tell whether the dispatcher was reaching us when the bot last changed a
  // ticket: the bot's newest send with the post ids of its last burst, whether any of their webhooks
  // is stored, and whether the integration's rule sends the bot's posts back at all.
  /** A call of the ticket's ledger, recorded as sent `secondsAgo` before now (the database's clock). */
  async function sent(ticketId: number, key: string, kind: 'reply' | 'note' | 'assign', ref: string | null, secondsAgo: number) {
    const dialog = await store.dialogs.upsert(integrationId, ticketId);
    const entry = await store.ledger.plan({ integrationId, dialogId: dialog.id, ticketId, actionKey: key, kind, request: { text: key } });
    await store.ledger.finish(entry.id, 'sent', { hdeRef: ref });
    await store.db.query(`UPDATE send_ledger SET finished_at = now() - make_interval(secs => $2) WHERE id = $1`, [entry.id, secondsAgo]);
  }

  const webhook = (id: string, authorId: number, inIntegration: string, outcome?: 'echo'): NewStoredEvent => ({
    id,
    integrationId: inIntegration,
    ticketId: 950,
    source: 'webhook',
    parseStatus: 'ok',
    payload: { authorId, customerId: 42 },
    rawBody: null,
    contentType: 'application/json',
    ...(outcome ? { outcome } : {}),
  });

  it('gives the newest send with the replies of the seconds before it: not an older reply, a note, nor a reassignment', async () => {
    await sent(950, 'old-reply', 'reply', '100', 60);
    await sent(950, 'note', 'note', '201', 1.5);
    await sent(950, 'reply', 'reply', '202', 1);
    await sent(950, 'assign', 'assign', null, 0.5);
    const newest = await store.ledger.newestSent(integrationId, 950);
    // Replies only: a note is a comment, which fires no rule.
    expect(newest?.posts.map((p) => p.postId)).toEqual([202]);
    // With when it was recorded sent, which tells the sweep its second.
    expect(newest!.at.getTime() - newest!.posts[0]!.at.getTime()).toBeGreaterThanOrEqual(400);
    const rows = await store.db.query<{ at: Date }>(
      `SELECT max(finished_at) AS at FROM send_ledger WHERE integration_id = $1 AND ticket_id = 950`,
      [integrationId],
    );
    expect(newest?.at.getTime()).toBe(rows[0]!.at.getTime());
    expect(await store.ledger.newestSent(integrationId, 901)).toBeUndefined();
  });

  it("says whether one of the events is stored, and whether the rule sends the bot's own posts back", async () => {
    // An integration of its own: the webhooks above are another rule's.
    const { integrationId: other } = await seedIntegration(store, {
      hdeBaseUrl: 'https://other.helpdeskeddy.com',
      adminEmail: 'bot@other.test',
      apiKey: 'k',
      botUserId: 7,
    });
    expect(await store.events.anyStored([])).toBe(false);
    expect(await store.events.ownPostsArrive(other)).toBe(false);
    await store.events.insertMany([webhook('customer-1', 42, other), webhook('customer-2', 42, other)]);
    expect(await store.events.anyStored(['missing', 'customer-2'])).toBe(true);
    expect(await store.events.anyStored(['missing'])).toBe(false);
    // Customers' posts only, an agent's, and the bot account's owner writing by hand: none is a reply of the bot's come back.
    await store.events.insertMany([webhook('agent-reply', 20, other), webhook('owner-by-hand', 7, other)]);
    expect(await store.events.ownPostsArrive(other)).toBe(false);
    await store.events.insertMany([webhook('bot-reply', 7, other, 'echo')]);
    expect(await store.events.ownPostsArrive(other)).toBe(true);
    // Only the newest webhooks count: a rule changed to customers' posts since is read as such.
    await store.events.insertMany([webhook('customer-3', 42, other), webhook('customer-4', 42, other)]);
    expect(await store.events.ownPostsArrive(other, { limit: 2 })).toBe(false);
  });
});
