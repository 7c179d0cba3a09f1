import { Cluster } from 'ioredis';
import { startRedisCluster, uniquePrefix, waitFor, type LocalRedisCluster } from '@repo/testing';
import { createLogger } from '@repo/logger';
import { createProducerConnection, createWorkerConnection, openRedis, type RedisConnection } from './connections';
import { createProducer } from './producer';
import { createWorker } from './create-worker';
import { deleteKeysMatching } from './delete-keys';
import { bullPrefix } from './queue-catalog';

/** Every key of a pattern on every master: what is left, wherever its slot lies. */
async function keysOnMasters(cluster: Cluster, pattern: string): Promise<string[]> {
  const found: string[] = [];
  for (const node of cluster.nodes('master')) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      found.push(...keys);
      cursor = next;
    } while (cursor !== '0');
  }
  return found;
}

// The connection factories on a real Redis Cluster of three local masters: BullMQ's scripts on a
// hash-tagged prefix, and the key deletion of tests and tools, which must visit every master.
describe('Redis Cluster connections', () => {
  let local: LocalRedisCluster;
  let admin: Cluster;
  const opened: RedisConnection[] = [];

  beforeAll(async () => {
    local = await startRedisCluster();
    const connection = openRedis(local.target);
    if (!(connection instanceof Cluster)) throw new Error('REDIS_CLUSTER must give a cluster client');
    admin = connection;
    await waitFor(async () => (await admin.ping()) === 'PONG', { what: 'the cluster client', timeoutMs: 20_000 });
  }, 90_000);

  afterAll(async () => {
    for (const c of opened) c.disconnect();
    admin?.disconnect();
    await local?.stop();
  });

  it('runs a job exactly once through a producer and a worker on the cluster', async () => {
    const prefix = uniquePrefix('cluster-q');
    // The seed list as REDIS_URL gives it (host:port after the first URL) and as whole URLs.
    const producerConnection = createProducerConnection({ url: local.url, cluster: true });
    const workerConnection = createWorkerConnection(local.target);
    opened.push(producerConnection, workerConnection);
    expect(producerConnection).toBeInstanceOf(Cluster);
    const producer = createProducer('sweep', { connection: producerConnection, prefix });
    const seen: string[] = [];
    const worker = createWorker(
      'sweep',
      async (data) => {
        seen.push(data.integrationId);
        return {};
      },
      { connection: workerConnection, prefix, concurrency: 2, logger: createLogger({ service: 'test', silent: true }) },
    );
    try {
      const integrationId = '00000000-0000-4000-8000-000000000001';
      // The same job id twice: the second add is a no-op, on a cluster as on one server.
      await producer.add({ integrationId }, { jobId: 'w-once' });
      await producer.add({ integrationId }, { jobId: 'w-once' });
      await waitFor(() => seen.length > 0, { what: 'the worker to run the job', timeoutMs: 20_000 });
      await waitFor(async () => (await producer.queue.getJobCounts('completed'))['completed'] === 1, { what: 'the job to complete' });
      expect(seen).toEqual([integrationId]);
      // Every BullMQ key of the deployment sits on the one master of the prefix's slot.
      const keys = await keysOnMasters(admin, `${bullPrefix(prefix)}:*`);
      expect(keys.length).toBeGreaterThan(0);
      const owner = await local.masterPortOf(bullPrefix(prefix));
      for (const key of keys) expect(await local.masterPortOf(key)).toBe(owner);
    } finally {
      await worker.close();
      await producer.close();
      await deleteKeysMatching(local.target, `${bullPrefix(prefix)}:*`);
    }
  }, 60_000);

  it('deletes matching keys on every master, whatever slots they lie in', async () => {
    const prefix = uniquePrefix('cluster-del');
    // Keys of many hash tags spread over the masters (the pattern tests use, `*prefix*`, matches them all).
    const keys = Array.from({ length: 30 }, (_, i) => `{${prefix}-${i}}:k`);
    for (const key of keys) await admin.set(key, '1');
    const owners = new Set(await Promise.all(keys.map((k) => local.masterPortOf(k))));
    expect(owners.size).toBe(3);
    await deleteKeysMatching(local.target, `*${prefix}*`);
    expect(await keysOnMasters(admin, `*${prefix}*`)).toEqual([]);
  }, 60_000);
});
