import { createHdeClient } from '@repo/hde-client';
import type { AppDeps } from '../src/deps';
import { checkHdeCredentials } from '../src/services/integration-setup.service';

// A tenant types the HDE address: without HDE_ALLOW_PRIVATE_NETWORK it must not reach internal services.
describe('HDE address in the setup flow', () => {
  const deps = { hdeClient: (o: Parameters<typeof createHdeClient>[0]) => createHdeClient(o) } as unknown as AppDeps;

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
