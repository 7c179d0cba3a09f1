import Redis from 'ioredis';
import { deleteRedisPrefix, testRedisUrl, uniquePrefix } from '@repo/testing';
import { AccountPausedError, createAccountBudgets } from './account-budget';

// Two integrations of one HDE account with different limits share one limiter at the smaller limit
// (they used to write one counter with different windows and starve each other).
describe('account budgets with several integrations of one account', () => {
  let redis: Redis;
  const prefix = uniquePrefix('budget-min');

  beforeAll(() => {
    redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 3 });
  });
  afterAll(async () => {
    await deleteRedisPrefix(prefix, testRedisUrl()).catch(() => undefined);
    redis.disconnect();
  });

  async function burst(budgets: Array<{ acquire(): Promise<void> }>, n: number): Promise<number[]> {
    const granted = budgets.map(() => 0);
    for (let i = 0; i < n; i += 1) {
      const k = i % budgets.length;
      try {
        await budgets[k]!.acquire();
        granted[k] = (granted[k] ?? 0) + 1;
      } catch (error) {
        if (!(error instanceof AccountPausedError)) throw error;
      }
    }
    return granted;
  }

  it('D10 two integrations of one account share one limiter at the smallest limit, whichever is asked first', async () => {
    const budgets = createAccountBudgets({ redis, prefix, remainingFloor: 0, banPauseMs: 60_000 });
    const fast = budgets.forAccount('acme.helpdeskeddy.com', 250, 'integration-a');
    const slow = budgets.forAccount('acme.helpdeskeddy.com', 60, 'integration-b');
    // The slower integration registers its limit; from then on both obey it.
    await slow.acquire();
    const granted = await burst([fast, slow], 80);
    // A minute's worth of the 60/min limit, the first grant included.
    expect(granted[0]! + granted[1]! + 1).toBe(60);
    expect(granted[0]).toBeGreaterThan(0);
  });

  it('pauses once for 429s without Retry-After of requests in flight together, and twice as long for the next one after the pause', async () => {
    const budgets = createAccountBudgets({ redis, prefix, remainingFloor: 0, banPauseMs: 600_000 });
    const account = 'busy.helpdeskeddy.com';
    expect(await budgets.pauseUntimed429(account)).toBe(60_000);
    // Three more requests that were in flight come back 429 while the account is paused already.
    for (let i = 0; i < 3; i += 1) expect(await budgets.pauseUntimed429(account)).toBeLessThanOrEqual(60_000);
    // The pause ends (its key gone, as after its time) and HDE answers 429 again.
    await redis.del(`{${prefix}}:hde-pause:${account}`, `{${prefix}}:hde-429-until:${account}`);
    expect(await budgets.pauseUntimed429(account)).toBe(120_000);
  });

  it('keeps another account apart', async () => {
    const budgets = createAccountBudgets({ redis, prefix, remainingFloor: 0, banPauseMs: 60_000 });
    await budgets.forAccount('slow.helpdeskeddy.com', 30, 'integration-c').acquire();
    const other = budgets.forAccount('other.helpdeskeddy.com', 250, 'integration-d');
    expect((await burst([other], 300))[0]).toBe(250);
  });
});
