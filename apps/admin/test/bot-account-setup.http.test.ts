import { startFixture, type Fixture } from './fixture';
import { type TestClient } from './http-client';

/**
 * The HDE setup asks for the bot's own agent account and the account's time zone: it warns loudly
 * when the key is an administrator's or a person's who answers tickets, checks the zone against HDE's
 * own dates, and the settings page edits the time zone and the automation user ids.
 */
describe('setup: bot account and time zone', () => {
  let fx: Fixture;
  let admin: TestClient;
  let skillId: string;

  beforeAll(async () => {
    fx = await startFixture();
    admin = await fx.signedIn('boss@example.test', 'admin');
    const consultant = await admin.post('/settings/consultants', { name: 'Support bot' });
    const skill = await admin.post(`${consultant.location!}/skills`, { name: 'FAQ', language: 'ru' });
    skillId = skill.location!.split('/').pop()!;
  });
  afterAll(async () => {
    await fx?.close();
  });

  const warnings = (text: string) => [...text.matchAll(/data-testid="setup-warning"><b>⚠ ([^<]+)</g)].map((m) => m[1]!);

  it('explains why a dedicated bot account is needed on the form', async () => {
    const form = await admin.get(`/settings/skills/${skillId}/integrations/new`);
    expect(form.text).toContain('data-testid="bot-account-why"');
    expect(form.text).toContain('name="timeZone"');
  });

  it('warns when the key belongs to the administrator', async () => {
    const account = fx.sim.createAccount({ slug: 'adminkey' });
    const res = await admin.post(`/settings/skills/${skillId}/integrations`, {
      domain: account.baseUrl,
      email: account.adminEmail,
      apiKey: account.apiKey,
      timeZone: 'Europe/Moscow',
    });
    expect(res.status).toBe(200);
    expect(warnings(res.text).join(' ')).toContain('администратор');
  });

  it('warns when the account answers tickets, and not for a dedicated agent', async () => {
    const account = fx.sim.createAccount({ slug: 'personkey' });
    const person = fx.sim.createAgent(account.slug, { name: 'Мария', email: 'maria@personkey.example' });
    const bot = fx.sim.createAgent(account.slug, { name: 'Бот', email: 'bot@personkey.example' });
    const customer = fx.sim.createCustomer(account.slug, { name: 'Анна', email: 'anna@mail.example' });
    const ticket = fx.sim.openTicket(account.slug, { customerId: customer.id, title: 'Q', text: 'Вопрос' });
    fx.sim.assign(account.slug, ticket.id, person.id);

    const risky = await admin.post(`/settings/skills/${skillId}/integrations`, {
      domain: account.baseUrl,
      email: person.email,
      apiKey: person.api_key,
    });
    expect(warnings(risky.text).join(' ')).toContain('назначены открытые заявки');
    const clean = await admin.post(`/settings/skills/${skillId}/integrations`, {
      domain: account.baseUrl,
      email: bot.email,
      apiKey: bot.api_key,
    });
    expect(clean.status).toBe(200);
    expect(warnings(clean.text)).toEqual([]);
    const integrations = await fx.store.integrations.list(fx.orgId);
    const created = integrations.find((i) => i.botUserId === bot.id)!;
    expect(created.settings).toMatchObject({ timeZone: 'Europe/Moscow' });
  });

  it("stores the chosen zone and says when HDE's dates contradict it", async () => {
    const account = fx.sim.createAccount({ slug: 'ekb', timezoneOffsetMinutes: 300 });
    const bot = fx.sim.createAgent(account.slug, { name: 'Бот', email: 'bot@ekb.example' });
    const customer = fx.sim.createCustomer(account.slug, { name: 'Анна', email: 'anna@ekb.example' });
    fx.sim.openTicket(account.slug, { customerId: customer.id, title: 'Q', text: 'Вопрос' });

    const wrong = await admin.post(`/settings/skills/${skillId}/integrations`, {
      domain: account.baseUrl,
      email: bot.email,
      apiKey: bot.api_key,
      timeZone: 'Europe/Moscow',
    });
    expect(warnings(wrong.text).join(' ')).toContain('UTC+5');
    const right = await admin.post(`/settings/skills/${skillId}/integrations`, {
      domain: account.baseUrl,
      email: bot.email,
      apiKey: bot.api_key,
      timeZone: 'Asia/Yekaterinburg',
    });
    expect(warnings(right.text).join(' ')).not.toContain('UTC+');
    const bad = await admin.post(`/settings/skills/${skillId}/integrations`, {
      domain: account.baseUrl,
      email: bot.email,
      apiKey: bot.api_key,
      timeZone: 'Mars/Olympus',
    });
    expect(bad.status).toBe(400);
  });

  it('edits the time zone and the automation user ids in the integration settings', async () => {
    const integration = (await fx.store.integrations.list(fx.orgId))[0]!;
    const page = await admin.get(`/integrations/${integration.id}`);
    expect(page.text).toContain('data-testid="time-zone"');
    const saved = await admin.post(
      `/integrations/${integration.id}/settings`,
      { name: 'HDE', replyMode: 'note', timeZone: 'Asia/Yekaterinburg', automationUserIds: '17, 42', enabled: '1' },
      `/integrations/${integration.id}`,
    );
    expect(saved.status).toBe(303);
    expect((await fx.store.integrations.get(integration.id))!.settings).toMatchObject({
      timeZone: 'Asia/Yekaterinburg',
      automationUserIds: [17, 42],
    });
    const refused = await admin.post(
      `/integrations/${integration.id}/settings`,
      { name: 'HDE', replyMode: 'note', timeZone: 'Nowhere/City' },
      `/integrations/${integration.id}`,
    );
    expect(refused.status).toBe(400);
  });
});
