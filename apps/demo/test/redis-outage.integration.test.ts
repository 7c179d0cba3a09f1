import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { waitFor } from '@repo/testing';
import { freePort } from '../src/processes';
import { startTcpProxy, type TcpProxy } from '../src/tcp-proxy';
import { botPosts, spoolDirOf, startTestStack, type TestStack } from './helpers';

/**
 * A private redis-server this test can stop and start again on the same port. A replica loads its
 * primary's data straight from the socket (`repl-diskless-load`), so a failover writes no dump file.
 */
function startRedis(port: number): ChildProcess {
  return spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--repl-diskless-load',
      'swapdb',
      '--dir',
      tmpdir(),
    ],
    { stdio: 'ignore' },
  );
}

async function redisAnswers(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

async function stopRedis(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** The records in the ingress's spool files (the files of every process in the folder). */
async function spooled(dir: string): Promise<Array<{ eventId: string; ticketId: number | null }>> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const records: Array<{ eventId: string; ticketId: number | null }> = [];
  for (const name of names.filter((n) => n.startsWith('spool-'))) {
    const text = await fs.readFile(path.join(dir, name), 'utf8').catch(() => '');
    for (const line of text.split('\n').filter((l) => l.trim() !== ''))
      records.push(JSON.parse(line) as { eventId: string; ticketId: number | null });
  }
  return records;
}

// Redis goes away: the ingress keeps answering HDE 200 and spools; when Redis is back the spool is
// replayed and the worker, reconnected on its own, answers once.
describe('Redis outage', () => {
  let redisPort: number;
  let redisUrl: string;
  let redis: ChildProcess | undefined;
  let t: TestStack;

  beforeAll(async () => {
    redisPort = await freePort();
    redisUrl = `redis://127.0.0.1:${redisPort}`;
    redis = startRedis(redisPort);
    await waitFor(() => redisAnswers(redisUrl), { what: 'the private redis-server', timeoutMs: 20_000 });
    t = await startTestStack({ label: 'redis', redisUrl });
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await stopRedis(redis);
  }, 60_000);

  /** Opens a ticket while Redis cannot take it: HDE still gets 200, the webhook is in the spool, nothing is posted. */
  async function openWhileRedisRefuses(customer: number, title: string, text: string): Promise<number> {
    const { stack } = t;
    const slug = stack.account.slug;
    const ticket = stack.sim.openTicket(slug, { customerId: stack.people.customers[customer]!.id, title, text });
    await stack.sim.waitForDispatches();
    const dispatched = stack.sim.dispatchLog(slug).find((d) => d.ticketId === ticket.id && d.event === 'ticket_created');
    expect(dispatched?.status).toBe(200);
    expect((await spooled(spoolDirOf(t.redisPrefix))).filter((r) => r.ticketId === ticket.id)).toHaveLength(1);
    expect(botPosts(stack, ticket.id)).toHaveLength(0);
    return ticket.id;
  }

  /** Once Redis takes writes again: the spooled webhook is answered exactly once and leaves the spool. */
  async function expectAnsweredOnce(ticketId: number): Promise<void> {
    await waitFor(async () => (await t.observe.sentReplies(ticketId)) >= 1, {
      what: 'the bot to answer after the outage',
      timeoutMs: 60_000,
    });
    await t.observe.waitSettled(t.stack.sim, ticketId, 60_000);
    expect(botPosts(t.stack, ticketId)).toHaveLength(1);
    expect(await t.observe.sentReplies(ticketId)).toBe(1);
    // The spool drops replayed records when it next compacts.
    await waitFor(async () => (await spooled(spoolDirOf(t.redisPrefix))).every((r) => r.ticketId !== ticketId), {
      what: 'the spool to drop the replayed record',
      timeoutMs: 20_000,
    });
  }

  async function restartRedis(): Promise<void> {
    redis = startRedis(redisPort);
    await waitFor(() => redisAnswers(redisUrl), { what: 'the private redis-server to be back', timeoutMs: 20_000 });
  }

  it('R3 Redis down at the ingress: webhooks spooled and answered exactly once when it is back', async () => {
    await stopRedis(redis);
    expect(await redisAnswers(redisUrl)).toBe(false);
    const ticketId = await openWhileRedisRefuses(0, 'Доставка', 'Сколько стоит доставка по Москве и за сколько дней привезёте?');
    await restartRedis();
    await expectAnsweredOnce(ticketId);
  }, 120_000);

  it('R3 Redis out of memory (noeviction): webhooks spooled and answered exactly once when memory is freed', async () => {
    const admin = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
    try {
      // Every write is refused with OOM from now on (what a full Redis with noeviction answers). The
      // limit is far below what Redis uses: just below it, the apps' connections freeing a little
      // memory between the reading and the probe let the probe's write through.
      await admin.config('SET', 'maxmemory-policy', 'noeviction');
      await admin.config('SET', 'maxmemory', '1');
      await expect(admin.set('oom-probe', 'x'.repeat(10_000))).rejects.toThrow(/OOM/);
      const ticketId = await openWhileRedisRefuses(1, 'Возврат', 'Как вернуть товар, который не подошёл?');
      await admin.config('SET', 'maxmemory', '0');
      await expectAnsweredOnce(ticketId);
    } finally {
      await admin.config('SET', 'maxmemory', '0').catch(() => undefined);
      admin.disconnect();
    }
  }, 120_000);

  it('R3 Redis read-only (its primary failed over to another node, it now a replica): webhooks spooled, no job failed, each answered exactly once when it takes writes again', async () => {
    const { stack } = t;
    const otherPort = await freePort();
    const other = startRedis(otherPort);
    const admin = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
    const otherAdmin = new Redis(`redis://127.0.0.1:${otherPort}`, { maxRetriesPerRequest: 1 });
    try {
      await waitFor(() => redisAnswers(`redis://127.0.0.1:${otherPort}`), { what: 'the other redis-server', timeoutMs: 20_000 });
      // A message in the pipeline when the failover comes.
      const inPipeline = stack.sim.openTicket(stack.account.slug, {
        customerId: stack.people.customers[2]!.id,
        title: 'Гарантия',
        text: 'Какая гарантия на технику?',
      });
      await waitFor(
        async () =>
          (
            await t.pg.query('SELECT 1 FROM webhook_events WHERE integration_id = $1 AND ticket_id = $2', [
              stack.integrationId,
              inPipeline.id,
            ])
          ).rowCount! > 0,
        { what: 'the first message to be stored', timeoutMs: 20_000 },
      );
      // A failover as a managed Redis does it: the other node catches up and is promoted, and ours,
      // still the one the apps talk to, becomes its replica and refuses every write.
      await otherAdmin.call('REPLICAOF', '127.0.0.1', String(redisPort));
      await waitFor(async () => /master_link_status:up/.test(await otherAdmin.info('replication')), {
        what: 'the other node to catch up',
        timeoutMs: 20_000,
      });
      await otherAdmin.call('REPLICAOF', 'NO', 'ONE');
      await admin.call('REPLICAOF', '127.0.0.1', String(otherPort));
      await expect(admin.set('readonly-probe', 'x')).rejects.toThrow(/READONLY/);
      const workerLogFrom = stack.worker!.output().length;
      const ticketId = await openWhileRedisRefuses(3, 'Доставка', 'За сколько дней привезёте заказ в Казань?');
      await new Promise((r) => setTimeout(r, 20_000));
      await admin.call('REPLICAOF', 'NO', 'ONE');
      await expectAnsweredOnce(ticketId);
      await t.observe.waitSettled(stack.sim, inPipeline.id, 60_000);
      expect(botPosts(stack, inPipeline.id)).toHaveLength(1);
      const workerLog = stack.worker!.output().slice(workerLogFrom).split('\n');
      // Nothing spent an attempt on the refusals, and BullMQ's loop, meeting READONLY every ~100 ms
      // per queue, did not flood the log (1,546 "Worker error" lines in these 20 s before).
      expect(workerLog.filter((line) => line.includes('"Job failed"'))).toEqual([]);
      expect(workerLog.filter((line) => line.includes('"Worker error"')).length).toBeLessThan(50);
      expect(stack.worker!.child.exitCode).toBeNull();
      expect(stack.ingress.child.exitCode).toBeNull();
    } finally {
      await admin.call('REPLICAOF', 'NO', 'ONE').catch(() => undefined);
      admin.disconnect();
      otherAdmin.disconnect();
      await stopRedis(other);
    }
  }, 120_000);

  it('R3 Redis down when the ingress starts: it boots, spools, and each webhook is answered exactly once when Redis comes', async () => {
    const { stack } = t;
    await stack.ingress.stop();
    await stopRedis(redis);
    expect(await redisAnswers(redisUrl)).toBe(false);
    // A deployment whose Redis is not up yet (or down) when the ingress starts.
    stack.ingress = await stack.startIngress();
    const ticketId = await openWhileRedisRefuses(0, 'Оплата', 'Можно ли оплатить заказ картой при получении?');
    await restartRedis();
    await expectAnsweredOnce(ticketId);
  }, 120_000);
});

// A managed Redis fails over behind one address: its endpoint's DNS name moves to the promoted
// replica, while the connections already open stay with the old primary, now a replica refusing every
// write. Nothing restarts the apps and the old node never takes writes again.
describe('Redis failover behind one address', () => {
  let oldPort: number;
  let newPort: number;
  let oldPrimary: ChildProcess | undefined;
  let newPrimary: ChildProcess | undefined;
  let endpoint: TcpProxy;
  let t: TestStack;

  beforeAll(async () => {
    oldPort = await freePort();
    newPort = await freePort();
    oldPrimary = startRedis(oldPort);
    await waitFor(() => redisAnswers(`redis://127.0.0.1:${oldPort}`), { what: 'the private redis-server', timeoutMs: 20_000 });
    // The endpoint the apps are given: a name that resolves to the primary of the day.
    endpoint = await startTcpProxy({ host: '127.0.0.1', port: oldPort });
    t = await startTestStack({ label: 'redisdns', redisUrl: `redis://${endpoint.address}` });
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await endpoint?.close();
    await stopRedis(oldPrimary);
    await stopRedis(newPrimary);
  }, 60_000);

  it('R3 Redis failover behind one address (the endpoint moves to the promoted replica, open connections stay on the old primary, now read-only): the apps reconnect to the new primary and answer exactly once, the old node never writable again', async () => {
    const { stack } = t;
    const slug = stack.account.slug;
    const ask = (customer: number, text: string) =>
      stack.sim.openTicket(slug, { customerId: stack.people.customers[customer]!.id, title: 'Вопрос', text }).id;
    // Connections are open on the old primary and in use.
    const before = ask(0, 'Сколько стоит доставка по Москве?');
    await t.observe.waitSettled(stack.sim, before, 60_000);
    expect(botPosts(stack, before)).toHaveLength(1);

    newPrimary = startRedis(newPort);
    const oldAdmin = new Redis(`redis://127.0.0.1:${oldPort}`, { maxRetriesPerRequest: 1 });
    const newAdmin = new Redis(`redis://127.0.0.1:${newPort}`, { maxRetriesPerRequest: 1 });
    try {
      await waitFor(() => redisAnswers(`redis://127.0.0.1:${newPort}`), { what: 'the new node', timeoutMs: 20_000 });
      await newAdmin.call('REPLICAOF', '127.0.0.1', String(oldPort));
      await waitFor(async () => /master_link_status:up/.test(await newAdmin.info('replication')), {
        what: 'the new node to catch up',
        timeoutMs: 20_000,
      });
      await newAdmin.call('REPLICAOF', 'NO', 'ONE');
      await oldAdmin.call('REPLICAOF', '127.0.0.1', String(newPort));
      endpoint.retarget({ host: '127.0.0.1', port: newPort });
      await expect(oldAdmin.set('readonly-probe', 'x')).rejects.toThrow(/READONLY/);

      const after = ask(1, 'Какие способы оплаты у вас есть?');
      await waitFor(async () => (await t.observe.sentReplies(after)) >= 1, { what: 'the answer after the failover', timeoutMs: 60_000 });
      await t.observe.waitSettled(stack.sim, after, 60_000);
      expect(botPosts(stack, after)).toHaveLength(1);
      expect(botPosts(stack, before)).toHaveLength(1);
      // The old node is still a replica: the work went to the new primary.
      expect(await oldAdmin.info('replication')).toMatch(/role:slave/);
      expect(stack.worker!.child.exitCode).toBeNull();
      expect(stack.ingress.child.exitCode).toBeNull();
    } finally {
      oldAdmin.disconnect();
      newAdmin.disconnect();
    }
  }, 150_000);
});
