import Redis, { type RedisOptions } from 'ioredis';

/**
 * A connection for producers in a request path: commands fail fast when Redis is down, so the ingress
 * can spool instead of hanging the webhook.
 */
export function createProducerConnection(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 1500,
    commandTimeout: 1500,
    enableAutoPipelining: true,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    ...options,
  });
}

/** A connection for workers and queue-side producers: waits for Redis rather than failing (BullMQ requires `maxRetriesPerRequest: null`). */
export function createWorkerConnection(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: null,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    ...options,
  });
}
