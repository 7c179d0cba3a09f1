import { randomBytes } from 'node:crypto';
import type { Worker } from 'bullmq';
import { AppError } from '@repo/domain';
import { createLogger } from '@repo/logger';
import { createProducer, createWorker, createWorkerConnection, type Producer } from '@repo/queue';
import { createAdminRepos, createStore, migrate, type Store } from '@repo/store';
import {
  createTestDatabase,
  deleteRedisPrefix,
  testRedisUrl,
  uniquePrefix,
  waitFor,
  type TestDatabase,
  seedIntegration,
} from '@repo/testing';
import { createEventFailureHandler } from '../src/turns/event-failure';
import { redriveUnprocessedEvents } from '../src/turns/redrive-events';

// An event whose classify fails the same deterministic way every time is quarantined after N
// failures (or at once for a non-retryable error): shown as a failed customer message, counted, and
// never driven again by the sweep. The real queue worker, real Redis, real PostgreSQL.
describe('quarantining events that keep failing (real PostgreSQL and Redis)', () => {
  const logger = createLogger({ service: 'test', silent: true });
  const prefix = uniquePrefix('quarantine');
  const redis = createWorkerConnection(testRedisUrl());
  const workerRedis = redis.duplicate();
  let database: TestDatabase;
  let store: Store;
  let integrationId: string;
  let producer: Producer<'classify'>;
  let worker: Worker;
  /** What classify throws, per event id (all deterministic). */
  const failures = new Map<string, () => Error>();
  /** Final-failure hook runs finished, per event id. */
  const hookRuns = new Map<string, number>();

  // Jobs of this test get one attempt each, so a "failure for good" takes milliseconds, not minutes.
  const classify = {
    add: (data: { integrationId: string; eventId: string }, options: { jobId: string }) => producer.add(data, { ...options, attempts: 1 }),
    get queue() {
      return producer.queue;
    },
  };

  beforeAll(async () => {
    database = await createTestDatabase('event_quarantine');
    await migrate(database.url);
    store = createStore({ url: database.url, secretsKey: randomBytes(32) });
    ({ integrationId } = await seedIntegration(store, {
      hdeBaseUrl: 'https://acme.helpdeskeddy.com/',
      adminEmail: 'b@a.test',
      apiKey: 'k',
    }));
    producer = createProducer('classify', { connection: redis, prefix });
    const onFailure = createEventFailureHandler({ redrive: store.redrive, dialogs: store.dialogs, quarantineAfter: 3, logger });
    worker = createWorker(
      'classify',
      async (data) => {
        const make = failures.get(data.eventId);
        if (make) throw make();
        return { outcome: 'customer' };
      },
      {
        connection: workerRedis,
        prefix,
        concurrency: 2,
        logger,
        onFinalFailure: async (data, error) => {
          await onFailure(data, error);
          const { eventId } = data as { eventId: string };
          hookRuns.set(eventId, (hookRuns.get(eventId) ?? 0) + 1);
        },
      },
    );
  });

  afterAll(async () => {
    await worker?.close();
    await producer?.close();
    redis.disconnect();
    workerRedis.disconnect();
    await deleteRedisPrefix(prefix);
    await store?.close();
    await database?.drop();
  });

  async function storeEvent(id: string, ticketId: number, text: string) {
    await store.events.insert({
      id,
      integrationId,
      ticketId,
      source: 'webhook',
      parseStatus: 'ok',
      payload: { v: 2, authorId: 7, customerId: 7, messageHtml: text },
      rawBody: null,
      contentType: null,
      receivedAt: new Date(Date.now() - 120_000),
    });
  }

  /** One sweep pass of re-driving the event, then until its job failed and the failure was recorded. */
  async function sweepOnce(id: string) {
    const before = hookRuns.get(id) ?? 0;
    const redriven = await redriveUnprocessedEvents({ redrive: store.redrive, classify, integrationId, olderThanMs: 60_000 });
    await waitFor(() => (hookRuns.get(id) ?? 0) > before, { what: 'the failure to be recorded', timeoutMs: 20_000 });
    return redriven;
  }

  async function failuresOf(id: string): Promise<number | undefined> {
    return (await store.db.query<{ failures: number }>('SELECT failures FROM webhook_events WHERE id = $1', [id]))[0]?.failures;
  }

  it('Q1 an event failing three times with the same error is quarantined: visibly failed, counted, never re-driven', async () => {
    const id = 'e0000000000000c01';
    failures.set(id, () => new AppError('hde_not_found', 'Ticket 9001 not found', { retryable: true }));
    await storeEvent(id, 9001, '<p>Где мой заказ?</p>');
    expect(await sweepOnce(id)).toBe(1);
    expect(await failuresOf(id)).toBe(1);
    expect(await store.redrive.countQuarantined(integrationId)).toBe(0);
    expect(await sweepOnce(id)).toBe(1);
    expect(await store.redrive.countQuarantined(integrationId)).toBe(0);
    expect(await sweepOnce(id)).toBe(1);
    expect(await failuresOf(id)).toBe(3);
    expect(await store.redrive.countQuarantined(integrationId)).toBe(1);

    // Never driven again: the sweep finds nothing to do.
    expect(await redriveUnprocessedEvents({ redrive: store.redrive, classify, integrationId, olderThanMs: 60_000 })).toBe(0);
    const event = await store.events.get(id);
    expect(event?.outcome).toBe('quarantined');
    // The invariant: the acknowledged customer message is visibly failed (dialog page, failed count), not done.
    await waitFor(async () => (await store.dialogs.countFailedMessages(integrationId)) === 1, {
      what: 'the failed message',
      timeoutMs: 10_000,
    });
    const failed = await store.dialogs.failedMessages(integrationId);
    expect(failed[0]).toMatchObject({ ticketId: 9001 });
    const dialog = await store.dialogs.getByTicket(integrationId, 9001);
    expect((await store.dialogs.messages(dialog!.id)).map((m) => [m.authorKind, m.status, m.text])).toEqual([
      ['customer', 'failed', 'Где мой заказ?'],
    ]);
    // The admin overview counts it among the unanswered messages.
    const overview = await createAdminRepos(store.db).dialogs.overview(
      integrationId,
      new Date(Date.now() - 3600_000),
      new Date(Date.now() + 60_000),
    );
    expect(overview.failedMessages).toBe(1);
  });

  it('Q1 a non-retryable typed error quarantines the event at its first failure', async () => {
    const id = 'e0000000000000c02';
    failures.set(id, () => new AppError('closed_ticket', 'The ticket is closed for good', { retryable: false }));
    await storeEvent(id, 9002, 'Вопрос');
    await sweepOnce(id);
    expect((await store.events.get(id))?.outcome).toBe('quarantined');
    const rows = await store.db.query<{ last_error_class: string }>('SELECT last_error_class FROM webhook_events WHERE id = $1', [id]);
    expect(rows[0]?.last_error_class).toBe('AppError:closed_ticket');
  });

  it('keeps driving an event whose failures differ (not deterministic)', async () => {
    const id = 'e0000000000000c03';
    let n = 0;
    failures.set(id, () => new AppError(`flaky_${n++ % 2}`, 'Something else each time', { retryable: true }));
    await storeEvent(id, 9003, 'Ещё вопрос');
    for (let round = 1; round <= 4; round += 1) expect(await sweepOnce(id)).toBe(1);
    expect(hookRuns.get(id)).toBe(4);
    expect(await failuresOf(id)).toBe(1);
    expect((await store.events.get(id))?.processedAt).toBeNull();
    failures.delete(id);
    expect(await redriveUnprocessedEvents({ redrive: store.redrive, classify, integrationId, olderThanMs: 60_000 })).toBe(1);
  });
});
