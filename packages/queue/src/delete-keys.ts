import Redis from 'ioredis';

/**
 * Deletes every key that matches a `SCAN` pattern, 500 at a time: what a finished demo, benchmark or
 * test run leaves in a shared Redis (its BullMQ queues, budgets and locks). For a deployment's keys
 * the pattern is `${bullPrefix(prefix)}:*`.
 */
export async function deleteKeysMatching(url: string, pattern: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
