import { setupIntegration, SetupError, type SetupInput } from '../src/commands/setup.command';

// `setup --rate-limit` is checked before anything is read or stored: 0 would reach the database as an
// opaque constraint error. Above HDE's account limit is let through (the command warns of it): an
// on-premises HDE or a negotiated limit may allow it; above a sanity bound (which the admin app's
// form keeps as well) it is not.
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

  it.each([0, 1.5, -5, 60_001])('refuses %s, saying what it must be', async (rateLimitPerMinute) => {
    const error = await setupIntegration(store, { ...input, rateLimitPerMinute }, budgets).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SetupError);
    expect((error as Error).message).toBe('--rate-limit must be a whole number of requests per minute, from 1 to 60000');
  });

  it.each([1, 300, 60_000])('lets %s through to the HDE account check', async (rateLimitPerMinute) => {
    const error = await setupIntegration(store, { ...input, rateLimitPerMinute }, budgets).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(SetupError);
    expect((error as Error).message).toBe('the budget was used');
  });
});
