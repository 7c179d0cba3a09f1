import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { loadConfig } from '@repo/config';
import { QUEUES, bullPrefix } from '@repo/queue';
import { createLogger } from '@repo/logger';
import { createTestDatabase, deleteRedisPrefix, testRedisUrl, uniquePrefix, type TestDatabase } from '@repo/testing';
import { AdminEnv } from '../src/config';
import { startAdmin, type RunningAdmin } from '../src/start-admin';
import { IngressEnv } from '../../ingress/src/config';
import { startIngress, type RunningIngress } from '../../ingress/src/start-ingress';
import { WorkerEnv } from '../../worker/src/config';
import { startWorker, type RunningWorker } from '../../worker/src/start-worker';

const logger = createLogger({ service: 'test', level: 'error', format: 'json' });

/** What compose gives every app, for one database and key prefix. */
function env(databaseUrl: string, prefix: string, spoolDir: string, secretsKey: string): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    REDIS_URL: testRedisUrl(),
    REDIS_PREFIX: prefix,
    SECRETS_KEY: secretsKey,
    SPOOL_DIR: spoolDir,
    INGRESS_PORT: '0',
    ADMIN_PORT: '0',
    ADMIN_HOST: '127.0.0.1',
    INGRESS_HOST: '127.0.0.1',
    ADMIN_SESSION_SECRET: randomBytes(24).toString('hex'),
    ADMIN_BOOTSTRAP_EMAIL: 'lead@example.com',
    ADMIN_BOOTSTRAP_PASSWORD: 'a-long-password',
    SWEEP_INTERVAL_MS: '0',
    KB_SYNC_INTERVAL_MS: '0',
    LOG_LEVEL: 'error',
  };
}

describe('ingress, worker and admin started at the same moment on an empty database', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it.each([1, 2, 3])('all three come up (round %i)', async () => {
    const database: TestDatabase = await createTestDatabase('together');
    const prefix = uniquePrefix('together');
    const spoolDir = mkdtempSync(path.join(tmpdir(), 'spool-'));
    dirs.push(spoolDir);
    const vars = env(database.url, prefix, spoolDir, randomBytes(32).toString('hex'));
    const started = await Promise.allSettled([
      startIngress(loadConfig(IngressEnv, vars), { logger }),
      startWorker(loadConfig(WorkerEnv, vars), { logger }),
      startAdmin(loadConfig(AdminEnv, vars), { logger }),
    ]);
    const [ingress, worker, admin] = started;
    try {
      expect(started.map((s) => (s.status === 'rejected' ? String(s.reason) : 'up'))).toEqual(['up', 'up', 'up']);
      const ingressReady = await fetch(`${(ingress as PromiseFulfilledResult<RunningIngress>).value.url}/readyz`);
      expect(ingressReady.status).toBe(200);
      const adminReady = await fetch(`${(admin as PromiseFulfilledResult<RunningAdmin>).value.url}/readyz`);
      expect(adminReady.status).toBe(200);
      expect((worker as PromiseFulfilledResult<RunningWorker>).value.workers.length).toBeGreaterThan(0);
    } finally {
      for (const s of started) if (s.status === 'fulfilled') await s.value.close();
      await deleteRedisPrefix(prefix);
      await database.drop();
    }
  });

  it('a second key is refused at start with a message naming SECRETS_KEY, and the first start left nothing open', async () => {
    const database = await createTestDatabase('together_key');
    const prefix = uniquePrefix('together');
    const spoolDir = mkdtempSync(path.join(tmpdir(), 'spool-'));
    dirs.push(spoolDir);
    try {
      const first = await startWorker(loadConfig(WorkerEnv, env(database.url, prefix, spoolDir, randomBytes(32).toString('hex'))), {
        logger,
      });
      await first.close();
      const error = await startAdmin(loadConfig(AdminEnv, env(database.url, prefix, spoolDir, randomBytes(32).toString('hex'))), {
        logger,
      }).catch((e: unknown) => e);
      expect(String(error)).toMatch(
        /SECRETS_KEY: this process's key \(fingerprint [0-9a-f]{12}\) does not open the API keys stored in the database/,
      );
    } finally {
      await deleteRedisPrefix(prefix);
      await database.drop();
    }
  });

  it('an ingress whose spool folder cannot be written runs but is not ready, and says SPOOL_DIR', async () => {
    const database = await createTestDatabase('together_spool');
    const prefix = uniquePrefix('together');
    const dir = mkdtempSync(path.join(tmpdir(), 'spool-'));
    dirs.push(dir);
    // A folder below a regular file can be created by nobody, root included.
    writeFileSync(path.join(dir, 'file'), 'x');
    const ingress = await startIngress(loadConfig(IngressEnv, env(database.url, prefix, path.join(dir, 'file', 'spool'), '')), { logger });
    try {
      const res = await fetch(`${ingress.url}/readyz`);
      expect(res.status).toBe(503);
      // Without METRICS_TOKEN /readyz is served on the public webhook port: what is down, never the
      // reason, which names the folder.
      const body = JSON.stringify(await res.json());
      expect(body).toContain('SPOOL_DIR');
      expect(body).not.toContain(dir);
    } finally {
      await ingress.close();
      await deleteRedisPrefix(prefix);
      await database.drop();
    }
  });

  it('declares sweep and KB sync once for the deployment as BullMQ job schedulers, however many workers start', async () => {
    const database = await createTestDatabase('together_sched');
    const prefix = uniquePrefix('together');
    const key = randomBytes(32).toString('hex');
    const vars = { ...env(database.url, prefix, '/tmp', key), SWEEP_INTERVAL_MS: '300000', KB_SYNC_INTERVAL_MS: '21600000' };
    const workers = await Promise.all([
      startWorker(loadConfig(WorkerEnv, vars), { logger }),
      startWorker(loadConfig(WorkerEnv, vars), { logger }),
    ]);
    const connection = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
    const queue = new Queue(QUEUES.schedule.name, { connection, prefix: bullPrefix(prefix) });
    try {
      const schedulers = await queue.getJobSchedulers();
      expect(schedulers.map((s) => [s.key, s.every]).sort()).toEqual([
        ['kb-sync', 21600000],
        ['sweep', 300000],
      ]);
      // Turning one off removes its scheduler.
      const third = await startWorker(loadConfig(WorkerEnv, { ...vars, KB_SYNC_INTERVAL_MS: '0' }), { logger });
      workers.push(third);
      expect((await queue.getJobSchedulers()).map((s) => s.key)).toEqual(['sweep']);
    } finally {
      await queue.close();
      connection.disconnect();
      for (const w of workers) await w.close();
      await deleteRedisPrefix(prefix);
      await database.drop();
    }
  });

  it('a worker that cannot reach Redis does not report started: it fails naming REDIS_URL and closes its pool', async () => {
    const database = await createTestDatabase('together_redis');
    try {
      const vars = {
        ...env(database.url, uniquePrefix('together'), '/tmp', randomBytes(32).toString('hex')),
        REDIS_URL: 'redis://127.0.0.1:1',
      };
      const error = await startWorker(loadConfig(WorkerEnv, vars), { logger }).catch((e: unknown) => e);
      expect(String(error)).toContain('Redis (REDIS_URL)');
    } finally {
      // DROP DATABASE WITH (FORCE) would hide a leaked pool; a clean drop shows none was left open.
      await database.drop();
    }
  });
});
