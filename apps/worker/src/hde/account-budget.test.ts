import Redis from 'ioredis';
import { deleteRedisPrefix, testRedisUrl, uniquePrefix } from '@repo/testing';
import { AccountPausedError, accountKeyOf, createAccountBudgets } from './account-budget';

describe('accountKeyOf', () => {
  it('D10 integrations of one HDE account get the same budget key', () => {
    expect(accountKeyOf('https://Acme.helpdeskeddy.com/')).toBe(accountKeyOf('https://acme.helpdeskeddy.com'));
    expect(accountKeyOf('http://127.0.0.1:8090/a/north')).not.toBe(accountKeyOf('http://127.0.0.1:8090/a/south'));
  });
});

describe('account budget against real Redis (sliding log)', () => {
  const prefix = uniquePrefix('budget');
  let redis: Redis;

  beforeAll(() => {
    redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
  });

  afterAll(async () => {
    redis.disconnect();
    await deleteRedisPrefix(prefix);
  });

  const budgets = () => createAccountBudgets({ redis, prefix, remainingFloor: 0, banPauseMs: 60_000 });

  it('allows the whole limit in a minute, then refuses until the oldest request is a minute old', async () => {
    // Two processes' budgets share the account's log.
    const a = budgets().forAccount('acme.example', 30, 'i1');
    const b = budgets().forAccount('acme.example', 30, 'i1');
    const started = Date.now();
    for (let i = 0; i < 30; i += 1) await (i % 2 === 0 ? a : b).acquire();
    const refused = await a.acquire().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(AccountPausedError);
    const until = (refused as AccountPausedError).until;
    // Not before the first request leaves the 60-second log.
    expect(until).toBeGreaterThanOrEqual(started + 59_000);
    expect(until).toBeLessThanOrEqual(Date.now() + 61_000);
  });

  it('keeps accounts apart', async () => {
    const north = budgets().forAccount('north.example', 2);
    const south = budgets().forAccount('south.example', 2);
    await north.acquire();
    await north.acquire();
    await expect(north.acquire()).rejects.toBeInstanceOf(AccountPausedError);
    await expect(south.acquire()).resolves.toBeUndefined();
  });
});
