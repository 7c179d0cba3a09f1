import { randomBytes } from 'node:crypto';
import { accountKeyOf, createHdeClient, type HdeClient } from '@repo/hde-client';
import { startHdeSim, type HdeSim } from '@repo/hde-sim';
import { createStore, migrate, type Store } from '@repo/store';
import { createTestDatabase, deleteRedisPrefix, testRedisUrl, uniquePrefix, type TestDatabase, seedIntegration } from '@repo/testing';
import Redis from 'ioredis';
// The worker's own limiter, as its HDE clients use it.
import { AccountPausedError, createAccountBudgets } from '../../worker/src/hde/account-budget';
import { createCliBudgets, type CliBudgets } from '../src/commands/hde-budget';
import { syncKbNow } from '../src/commands/sync-kb.command';

// `sync-kb` takes its HDE requests from the per-account budget the worker uses (same Redis, same
// account key): together they never exceed the account's limit, as the simulator's request log shows.
describe('CLI and worker share one HDE account budget', () => {
  const LIMIT = 8;
  const prefix = uniquePrefix('clibudget');
  let sim: HdeSim;
  let database: TestDatabase;
  let store: Store;
  let redis: Redis;
  let cli: CliBudgets;
  let workerHde: HdeClient;

  beforeAll(async () => {
    sim = await startHdeSim();
    database = await createTestDatabase('cli_budget');
    await migrate(database.url);
    store = createStore({ url: database.url, secretsKey: randomBytes(32) });
    redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
  }, 60_000);

  afterAll(async () => {
    workerHde?.close();
    await cli?.close();
    redis?.disconnect();
    await deleteRedisPrefix(prefix);
    await sim?.close();
    await store?.close();
    await database?.drop();
  });

  it('a worker and a CLI sync-kb on one account stay within its per-minute limit together', async () => {
    const account = sim.createAccount({ slug: 'shared' });
    const category = sim.addKbCategory(account.slug, { title: 'FAQ' });
    // 40 articles: the sync needs the categories and 4 article pages, 5 requests.
    for (let i = 1; i <= 40; i += 1)
      sim.addKbArticle(account.slug, { categoryId: category.id, title: `Статья ${i}`, body: `<p>Текст ${i}</p>` });
    const { integrationId } = await seedIntegration(
      store,
      {
        hdeBaseUrl: account.baseUrl,
        adminEmail: account.adminEmail,
        apiKey: account.apiKey,
        rateLimitPerMinute: LIMIT,
        settings: { kbSync: { enabled: true } },
      },
      { organization: 'Shared' },
    );

    // The worker's client of this integration, behind the worker's budget, spends 5 of the 8.
    const budgets = createAccountBudgets({ redis, prefix, remainingFloor: 0, banPauseMs: 60_000 });
    workerHde = createHdeClient({
      baseUrl: account.baseUrl,
      email: account.adminEmail,
      apiKey: account.apiKey,
      allowPrivateNetwork: true,
      budget: budgets.forAccount(accountKeyOf(account.baseUrl), LIMIT, integrationId),
    });
    for (let i = 0; i < 5; i += 1) await workerHde.listStatuses();

    // The CLI's sync needs 5 more: it gets 3, then the account's budget is spent for most of a minute.
    cli = createCliBudgets({ redis: testRedisUrl(), prefix, remainingFloor: 0, maxWaitMs: 500 });
    await expect(syncKbNow(store, integrationId, { budgets: cli, allowPrivateNetwork: true })).rejects.toMatchObject({
      name: 'BudgetWaitTooLongError',
    });
    // And the worker is refused too (its job would be delayed, no attempt spent).
    await expect(workerHde.listStatuses()).rejects.toBeInstanceOf(AccountPausedError);

    const log = sim.apiLog(account.slug);
    expect(log).toHaveLength(LIMIT);
    expect(log.filter((e) => e.path.startsWith('/knowledge_base'))).toHaveLength(3);
    expect(log.filter((e) => e.path.startsWith('/statuses'))).toHaveLength(5);
    expect(Math.max(...log.map((e) => e.at)) - Math.min(...log.map((e) => e.at))).toBeLessThan(60_000);
  });

  it('says the shared budget cannot be used when its Redis is unreachable, instead of calling HDE unmetered', async () => {
    const unreachable = createCliBudgets({ redis: 'redis://127.0.0.1:1', prefix, remainingFloor: 0, maxWaitMs: 500 });
    try {
      await expect(unreachable.forAccount('http://127.0.0.1:9/', 10).acquire()).rejects.toMatchObject({
        name: 'SharedBudgetUnavailableError',
        retryable: true,
      });
    } finally {
      await unreachable.close();
    }
  });

  it('the CLI waits out a short refusal and then finishes', async () => {
    const account = sim.createAccount({ slug: 'waits' });
    const category = sim.addKbCategory(account.slug, { title: 'FAQ' });
    sim.addKbArticle(account.slug, { categoryId: category.id, title: 'Доставка', body: '<p>Доставка 300 ₽</p>' });
    const { integrationId } = await seedIntegration(
      store,
      { hdeBaseUrl: account.baseUrl, adminEmail: account.adminEmail, apiKey: account.apiKey, settings: { kbSync: { enabled: true } } },
      { organization: 'Waits' },
    );
    // The worker paused the account for a moment (a low X-Rate-Limit-Remaining, a 429).
    const budgets = createAccountBudgets({ redis, prefix, remainingFloor: 0, banPauseMs: 60_000 });
    await budgets.pause(accountKeyOf(account.baseUrl), 700);
    const waiting = createCliBudgets({ redis: testRedisUrl(), prefix, remainingFloor: 0, maxWaitMs: 5_000 });
    try {
      const started = Date.now();
      const report = await syncKbNow(store, integrationId, { budgets: waiting, allowPrivateNetwork: true });
      expect(report).toMatchObject({ created: 1 });
      // No request reached HDE while the account was paused.
      const first = Math.min(...sim.apiLog(account.slug).map((e) => e.at));
      expect(first - started).toBeGreaterThanOrEqual(500);
    } finally {
      await waiting.close();
    }
  });
});
