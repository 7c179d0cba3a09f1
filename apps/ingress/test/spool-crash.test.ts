import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import Redis from 'ioredis';
import bodies from './rule-bodies.json';
import { createFixture, freePort, postWebhook, startIngressProcess, until, type Fixture } from './harness';

/** A private Redis this test may kill. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  await until(
    async () => {
      const r = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      r.on('error', () => undefined);
      try {
        await r.connect();
        return (await r.ping()) === 'PONG';
      } catch {
        return false;
      } finally {
        r.disconnect();
      }
    },
    10_000,
    'redis-server',
  );
  return child;
}

const stop = async (child: ChildProcess) => {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
};

// Acknowledged webhooks survive `kill -9` of the ingress in the middle of a spool replay.
describe('spool replay crash safety', () => {
  let fx: Fixture;
  let redis: ChildProcess | undefined;

  beforeAll(async () => {
    fx = await createFixture('spoolcrash');
  }, 60_000);

  afterAll(async () => {
    if (redis) await stop(redis);
    await fx?.close();
  });

  it('D2 ingress killed -9 during spool replay: none of 3,000 acknowledged webhooks lost, each stored once', async () => {
    const port = await freePort();
    const redisUrl = `redis://127.0.0.1:${port}`;
    redis = await startRedis(port);
    const env = { REDIS_URL: redisUrl, ACCEPT_TIMEOUT_MS: '500', SPOOL_REPLAY_INTERVAL_MS: '100' };
    const first = await startIngressProcess(fx, env);
    await stop(redis);

    // Redis is down: every webhook is spooled (fsynced) before its 200.
    const total = 3000;
    const ids = new Set<string>();
    for (let start = 0; start < total; start += 100) {
      const answers = await Promise.all(
        Array.from({ length: 100 }, (_, k) =>
          postWebhook(first.url, fx.token, { ...bodies.product, ticket_id: String(20_000 + start + k), post_id: String(start + k + 1) }),
        ),
      );
      for (const a of answers) {
        expect(a.status).toBe(200);
        expect(a.json.status).toBe('spooled');
        ids.add(String(a.json.event_id));
      }
    }
    expect(ids.size).toBe(total);
    await first.kill9();

    redis = await startRedis(port);
    const queue = fx.classifyQueue(redisUrl);
    const enqueued = async () => (await queue.getJobCounts('waiting', 'prioritized', 'delayed')) as Record<string, number>;
    const count = async () => Object.values(await enqueued()).reduce((a, b) => a + b, 0);

    // The second ingress starts replaying; kill it as soon as the first records are through.
    const second = await startIngressProcess(fx, env);
    const atKill = await until(
      async () => {
        const n = await count();
        return n > 0 ? n : 0;
      },
      20_000,
      'the replay to start',
    );
    await second.kill9();
    const afterKill = await count();
    const interrupted = readdirSync(fx.spoolDir).filter((n) => n.includes(`.replaying-${second.child.pid}`));
    expect(atKill).toBeLessThan(total);
    expect(afterKill).toBeLessThan(total);
    expect(interrupted.length).toBeGreaterThan(0);

    // A third process reclaims the dead replayer's file and finishes the job.
    const third = await startIngressProcess(fx, env);
    await until(
      async () => (await count()) === total && readdirSync(fx.spoolDir).filter((n) => n.startsWith('spool-')).length === 0,
      30_000,
      'every event enqueued',
    );
    for (const id of ids) expect(await queue.getJob(id)).toBeDefined();
    const stored = await fx.store.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM webhook_events WHERE integration_id = $1 AND ticket_id >= 20000',
      [fx.integrationId],
    );
    expect(stored[0]!.n).toBe(total);
    await third.stop();
  }, 120_000);
});
