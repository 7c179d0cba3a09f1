import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';

/** The Redis tests use; `TEST_REDIS_URL` overrides it. */
export function testRedisUrl(): string {
  return process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
}

/** A key prefix unique to one test run, so runs never see each other's queues. */
export function uniquePrefix(label = 't'): string {
  return `${label}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** Deletes every key under a prefix (BullMQ keys included). */
export async function deleteRedisPrefix(prefix: string, url = testRedisUrl()): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `*${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
