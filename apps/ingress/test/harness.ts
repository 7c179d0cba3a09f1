import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { createStore, migrate, type Store } from '@repo/store';
import { createTestDatabase, deleteRedisPrefix, testRedisUrl, uniquePrefix, type TestDatabase } from '@repo/testing';

const MAIN = path.resolve(__dirname, '..', 'dist', 'main.js');

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A fresh database with one integration and its webhook token, and a Redis prefix. */
export type Fixture = {
  db: TestDatabase;
  store: Store;
  integrationId: string;
  token: string;
  prefix: string;
  spoolDir: string;
  classifyQueue(redisUrl?: string): Queue;
  close(): Promise<void>;
};

/** Creates a {@link Fixture}. */
export async function createFixture(label: string): Promise<Fixture> {
  const db = await createTestDatabase(label);
  await migrate(db.url);
  const store = createStore({ url: db.url, secretsKey: randomBytes(32) });
  const org = await store.organizations.createOrganization('Acme');
  const consultant = await store.organizations.createConsultant(org.id, 'Eddy');
  const skill = await store.organizations.createSkill({ organizationId: org.id, consultantId: consultant.id, name: 'Support' });
  const integration = await store.integrations.create({
    organizationId: org.id,
    skillId: skill.id,
    hdeBaseUrl: 'https://acme.helpdeskeddy.com/',
    adminEmail: 'bot@acme.test',
    apiKey: 'k',
  });
  const { token } = await store.integrations.issueToken(integration.id);
  const prefix = uniquePrefix(label);
  const queues: Queue[] = [];
  return {
    db,
    store,
    integrationId: integration.id,
    token,
    prefix,
    spoolDir: mkdtempSync(path.join(tmpdir(), `${label}-spool-`)),
    classifyQueue(redisUrl = testRedisUrl()) {
      const q = new Queue('ticket-classify', { connection: { url: redisUrl, maxRetriesPerRequest: 1 } as never, prefix: `{${prefix}}` });
      q.on('error', () => undefined);
      queues.push(q);
      return q;
    },
    async close() {
      for (const q of queues) await q.close().catch(() => undefined);
      await store.close();
      await deleteRedisPrefix(prefix).catch(() => undefined);
      await db.drop();
    },
  };
}

/** An ingress process started from dist, as production runs it. */
export type IngressProcess = { url: string; child: ChildProcess; output: () => string; stop(): Promise<void>; kill9(): Promise<void> };

/** Starts the built ingress (`apps/ingress/dist/main.js`) and waits until it listens. */
export async function startIngressProcess(fx: Fixture, env: Record<string, string> = {}): Promise<IngressProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: fx.db.url,
      REDIS_URL: testRedisUrl(),
      REDIS_PREFIX: fx.prefix,
      INGRESS_PORT: String(port),
      INGRESS_HOST: '127.0.0.1',
      SPOOL_DIR: fx.spoolDir,
      SPOOL_REPLAY_INTERVAL_MS: '200',
      LOG_LEVEL: 'warn',
      RUN_MIGRATIONS: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`ingress exited: ${out}`);
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`ingress did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    child,
    output: () => out,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
    async kill9() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** POSTs a webhook body (an object is sent as JSON, a string as is). */
export async function postWebhook(base: string, token: string, body: unknown, contentType = 'application/json') {
  const res = await fetch(`${base}/api/bots/helpdeskeddy_bot/webhook/${token}`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // not JSON
  }
  return { status: res.status, json, headers: res.headers };
}

/** Polls until `check` returns a truthy value or the time is up. */
export async function until<T>(check: () => Promise<T>, ms = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
