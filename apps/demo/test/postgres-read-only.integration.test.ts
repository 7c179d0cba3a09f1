import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { adminDatabaseUrl, waitFor } from '@repo/testing';
import { botPosts, spoolDirOf, startTestStack, type TestStack } from './helpers';

/** The JSON log lines of an app's output (other lines, e.g. a crash's stack, are left out). */
function logLines(output: string): Array<{ level?: string; message?: string; error?: { code?: unknown } }> {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as { level?: string; message?: string; error?: { code?: unknown } }];
      } catch {
        return [];
      }
    });
}

/** The tickets of the records in the ingress's spool files. */
async function spooledTickets(dir: string): Promise<Array<number | null>> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const tickets: Array<number | null> = [];
  for (const name of names.filter((n) => n.startsWith('spool-'))) {
    const text = await fs.readFile(path.join(dir, name), 'utf8').catch(() => '');
    for (const line of text.split('\n').filter((l) => l.trim() !== ''))
      tickets.push((JSON.parse(line) as { ticketId: number | null }).ticketId);
  }
  return tickets;
}

// A PostgreSQL that stays up but refuses every write (SQLSTATE 25006), as a client that lands on a
// replica after a failover sees, or a database an operator set read-only: reads still work.
describe('PostgreSQL read-only', () => {
  let t: TestStack;
  let admin: Client;
  let database: string;

  beforeAll(async () => {
    // A long debounce holds a message between classify and retrieve, so the read-only period
    // begins with it in the pipeline.
    t = await startTestStack({ label: 'pgro', workerEnv: { TURN_DEBOUNCE_MS: '4000' } });
    database = new URL(t.databaseUrl).pathname.slice(1);
    admin = new Client({ connectionString: adminDatabaseUrl() });
    await admin.connect();
  }, 120_000);

  afterAll(async () => {
    await admin?.query(`ALTER DATABASE "${database}" SET default_transaction_read_only = off`).catch(() => undefined);
    await admin?.end().catch(() => undefined);
    await t?.close();
  }, 60_000);

  /**
   * Sets the database read-only (or back) and ends the apps' sessions, so their pools reconnect and
   * get the new default; the test's own pools keep theirs.
   */
  async function setReadOnly(on: boolean): Promise<void> {
    await admin.query(`ALTER DATABASE "${database}" SET default_transaction_read_only = ${on ? 'on' : 'off'}`);
    await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
       WHERE datname = $1 AND pid <> pg_backend_pid() AND application_name IN ('ingress', 'worker', 'config-cache')`,
      [database],
    );
    const probe = new Client({ connectionString: t.databaseUrl });
    await probe.connect();
    try {
      expect((await probe.query<{ r: string }>("SELECT current_setting('default_transaction_read_only') AS r")).rows[0]!.r).toBe(
        on ? 'on' : 'off',
      );
    } finally {
      await probe.end();
    }
  }

  async function messageStatuses(ticketId: number): Promise<string[]> {
    const { rows } = await t.pg.query<{ status: string }>(
      `SELECT m.status FROM messages m JOIN dialogs d ON d.id = m.dialog_id
       WHERE d.integration_id = $1 AND d.ticket_id = $2 AND m.author_kind = 'customer' ORDER BY m.id`,
      [t.stack.integrationId, ticketId],
    );
    return rows.map((r) => r.status);
  }

  it('D7 PostgreSQL read-only (a failover to a replica): HDE gets 200, nothing quarantined or failed, each message answered exactly once when writes return', async () => {
    const { stack } = t;
    const slug = stack.account.slug;
    // One message reaches the pipeline before the database turns read-only…
    const inPipeline = stack.sim.openTicket(slug, {
      customerId: stack.people.customers[0]!.id,
      title: 'Доставка',
      text: 'Сколько стоит доставка по Москве?',
    });
    await waitFor(async () => (await messageStatuses(inPipeline.id)).length > 0, {
      what: 'the message to enter its turn',
      timeoutMs: 20_000,
    });
    const workerLogFrom = stack.worker!.output().length;
    await setReadOnly(true);
    // …and one arrives while it is.
    const arriving = stack.sim.openTicket(slug, {
      customerId: stack.people.customers[1]!.id,
      title: 'Возврат',
      text: 'Как вернуть товар, который не подошёл?',
    });
    await stack.sim.waitForDispatches();
    const dispatched = stack.sim.dispatchLog(slug).find((d) => d.ticketId === arriving.id && d.event === 'ticket_created');
    expect(dispatched?.status).toBe(200);
    expect(await spooledTickets(spoolDirOf(t.redisPrefix))).toContain(arriving.id);
    // Twenty seconds read-only: longer than the retries of a job that spends its attempts.
    await new Promise((r) => setTimeout(r, 20_000));
    expect(botPosts(stack, inPipeline.id)).toHaveLength(0);
    await setReadOnly(false);

    for (const ticket of [inPipeline, arriving]) {
      await waitFor(async () => (await t.observe.sentReplies(ticket.id)) >= 1, {
        what: 'the bot to answer after the read-only period',
        timeoutMs: 60_000,
      });
      await t.observe.waitSettled(stack.sim, ticket.id, 60_000);
      expect(botPosts(stack, ticket.id)).toHaveLength(1);
      expect(await messageStatuses(ticket.id)).toEqual(['done']);
    }
    const { rows: events } = await t.pg.query<{ failures: number; outcome: string | null }>(
      'SELECT failures, outcome FROM webhook_events WHERE integration_id = $1 AND ticket_id = ANY($2)',
      [stack.integrationId, [inPipeline.id, arriving.id]],
    );
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events.filter((e) => e.failures > 0 || e.outcome === 'quarantined')).toEqual([]);
    // The refused writes delayed jobs without spending attempts (a job that spends them logs
    // "Job failed"; five of retrieve's eight were gone within these 20 s before 25006 was read as an
    // outage).
    const lines = logLines(stack.worker!.output().slice(workerLogFrom));
    expect(lines.filter((l) => l.message === 'Job waits for PostgreSQL or Redis' && l.error?.code === '25006').length).toBeGreaterThan(0);
    expect(lines.filter((l) => l.message === 'Job failed')).toEqual([]);
    // Nothing exited, and no customer's words went to a log line.
    expect(stack.worker!.child.exitCode).toBeNull();
    expect(stack.ingress.child.exitCode).toBeNull();
    for (const output of [stack.worker!.output(), stack.ingress.output()]) {
      expect(output).not.toContain('Сколько стоит доставка');
      expect(output).not.toContain('Как вернуть товар');
    }
  }, 150_000);
});
