import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { createBanWatch, isHdeApiError } from '@repo/hde-client';
import { startHdeSim, type HdeSim } from '@repo/hde-sim';
import { createLogger } from '@repo/logger';
import { createStore, migrate, type Store } from '@repo/store';
import { createTestDatabase, deleteRedisPrefix, testRedisUrl, uniquePrefix, type TestDatabase } from '@repo/testing';
import { accountKeyOf, createAccountBudgets } from './account-budget';
import { createHdeClients } from './hde-clients';

// An admin replaces an integration's HDE API key while the worker holds a client built with the old
// one: the next job must use the new key without a restart, and the "key worked before" state of the
// ban watch starts afresh for the new key.
describe('HDE API key rotation in a running worker', () => {
  let sim: HdeSim;
  let database: TestDatabase;
  let store: Store;
  let redis: Redis;
  const prefix = uniquePrefix('key-rotation');

  beforeAll(async () => {
    sim = await startHdeSim();
    database = await createTestDatabase('keyrot');
    await migrate(database.url);
    store = createStore({ url: database.url, secretsKey: randomBytes(32) });
    redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 3 });
  }, 60_000);

  afterAll(async () => {
    await sim?.close();
    await store?.close();
    await database?.drop();
    await deleteRedisPrefix(prefix, testRedisUrl()).catch(() => undefined);
    redis?.disconnect();
  });

  it('uses the new key from the next call on, and the ban watch knows only the key that answered', async () => {
    const account = sim.createAccount({ slug: 'rot' });
    const bot = sim.createAgent(account.slug, { name: 'Bot', email: 'bot@rot.example', apiKey: 'old-key-0001' });
    const org = await store.organizations.createOrganization('Acme');
    const consultant = await store.organizations.createConsultant(org.id, 'Eddy');
    const skill = await store.organizations.createSkill({ organizationId: org.id, consultantId: consultant.id, name: 'Support' });
    const created = await store.integrations.create({
      organizationId: org.id,
      skillId: skill.id,
      hdeBaseUrl: account.baseUrl,
      adminEmail: bot.email,
      apiKey: 'old-key-0001',
      botUserId: bot.id,
    });
    expect(created.apiKeyVersion).toBe(1);
    const banWatch = createBanWatch({ redis, prefix });
    const budgets = createAccountBudgets({ redis, prefix, remainingFloor: 0, banPauseMs: 60_000 });
    const clients = createHdeClients({
      integrations: store.integrations,
      budgets,
      banWatch,
      logger: createLogger({ service: 'key-rotation-test', level: 'error' }),
      connectTimeoutMs: 2000,
      timeoutMs: 5000,
      allowPrivateNetwork: true,
    });
    try {
      const oldClient = await clients.forIntegration(created);
      expect((await oldClient.listStatuses()).length).toBeGreaterThan(0);
      expect(await banWatch.hasWorked(created.id, 'old-key-0001')).toBe(true);
      // The same integration row gives the cached client.
      expect(await clients.forIntegration(created)).toBe(oldClient);

      // HDE accepts only the new key from now on; the admin stores it.
      sim.setApiKey(account.slug, bot.email, 'new-key-0002');
      const rotated = (await store.integrations.update(created.id, { apiKey: 'new-key-0002' }))!;
      expect(rotated.apiKeyVersion).toBe(2);
      // A call under way with the replaced key is refused: retried (with the new key), the account not paused.
      const refused = await oldClient.listStatuses().catch((error: unknown) => error);
      expect(refused).toMatchObject({ code: 'hde_key_replaced', retryable: true });
      expect(isHdeApiError((refused as { cause?: unknown }).cause)).toBe(true);
      expect(await budgets.pausedUntil(accountKeyOf(account.baseUrl))).toBe(0);
      // A refusal of a key that worked before would be a suspected ban; the new key has not worked yet.
      expect(await banWatch.hasWorked(created.id, 'new-key-0002')).toBe(false);

      const newClient = await clients.forIntegration(rotated);
      expect(newClient).not.toBe(oldClient);
      expect((await newClient.listStatuses()).length).toBeGreaterThan(0);
      expect(await banWatch.hasWorked(created.id, 'new-key-0002')).toBe(true);
      const authorized = sim.apiLog(account.slug).filter((e) => e.status === 200);
      expect(authorized.length).toBeGreaterThanOrEqual(2);
    } finally {
      clients.close();
    }
  }, 60_000);
});
