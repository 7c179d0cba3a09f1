import { accountKeyOf, createHdeClient, createSharedAccountBudgets } from '@repo/hde-client';
import type { Integration } from '@repo/store';
import type { AppDeps } from '../src/deps';
import { hdeDirectory } from '../src/services/hde-directory.service';
import { createAdminBudgets } from '../src/services/hde-admin-budget';
import { startFixture, type Fixture } from './fixture';
import Redis from 'ioredis';
import { testRedisUrl } from '@repo/testing';

// The admin app's reads of HDE come out of the same per-account budget as the worker's calls.
describe('admin HDE reads and the account budget', () => {
  let fx: Fixture;
  let redis: Redis;
  let integration: Integration;
  const LIMIT = 4;

  beforeAll(async () => {
    fx = await startFixture();
    redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
    const account = fx.sim.createAccount({ slug: 'admin-budget' });
    fx.sim.createDepartment('admin-budget', { name: { ru: 'Поддержка', en: 'Support' } });
    const consultant = await fx.store.organizations.createConsultant(fx.orgId, 'Eddy');
    const skillId = (await fx.store.organizations.createSkill({ organizationId: fx.orgId, consultantId: consultant.id, name: 'Support' }))
      .id;
    integration = await fx.store.integrations.create({
      organizationId: fx.orgId,
      skillId,
      hdeBaseUrl: account.baseUrl,
      adminEmail: account.adminEmail,
      apiKey: account.apiKey,
      rateLimitPerMinute: LIMIT,
    });
  }, 60_000);

  afterAll(async () => {
    redis.disconnect();
    await fx?.close();
  });

  it('reads nothing from HDE once the worker has spent the account’s limit, and says the list is unavailable', async () => {
    // The worker's limiter, as the worker builds it (same Redis prefix, same account key).
    const worker = createSharedAccountBudgets({
      redis,
      prefix: fx.prefix,
      remainingFloor: 0,
      banPauseMs: 60_000,
      refuse: (until) => Object.assign(new Error('refused'), { until }),
    }).forAccount(accountKeyOf(integration.hdeBaseUrl), LIMIT, integration.id);
    for (let i = 0; i < LIMIT; i += 1) await worker.acquire();

    const deps = {
      store: fx.store,
      logger: { warn: () => undefined, info: () => undefined, error: () => undefined },
      hdeClient: (o: Parameters<AppDeps['hdeClient']>[0]) =>
        createHdeClient({ ...o, getRetries: 0, timeoutMs: 5000, allowPrivateNetwork: true }),
      hdeBudgets: createAdminBudgets({ redis, prefix: fx.prefix, remainingFloor: 0 }),
    } as unknown as AppDeps;
    const directory = await hdeDirectory(deps, integration);
    expect(directory.available).toBe(false);
    expect(fx.sim.apiLog('admin-budget')).toHaveLength(0);
  });

  it('counts the admin’s reads against the limit the worker then has left', async () => {
    const account = fx.sim.createAccount({ slug: 'admin-first' });
    fx.sim.createDepartment('admin-first', { name: { ru: 'Продажи', en: 'Sales' } });
    const other = await fx.store.integrations.create({
      organizationId: fx.orgId,
      skillId: integration.skillId,
      hdeBaseUrl: account.baseUrl,
      adminEmail: account.adminEmail,
      apiKey: account.apiKey,
      rateLimitPerMinute: LIMIT,
    });
    const deps = {
      store: fx.store,
      logger: { warn: () => undefined, info: () => undefined, error: () => undefined },
      hdeClient: (o: Parameters<AppDeps['hdeClient']>[0]) =>
        createHdeClient({ ...o, getRetries: 0, timeoutMs: 5000, allowPrivateNetwork: true }),
      hdeBudgets: createAdminBudgets({ redis, prefix: fx.prefix, remainingFloor: 0 }),
    } as unknown as AppDeps;
    expect((await hdeDirectory(deps, other)).available).toBe(true);
    const spent = fx.sim.apiLog('admin-first').length;
    expect(spent).toBeGreaterThan(0);
    const worker = createSharedAccountBudgets({
      redis,
      prefix: fx.prefix,
      remainingFloor: 0,
      banPauseMs: 60_000,
      refuse: (until) => Object.assign(new Error('refused'), { until }),
    }).forAccount(accountKeyOf(other.hdeBaseUrl), LIMIT, other.id);
    for (let i = spent; i < LIMIT; i += 1) await worker.acquire();
    await expect(worker.acquire()).rejects.toHaveProperty('until');
  });
});
