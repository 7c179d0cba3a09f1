import type { z } from 'zod';

/** One Redis server: a single node, or a seed a cluster client first asks for the cluster's layout. */
export type RedisNode = { host: string; port: number };

/** What `REDIS_URL` names: its nodes and what every node shares (TLS, user, password, database). */
export type RedisNodes = {
  nodes: RedisNode[];
  /** `rediss://`: TLS to every node. */
  tls: boolean;
  username?: string;
  password?: string;
  /** The database number of the URL's path (0 when none). */
  db: number;
};

/** Where a deployment's Redis is: what a connection factory needs (`REDIS_URL` and `REDIS_CLUSTER`). */
export type RedisTarget = {
  /** One URL; with `cluster`, one or more seed nodes, comma-separated. */
  url: string;
  /** Connect as a Redis Cluster client. */
  cluster: boolean;
};

/** An unreadable `REDIS_URL`. The message says what is wrong, never the value (it may hold a password). */
export class RedisUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RedisUrlError';
  }
}

const SHAPE = 'redis://[:password@]host:6379, or several cluster nodes: redis://[:password@]host1:6379,host2:6379';

function portOf(url: URL): number {
  const port = url.port === '' ? 6379 : Number(url.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new RedisUrlError('has a port outside 1..65535');
  return port;
}

function hostOf(url: URL): string {
  if (url.hostname === '') throw new RedisUrlError(`names no host (expected ${SHAPE})`);
  // An IPv6 address keeps its brackets in a URL but not in a socket address.
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

function dbOf(url: URL): number {
  const path = url.pathname.replace(/^\//, '');
  if (path === '') return 0;
  if (!/^\d+$/.test(path)) throw new RedisUrlError('has a path that is not a database number');
  return Number(path);
}

function parseFirst(entry: string): URL {
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    throw new RedisUrlError(`is not a URL; expected ${SHAPE}`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new RedisUrlError(`must start with redis:// or rediss:// (expected ${SHAPE})`);
  }
  return url;
}

/**
 * A further node of the list: `host:port` (it shares the first URL's scheme, user and password), or a
 * whole URL that says the same scheme, user and password as the first one.
 */
function parseMore(entry: string, first: URL): URL {
  const whole = /^[a-z][a-z0-9+.-]*:\/\//i.test(entry);
  let url: URL;
  try {
    url = new URL(whole ? entry : `${first.protocol}//${entry}`);
  } catch {
    throw new RedisUrlError(`has a node after a comma that is neither host:port nor a URL (expected ${SHAPE})`);
  }
  if (!whole && (url.username !== '' || url.password !== '' || url.pathname !== '' || url.search !== '')) {
    throw new RedisUrlError('has a node after a comma with more than host:port; the first URL gives the user and password of every node');
  }
  if (whole && (url.protocol !== first.protocol || url.username !== first.username || url.password !== first.password)) {
    throw new RedisUrlError('lists nodes with different schemes, users or passwords; every node of one cluster takes the same');
  }
  return url;
}

/**
 * Reads `REDIS_URL`: one URL, or several nodes after commas (`host:port`, or whole URLs with the first
 * one's scheme, user and password). Throws {@link RedisUrlError}.
 */
export function parseRedisNodes(value: string): RedisNodes {
  const entries = value.split(',').map((e) => e.trim());
  if (entries.some((e) => e === '')) throw new RedisUrlError(`has an empty node between commas (expected ${SHAPE})`);
  const first = parseFirst(entries[0] ?? '');
  const urls = [first, ...entries.slice(1).map((e) => parseMore(e, first))];
  const nodes = urls.map((u) => ({ host: hostOf(u), port: portOf(u) }));
  return {
    nodes,
    tls: first.protocol === 'rediss:',
    ...(first.username !== '' ? { username: decodeURIComponent(first.username) } : {}),
    ...(first.password !== '' ? { password: decodeURIComponent(first.password) } : {}),
    db: dbOf(first),
  };
}

/** A problem with `REDIS_URL` on its own (whatever `REDIS_CLUSTER` says), or undefined. */
export function redisUrlProblem(value: string): string | undefined {
  try {
    parseRedisNodes(value);
    return undefined;
  } catch (error) {
    if (error instanceof RedisUrlError) return error.message;
    throw error;
  }
}

/**
 * The cross-field check of `REDIS_URL` and `REDIS_CLUSTER`, for the `superRefine` of an app's schema
 * (extending a zod object drops its refinements): a list of nodes is a cluster's, and a cluster has
 * only database 0.
 */
export function checkRedisEnv(c: { REDIS_URL: string; REDIS_CLUSTER: boolean }, ctx: z.RefinementCtx): void {
  let parsed: RedisNodes;
  try {
    parsed = parseRedisNodes(c.REDIS_URL);
  } catch {
    return; // REDIS_URL's own check has said what is wrong
  }
  if (!c.REDIS_CLUSTER && parsed.nodes.length > 1) {
    ctx.addIssue({
      code: 'custom',
      path: ['REDIS_URL'],
      message: 'lists several nodes, which only a Redis Cluster has: set REDIS_CLUSTER=true, or give one URL',
    });
  }
  if (c.REDIS_CLUSTER && parsed.db !== 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['REDIS_URL'],
      message: 'names a database other than 0, which a Redis Cluster does not have (REDIS_CLUSTER=true): leave the /number out',
    });
  }
}

/** The {@link RedisTarget} of a parsed configuration. */
export function redisTarget(c: { REDIS_URL: string; REDIS_CLUSTER: boolean }): RedisTarget {
  return { url: c.REDIS_URL, cluster: c.REDIS_CLUSTER };
}
