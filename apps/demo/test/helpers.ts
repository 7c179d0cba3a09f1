import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Pool } from 'pg';
import type { RedisTarget } from '@repo/config';
import { adminDatabaseUrl, deleteRedisPrefix, testRedisUrl, uniquePrefix } from '@repo/testing';
import { createObserver, type Observer } from '../src/observe';
import { REPO_ROOT } from '../src/processes';
import { dropDatabase, startStack, type Stack, type StackOptions } from '../src/stack';

/** A stack of its own for one test file: a fresh database, a Redis prefix, an observer and a pool. */
export type TestStack = {
  stack: Stack;
  observe: Observer;
  pg: Pool;
  databaseUrl: string;
  redisUrl: string;
  /** The stack's Redis as the connection factories take it (a cluster's seed nodes with `redisCluster`). */
  redis: RedisTarget;
  redisPrefix: string;
  close(): Promise<void>;
};

/** A database URL on the test server with a unique name (`t_demo_<pid>_<rand>`); startStack creates it. */
export function uniqueDatabaseUrl(label = 'demo'): string {
  const url = new URL(adminDatabaseUrl());
  url.pathname = `/t_${label}_${process.pid}_${randomBytes(4).toString('hex')}`;
  return url.toString();
}

/** Starts the whole product (simulator, CLI setup, KB import, ingress and worker processes) for a test file. */
export async function startTestStack(options: Partial<StackOptions> & { label?: string } = {}): Promise<TestStack> {
  const { label, ...rest } = options;
  const databaseUrl = options.databaseUrl ?? uniqueDatabaseUrl(label);
  const redisUrl = options.redisUrl ?? testRedisUrl();
  const redisPrefix = options.redisPrefix ?? uniquePrefix(`demo-${label ?? 't'}`);
  const redis: RedisTarget = { url: redisUrl, cluster: options.redisCluster ?? false };
  let stack: Stack;
  try {
    stack = await startStack({ ...rest, databaseUrl, redisUrl, redisPrefix });
  } catch (error) {
    // startStack stopped its processes and the simulator; leave no database or keys behind either.
    await dropDatabase(databaseUrl).catch(() => undefined);
    await deleteRedisPrefix(redisPrefix, redis).catch(() => undefined);
    await fs.rm(spoolDirOf(redisPrefix), { recursive: true, force: true });
    throw error;
  }
  const observe = createObserver(databaseUrl, stack.integrationId);
  const pg = new Pool({ connectionString: databaseUrl, max: 2 });
  return {
    stack,
    observe,
    pg,
    databaseUrl,
    redisUrl,
    redis,
    redisPrefix,
    async close() {
      await observe.close().catch(() => undefined);
      await pg.end().catch(() => undefined);
      await stack.stop({ dropDatabase: true });
      await deleteRedisPrefix(redisPrefix, redis).catch(() => undefined);
      await fs.rm(spoolDirOf(redisPrefix), { recursive: true, force: true });
    },
  };
}

/**
 * Sets one top-level key of the integration's settings (`undefined` removes it: the default), then
 * gives the worker a moment to drop its copy of the integration on the change's notification.
 */
export async function setIntegrationSetting(t: TestStack, key: string, value: unknown): Promise<void> {
  await t.pg.query(
    value === undefined
      ? 'UPDATE integrations SET settings = settings - $2::text WHERE id = $1'
      : 'UPDATE integrations SET settings = jsonb_set(settings, ARRAY[$2::text], $3::jsonb) WHERE id = $1',
    value === undefined ? [t.stack.integrationId, key] : [t.stack.integrationId, key, JSON.stringify(value)],
  );
  await new Promise((r) => setTimeout(r, 300));
}

/** The spool folder startStack gives the ingress. */
export function spoolDirOf(redisPrefix: string): string {
  return path.join(REPO_ROOT, 'var', `spool-${redisPrefix}`);
}

/** The bot's posts on a ticket, as the simulator holds them. */
export function botPosts(stack: Stack, ticketId: number) {
  return stack.sim.posts(stack.account.slug, ticketId).filter((p) => p.user_id === stack.botUserId);
}

/** The ingress's base URL (without the webhook path). */
export function ingressBase(stack: Stack): string {
  return new URL(stack.webhookUrl).origin;
}
