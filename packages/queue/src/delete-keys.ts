import { Cluster, type Redis } from 'ioredis';
import { openRedis, type RedisTargetLike } from './connections';

/**
 * Deletes every key that matches a `SCAN` pattern, 500 at a time: what a finished demo, benchmark or
 * test run leaves in a shared Redis (its BullMQ queues, budgets and locks). For a deployment's keys
 * the pattern is `${bullPrefix(prefix)}:*`. On a Redis Cluster every master is scanned: SCAN reads
 * the keys of the node it is sent to only.
 */
export async function deleteKeysMatching(target: RedisTargetLike, pattern: string): Promise<void> {
  const redis = openRedis(target, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    const nodes = redis instanceof Cluster ? redis.nodes('master') : [redis];
    for (const node of nodes) await deleteOnNode(node, pattern);
  } finally {
    redis.disconnect();
  }
}

async function deleteOnNode(node: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    cursor = next;
    if (keys.length === 0) continue;
    // One DEL per key, in one round trip: a cluster node's keys lie in many slots, and a DEL of keys
    // of different slots is refused (CROSSSLOT).
    const batch = node.pipeline();
    for (const key of keys) batch.del(key);
    const failed = (await batch.exec())?.find(([error]) => error !== null);
    if (failed?.[0]) throw failed[0];
  } while (cursor !== '0');
}
