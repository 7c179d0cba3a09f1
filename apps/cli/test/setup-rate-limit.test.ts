import { setupIntegration, SetupError, type SetupInput } from '../src/commands/setup.command';

// `setup --rate-limit` is checked before anything is read or stored: 0 would reach the database as an
// opaque constraint error, and a limit above HDE's account limit gets the account banned.
describe('setup --rate-limit', () => {
  const input: SetupInput = {
    organization: 'Acme',
    consultant: 'Eddy',
    skill: 'Support',
    hdeUrl: 'https://acme.helpdeskeddy.com',
    email: 'bot@acme.example',
    apiKey: 'key',
    replyMode: 'public',
    publicBaseUrl: 'https://bot.example.com',
  };
  // Neither may be touched: the check comes first.
  const used = (what: string) => () => {
    throw new Error(`${what} was used`);
  };
  const store = new Proxy({}, { get: used('the store') }) as never;
  const budgets = { forAccount: used('the budget') } as never;

  it.each([0, 301, 1.5, -5])('refuses %s, naming the bound', async (rateLimitPerMinute) => {
    const error = await setupIntegration(store, { ...input, rateLimitPerMinute }, budgets).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SetupError);
    expect((error as Error).message).toContain('--rate-limit must be a whole number from 1 to 300');
  });
});
