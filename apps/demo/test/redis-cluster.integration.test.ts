import { Cluster } from 'ioredis';
import { bullPrefix, openRedis } from '@repo/queue';
import { startRedisCluster, waitFor, type LocalRedisCluster } from '@repo/testing';
import { botPosts, startTestStack, type TestStack } from './helpers';

// The whole product against a Redis Cluster of three local masters with a replica each
// (REDIS_CLUSTER=true, REDIS_URL a list of seed nodes): the CLI's setup (its HDE calls take from the
// shared budget), the ingress and the worker answer a webhook exactly once, again after the master of
// the deployment's slot is killed and its replica took over, and the stack's keys are deleted on
// every master.
describe('Redis Cluster', () => {
  let local: LocalRedisCluster;
  let t: TestStack | undefined;
  let admin: Cluster;

  beforeAll(async () => {
    local = await startRedisCluster({ replicas: 1, nodeTimeoutMs: 1000 });
    const connection = openRedis(local.target);
    if (!(connection instanceof Cluster)) throw new Error('REDIS_CLUSTER must give a cluster client');
    admin = connection;
    t = await startTestStack({ label: 'cluster', redisUrl: local.url, redisCluster: true });
  }, 180_000);

  afterAll(async () => {
    await t?.close();
    admin?.disconnect();
    await local?.stop();
  }, 60_000);

  /** The deployment's keys on each master, by port. */
  async function keysByMaster(prefix: string): Promise<Map<number, string[]>> {
    const found = new Map<number, string[]>();
    for (const node of admin.nodes('master')) {
      const keys: string[] = [];
      let cursor = '0';
      do {
        const [next, batch] = await node.scan(cursor, 'MATCH', `*${prefix}*`, 'COUNT', 500);
        keys.push(...batch);
        cursor = next;
      } while (cursor !== '0');
      if (keys.length > 0) found.set(Number(node.options.port), keys);
    }
    return found;
  }

  /** Opens a ticket and waits until the bot has answered it and nothing is in flight. */
  async function expectAnsweredOnce(customer: number, title: string, text: string): Promise<void> {
    const { stack, observe } = t!;
    const ticket = stack.sim.openTicket(stack.account.slug, { customerId: stack.people.customers[customer]!.id, title, text });
    await waitFor(async () => (await observe.sentReplies(ticket.id)) >= 1, { what: 'the bot to answer', timeoutMs: 60_000 });
    await observe.waitSettled(stack.sim, ticket.id, 60_000);
    expect(botPosts(stack, ticket.id)).toHaveLength(1);
    expect(await observe.sentReplies(ticket.id)).toBe(1);
  }

  it('answers a webhook exactly once, with the queues and the HDE budget on the master of the prefix', async () => {
    const { redisPrefix } = t!;
    await expectAnsweredOnce(0, 'Доставка', 'Сколько стоит доставка по Москве и за сколько дней привезёте?');

    const byMaster = await keysByMaster(redisPrefix);
    // One master holds them all: the prefix's hash tag puts every key in one slot.
    expect([...byMaster.keys()]).toEqual([await local.masterPortOf(bullPrefix(redisPrefix))]);
    const keys = [...byMaster.values()].flat();
    expect(keys.every((k) => k.startsWith(`${bullPrefix(redisPrefix)}:`))).toBe(true);
    // The worker's HDE calls went through the budget's sliding log (a Lua script), and the jobs through BullMQ.
    expect(keys.some((k) => k.includes(':hde-log:'))).toBe(true);
    expect(keys.some((k) => k.includes(':ticket-classify:'))).toBe(true);
  }, 120_000);

  it('answers exactly once after the master of the prefix is killed and its replica takes over', async () => {
    const slot = bullPrefix(t!.redisPrefix);
    const before = await local.masterPortOf(slot);
    await local.killNode(before);
    await local.awaitTakeover(slot, before, 60_000);
    await expectAnsweredOnce(1, 'Возврат', 'Как вернуть товар, если он не подошёл по размеру?');
  }, 180_000);

  it('leaves no key of the stack on any master once it is closed', async () => {
    const { redisPrefix } = t!;
    const closing = t!;
    t = undefined;
    await closing.close();
    expect(await keysByMaster(redisPrefix)).toEqual(new Map());
  }, 60_000);
});
