import { randomBytes } from 'node:crypto';
import { createTestDatabase, seedIntegration, type TestDatabase } from '@repo/testing';
import { createStore, type Store } from './create-store';
import type { Db } from './db';
import { createAdminDialogsRepo } from './admin-dialogs.repo';
import { createDecisionsRepo } from './decisions.repo';
import { createDialogsRepo } from './dialogs.repo';
import { createEchoRecognizer } from './echo-recognition';
import type { IntakeRecord } from './intake';
import { migrate } from './migrate';
import { createTurnStateRepo } from './turn-state.repo';

type Captured = { sql: string; params: unknown[] };

/**
 * Every process prepares its statements once per connection (see createDb), and PostgreSQL may keep
 * one generic plan for a prepared statement from then on. A plan made on a new deployment, while the
 * tables are empty and not yet analysed, must not scan a whole table: the tables grow under it
 * (4,000 messages in a two-minute burst) long before autovacuum analyses them and the plan is made
 * again. Found by `bench:pipeline`: the turn read used a sequential scan of messages and decisions
 * under a hash join, 4.8 ms a call instead of 0.4.
 */
describe('plans of the hot statements on a new database (real PostgreSQL)', () => {
  let database: TestDatabase;
  let store: Store;
  let integrationId: string;
  const captured: Captured[] = [];
  let capturing: Db;
  /** The generic plans of the statements that wrote the rows below. */
  let writes: Array<{ sql: string; plan: string }> = [];

  beforeAll(async () => {
    database = await createTestDatabase('plans');
    await migrate(database.url);
    store = createStore({ url: database.url, secretsKey: randomBytes(32) });
    ({ integrationId } = await seedIntegration(store, {
      hdeBaseUrl: 'https://acme.helpdeskeddy.com',
      adminEmail: 'p@a.test',
      apiKey: 'k',
    }));
    capturing = {
      ...store.db,
      query: async (sql, params) => (captured.push({ sql, params: params ?? [] }), store.db.query(sql, params)),
    } as Db;
    // A few hundred rows, written but not yet analysed: what a new deployment's first minutes hold.
    for (const table of ['dialogs', 'messages', 'decisions']) await store.db.query(`ALTER TABLE ${table} SET (autovacuum_enabled = false)`);
    const dialogs = createDialogsRepo(capturing);
    const decisions = createDecisionsRepo(capturing);
    writes = await plansOf(async () => {
      for (let ticket = 1; ticket <= 60; ticket += 1) {
        const dialog = await dialogs.upsert(integrationId, ticket, { customerId: ticket, statusId: 'open' });
        const ids: number[] = [];
        for (let i = 0; i < 5; i += 1) {
          const message = await dialogs.recordMessage({
            dialogId: dialog.id,
            eventId: `e${ticket}-${i}`,
            authorKind: 'customer',
            text: 'Где мой заказ? '.repeat(20),
            html: null,
            postedAt: new Date(),
            status: 'pending',
          });
          ids.push(message.id);
        }
        const classification = { intent: 'question', cleanText: 'Где мой заказ?' } as never;
        await decisions.recordRetrieved({ dialogId: dialog.id, turnId: `t${ticket}`, messageIds: ids, classification, kbHits: [] });
      }
    });
  });

  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  /** The generic plan PostgreSQL would cache for the statement, in text form; nothing is executed. */
  async function genericPlan(statement: Captured): Promise<string> {
    const client = await store.db.pool.connect();
    try {
      await client.query('SET plan_cache_mode = force_generic_plan');
      // The parameters' types are inferred from the statement, as for the driver's own prepare.
      await client.query(`PREPARE plan_probe AS ${statement.sql}`);
      // EXECUTE takes literals only; untyped ones take the prepared parameter's type.
      const literal = (v: unknown): string =>
        v === null || v === undefined
          ? 'NULL'
          : client.escapeLiteral(
              v instanceof Date
                ? v.toISOString()
                : Array.isArray(v)
                  ? `{${v.join(',')}}`
                  : typeof v === 'object'
                    ? JSON.stringify(v)
                    : String(v),
            );
      const args = statement.params.map(literal).join(', ');
      const rows = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (COSTS OFF) EXECUTE plan_probe${args ? `(${args})` : ''}`);
      return rows.rows.map((r) => r['QUERY PLAN']).join('\n');
    } finally {
      await client.query('DEALLOCATE ALL').catch(() => undefined);
      client.release(true);
    }
  }

  /** The generic plans of the statements `run` sends, each distinct text once. */
  async function plansOf(run: () => Promise<unknown>): Promise<Array<{ sql: string; plan: string }>> {
    captured.length = 0;
    await run();
    const distinct = new Map(captured.map((c) => [c.sql, c]));
    const plans: Array<{ sql: string; plan: string }> = [];
    for (const statement of distinct.values()) plans.push({ sql: statement.sql, plan: await genericPlan(statement) });
    return plans;
  }

  const tableScans = (plan: string) => [...plan.matchAll(/Seq Scan on (\w+)/g)].map((m) => m[1]);

  it('a message, its turn and the turn read and claim look rows up through indexes only', async () => {
    const turns = createTurnStateRepo(capturing);
    const reads = [
      ...(await plansOf(() => turns.read(1, 't1', { ledger: true }))),
      ...(await plansOf(() => turns.claim(1, 't1', { integrationId }))),
      // A post read back from HDE is compared with the dialog's newest messages (classify, sweep).
      ...(await plansOf(() => createDialogsRepo(capturing).recentMessages(1, 200))),
    ];
    expect(writes.length).toBeGreaterThanOrEqual(3);
    expect(reads.length).toBeGreaterThanOrEqual(3);
    for (const { sql, plan } of [...writes, ...reads]) expect({ sql, scans: tableScans(plan) }).toEqual({ sql, scans: [] });
  });

  it("the ingress's echo check looks each ticket's ledger up through its index", async () => {
    const bot = await store.integrations.get(integrationId);
    const recognise = createEchoRecognizer({ db: capturing, integration: async () => ({ ...bot!, botUserId: 7 }) });
    const record = {
      id: 'echo-1',
      integrationId,
      ticketId: 42,
      enqueue: true,
      payload: { authorId: 7, postId: 9, messageHtml: '<p>Ответ</p>' },
    } as unknown as IntakeRecord;
    const plans = await plansOf(() => recognise([record]));
    expect(plans).toHaveLength(1);
    expect(tableScans(plans[0]!.plan)).toEqual([]);
    expect(plans[0]!.plan).toContain('send_ledger_ticket_idx');
  });

  it("the sweep's stalled dialogs and the failed-message counts go from the messages to each dialog by its key", async () => {
    await store.db.query(`UPDATE messages SET status = 'failed' WHERE id % 7 = 0`);
    const dialogs = createDialogsRepo(capturing);
    const admin = createAdminDialogsRepo(capturing);
    const plans = [
      ...(await plansOf(() => dialogs.stalledDialogs(0, 100, integrationId))),
      ...(await plansOf(() => dialogs.stalledDialogs(0, 100))),
      ...(await plansOf(() => dialogs.countFailedMessages(integrationId))),
      ...(await plansOf(() => dialogs.countFailedMessages())),
    ];
    expect(plans).toHaveLength(4);
    for (const { sql, plan } of plans) expect({ sql, scans: tableScans(plan) }).toEqual({ sql, scans: [] });
    const overview = await plansOf(() => admin.overview(integrationId, new Date(0), new Date(Date.now() + 60_000)));
    const failed = overview.filter(({ sql }) => sql.includes("m.status = 'failed'"));
    expect(failed).toHaveLength(1);
    expect(tableScans(failed[0]!.plan)).toEqual([]);
    expect(failed[0]!.plan).toContain('dialogs_pkey');
  });
});
