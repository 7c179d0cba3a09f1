import { createHdeClient } from '@repo/hde-client';
import type { AppDeps } from '../src/deps';
import { checkHdeCredentials } from '../src/services/integration-setup.service';
import { createAdminBudgets } from '../src/services/hde-admin-budget';
import Redis from 'ioredis';
import { testRedisUrl } from '@repo/testing';

// A tenant types the HDE address: without HDE_ALLOW_PRIVATE_NETWORK it must not reach internal services.
describe('HDE address in the setup flow', () => {
  // Never used: the address is refused before any request is budgeted or made.
  const redis = new Redis(testRedisUrl(), { lazyConnect: true });
  const deps = {
    hdeClient: (o: Parameters<typeof createHdeClient>[0]) => createHdeClient(o),
    hdeBudgets: createAdminBudgets({ redis, prefix: 'setup-url', remainingFloor: 0 }),
  } as unknown as AppDeps;
  afterAll(() => redis.disconnect());

  it.each(['http://acme.helpdeskeddy.com', 'https://127.0.0.1:6379', 'https://169.254.169.254'])(
    'refuses %s with a message saying why',
    async (domain) => {
      await expect(checkHdeCredentials(deps, { domain, email: 'admin@acme.test', apiKey: 'key' })).rejects.toMatchObject({
        status: 400,
        messageKey: 'setup.badUrl',
      });
    },
  );
});
