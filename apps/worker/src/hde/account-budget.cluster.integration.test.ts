import { Cluster } from 'ioredis';
import { createBanWatch } from '@repo/hde-client';
import { createWorkerConnection, type RedisConnection } from '@repo/queue';
import { startRedisCluster, uniquePrefix, type LocalRedisCluster } from '@repo/testing';
import { AccountPausedError, createAccountBudgets } from './account-budget';

// The per-account HDE budget and the ban watch on a real Redis Cluster of three masters: each Lua
// script's keys carry the deployment's `{prefix}` hash tag, so they hash to one slot (keys of two
// slots in one script are refused with CROSSSLOT).
describe('account budget and ban watch on a Redis Cluster', () => {
  let local: LocalRedisCluster;
  let redis: RedisConnection;
  const prefix = uniquePrefix('cluster-budget');

  beforeAll(async () => {
    local = await startRedisCluster();
    redis = createWorkerConnection(local.target);
  }, 90_000);

  afterAll(async () => {
    redis?.disconnect();
    await local?.stop();
  });

  it('refuses a script whose keys lie in two slots (what a key built outside the hash tag would meet)', async () => {
    await expect(redis.eval("return redis.call('MGET', KEYS[1], KEYS[2])", 2, `{${prefix}}:a`, `${prefix}:b`)).rejects.toThrow(/CROSSSLOT/);
  });

  it('keeps to the limit across the sliding log, the slot schedule and the untimed-429 pause', async () => {
    const budgets = createAccountBudgets({ redis, prefix, remainingFloor: 0, banPauseMs: 600_000 });
    const account = 'acme.helpdeskeddy.com';
    const budget = budgets.forAccount(account, 5, 'integration-a');
    for (let i = 0; i < 5; i += 1) await budget.acquire();
    const refused = await budget.acquire().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(AccountPausedError);
    expect((refused as AccountPausedError).until).toBeGreaterThan(Date.now());
    // Two keys in one script (the 429 streak and its pause's end).
    expect(await budgets.pauseUntimed429(account)).toBe(60_000);
    expect(await budgets.pauseUntimed429(account)).toBeLessThanOrEqual(60_000);
    expect(await budgets.pausedUntil(account)).toBeGreaterThan(Date.now());
  });

  it('lets one process probe a suspected ban at a time and keeps the suspicion', async () => {
    const watch = createBanWatch({ redis, prefix });
    const account = 'banned.helpdeskeddy.com';
    await watch.suspect(account, 'integration-b');
    expect(await watch.takeProbe(account, 10_000)).toBe(true);
    expect(await watch.takeProbe(account, 10_000)).toBe(false);
    await watch.recordVerdict(account, { answers: false, at: Date.now() });
    expect(await watch.verdictSince(account, 0)).toBe(false);
    expect((await watch.suspected(account))?.integrationId).toBe('integration-b');
  });

  it('keeps every key of the deployment on the one master of its slot', async () => {
    if (!(redis instanceof Cluster)) throw new Error('REDIS_CLUSTER must give a cluster client');
    const holders: number[] = [];
    for (const node of redis.nodes('master')) {
      const [, keys] = await node.scan('0', 'MATCH', `*${prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) holders.push(Number(node.options.port));
    }
    expect(holders).toEqual([await local.masterPortOf(`{${prefix}}`)]);
  });
});
