import Redis, { Cluster, type ClusterOptions, type RedisOptions } from 'ioredis';
import { parseRedisNodes, type RedisTarget } from '@repo/config';

/**
 * A connection to a deployment's Redis: one server, or a Redis Cluster (`REDIS_CLUSTER`). Both take
 * the same commands; a command on one key goes to the node that holds it.
 */
export type RedisConnection = Redis | Cluster;

/** Where to connect: a deployment's {@link RedisTarget}, or the URL of one server (tests, tools). */
export type RedisTargetLike = string | RedisTarget;

/**
 * After a failover behind one address (a managed Redis whose primary endpoint's DNS name moves to the
 * promoted replica), open connections stay with the old primary, now a replica that refuses every
 * write with READONLY, for as long as they live. Reconnecting resolves the name again and finds the
 * new primary; the refused command never ran, so it is sent again there (2). A server that is itself
 * still a replica only costs a reconnect per refused command, at the reconnect delay.
 */
const reconnectOnReadOnly = (error: Error): 2 | false => (error.message.startsWith('READONLY') ? 2 : false);

/** The reconnect delay of every connection: soon at first, then every 2 s. */
const retryDelay = (times: number) => Math.min(times * 200, 2000);

/**
 * Opens a connection to one server or to a Redis Cluster. For a cluster, `options` are those of each
 * node's connection (timeouts, retries per request, TLS, password), except the ones that belong to the
 * cluster client as a whole: reconnecting, the offline queue, auto-pipelining and a lazy connect.
 */
export function openRedis(target: RedisTargetLike, options: RedisOptions = {}): RedisConnection {
  const { url, cluster } = typeof target === 'string' ? { url: target, cluster: false } : target;
  if (!cluster) return new Redis(url, { reconnectOnError: reconnectOnReadOnly, ...options });
  const seeds = parseRedisNodes(url);
  const { retryStrategy, enableOfflineQueue, enableAutoPipelining, lazyConnect, ...nodeOptions } = options;
  const clusterOptions: ClusterOptions = {
    // The cluster client finds the layout again from any node it knows; it never gives up.
    clusterRetryStrategy: retryStrategy ?? retryDelay,
    ...(enableOfflineQueue !== undefined ? { enableOfflineQueue } : {}),
    ...(enableAutoPipelining !== undefined ? { enableAutoPipelining } : {}),
    ...(lazyConnect !== undefined ? { lazyConnect } : {}),
    // A TLS certificate names the node's host, not the address it resolves to: keep the name (what
    // ioredis advises for AWS ElastiCache with TLS).
    ...(seeds.tls ? { dnsLookup: (address: string, callback: (error: null, address: string) => void) => callback(null, address) } : {}),
    redisOptions: {
      ...nodeOptions,
      ...(seeds.username !== undefined ? { username: seeds.username } : {}),
      ...(seeds.password !== undefined ? { password: seeds.password } : {}),
      ...(seeds.tls ? { tls: {} } : {}),
    },
  };
  return new Cluster(seeds.nodes, clusterOptions);
}

/**
 * A connection for producers in a request path: commands fail fast when Redis is down, so the ingress
 * can spool instead of hanging the webhook.
 */
export function createProducerConnection(target: RedisTargetLike, options: RedisOptions = {}): RedisConnection {
  return openRedis(target, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 1500,
    commandTimeout: 1500,
    enableAutoPipelining: true,
    retryStrategy: retryDelay,
    ...options,
  });
}

/** A connection for workers and queue-side producers: waits for Redis rather than failing (BullMQ requires `maxRetriesPerRequest: null`). */
export function createWorkerConnection(target: RedisTargetLike, options: RedisOptions = {}): RedisConnection {
  return openRedis(target, {
    maxRetriesPerRequest: null,
    retryStrategy: retryDelay,
    ...options,
  });
}
