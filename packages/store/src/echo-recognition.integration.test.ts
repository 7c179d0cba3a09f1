import { randomBytes } from 'node:crypto';
import { createTestDatabase, type TestDatabase, seedIntegration } from '@repo/testing';
import { createStore, type Store } from './create-store';
import { createEchoRecognizer } from './echo-recognition';
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
});
