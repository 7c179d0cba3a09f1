import { createConfigCache, type Integration } from '@repo/store';
import { parseIntegrationSettings } from '@repo/domain';
import { startFixture, type Fixture } from './fixture';
import { apiClient, type FormFields, type TestClient } from './http-client';

/**
 * The integration page's KB sync, ticket-read and request-limit settings over HTTP: the form and the
 * JSON API store them where the worker reads them, a change reaches a running worker's config cache,
 * out-of-range values are refused beside their field, and a member may change none of them.
 */
describe('integration settings: KB sync, reading the ticket before a reply, the HDE request limit', () => {
  let fx: Fixture;
  let admin: TestClient;
  let member: TestClient;
  let integration: Integration;
  let apiKey: string;
  let payment: number;
  let delivery: number;

  beforeAll(async () => {
    fx = await startFixture();
    admin = await fx.signedIn('boss@example.test', 'admin');
    member = await fx.signedIn('alice@example.test', 'member');
    integration = await fx.simIntegration('sync-budget', { timeZone: 'Asia/Yekaterinburg' });
    apiKey = fx.sim.accountInfo('sync-budget').apiKey;
    // Before the first page view: the page keeps what it read from HDE for ten minutes.
    payment = fx.sim.addKbCategory('sync-budget', { title: { ru: 'Оплата', en: 'Payment' } }).id;
    delivery = fx.sim.addKbCategory('sync-budget', { title: { ru: 'Доставка <быстро>', en: 'Delivery' } }).id;
  });
  afterAll(async () => {
    await fx?.close();
  });

  const page = () => `/integrations/${integration.id}`;
  const settingsPath = () => `/integrations/${integration.id}/settings`;
  /** The settings form as the page posts it, with the fields of this suite. */
  const form = (fields: Array<[string, string]>): FormFields => [['name', 'Shop'], ...fields];
  const stored = async () => {
    const i = (await fx.store.integrations.get(integration.id))!;
    return { rateLimitPerMinute: i.rateLimitPerMinute, ...parseIntegrationSettings(i.settings) };
  };

  it('shows the defaults: KB sync off, public articles, webhooks trusted ten minutes, 250 requests a minute', async () => {
    const res = await admin.get(page());
    expect(res.status).toBe(200);
    expect(res.text).toContain('Синхронизация базы знаний HDE');
    expect(res.text).toMatch(/<input type="checkbox" name="kbSyncEnabled" value="1"\s+data-testid="kb-sync-enabled"/);
    expect(res.text).toMatch(/name="kbSyncAccess"\s+value="public"\s+checked/);
    expect(res.text).toMatch(/name="kbSyncAccess"\s+value="staff"\s+data-testid/);
    expect(res.text).toMatch(/name="ticketRead" value="trust" checked/);
    expect(res.text).toMatch(/name="trustSeconds"[^>]*value="600"/);
    expect(res.text).toMatch(/name="rateLimitPerMinute"[^>]*value="250"/);
    expect(res.text).toContain('на один запрос к HDE больше на каждый ответ');
    expect(res.text).toContain('блокирует аккаунт');
  });

  it('stores the KB sync, "read before every reply" and the limit where the worker reads them, leaving the rest', async () => {
    const res = await admin.post(
      settingsPath(),
      form([
        ['kbSyncEnabled', '1'],
        ['kbSyncCategoryIds', '3, -1, 3'],
        ['kbSyncAccess', 'public'],
        ['kbSyncAccess', 'user'],
        ['ticketRead', 'always'],
        ['trustSeconds', '600'],
        ['rateLimitPerMinute', '120'],
      ]),
      page(),
    );
    expect(res.status).toBe(303);
    const after = await stored();
    expect(after.kbSync).toEqual({ enabled: true, categoryIds: [3, -1], access: ['public', 'user'] });
    expect(after.staleAfterMs).toBe(0);
    expect(after.rateLimitPerMinute).toBe(120);
    expect(after.timeZone).toBe('Asia/Yekaterinburg');
    // The page shows what was stored.
    const shown = (await admin.get(page())).text;
    expect(shown).toMatch(/name="kbSyncEnabled" value="1" checked/);
    expect(shown).toMatch(/name="kbSyncCategoryIds"\s+type="text"\s+value="3, -1"/);
    expect(shown).toMatch(/name="kbSyncAccess"\s+value="user"\s+checked/);
    expect(shown).toMatch(/name="ticketRead" value="always" checked/);
    expect(shown).toMatch(/name="rateLimitPerMinute"[^>]*value="120"/);
  });

  it('trusts webhooks for the seconds given, switches the sync off, and keeps what a form without the section did not post', async () => {
    const res = await admin.post(
      settingsPath(),
      form([
        ['kbSyncCategoryIds', ''],
        ['kbSyncAccess', 'staff'],
        ['ticketRead', 'trust'],
        ['trustSeconds', '90'],
        ['rateLimitPerMinute', '300'],
      ]),
      page(),
    );
    expect(res.status).toBe(303);
    let after = await stored();
    expect(after.kbSync).toEqual({ enabled: false, categoryIds: [], access: ['staff'] });
    expect(after.staleAfterMs).toBe(90_000);
    expect(after.rateLimitPerMinute).toBe(300);
    // An older client posting only the other fields changes none of these.
    expect((await admin.post(settingsPath(), form([]), page())).status).toBe(303);
    after = await stored();
    expect(after.kbSync).toEqual({ enabled: false, categoryIds: [], access: ['staff'] });
    expect(after.staleAfterMs).toBe(90_000);
    expect(after.rateLimitPerMinute).toBe(300);
  });

  it('refuses out-of-range values beside their field, says what is wrong, and stores nothing', async () => {
    const before = await stored();
    const cases: Array<{ fields: Array<[string, string]>; field: string; words: string }> = [
      { fields: [['rateLimitPerMinute', '301']], field: 'rateLimitPerMinute', words: 'от 1 до 300' },
      { fields: [['rateLimitPerMinute', '0']], field: 'rateLimitPerMinute', words: 'от 1 до 300' },
      { fields: [['rateLimitPerMinute', 'many']], field: 'rateLimitPerMinute', words: 'от 1 до 300' },
      {
        fields: [
          ['ticketRead', 'trust'],
          ['trustSeconds', ''],
        ],
        field: 'staleAfterMs',
        words: 'от 1 до 86400',
      },
      {
        fields: [
          ['ticketRead', 'trust'],
          ['trustSeconds', '100000'],
        ],
        field: 'staleAfterMs',
        words: 'от 1 до 86400',
      },
      {
        fields: [
          ['kbSyncCategoryIds', '3, abc'],
          ['kbSyncAccess', 'public'],
        ],
        field: 'kbSyncCategoryIds',
        words: 'кроме 0',
      },
      {
        fields: [
          ['kbSyncCategoryIds', '0'],
          ['kbSyncAccess', 'public'],
        ],
        field: 'kbSyncCategoryIds',
        words: 'кроме 0',
      },
      { fields: [['kbSyncCategoryIds', '']], field: 'kbSyncAccess', words: 'хотя бы один' },
      {
        fields: [
          ['kbSyncCategoryIds', ''],
          ['kbSyncAccess', 'secret'],
        ],
        field: 'kbSyncAccess',
        words: 'public, user или staff',
      },
    ];
    for (const c of cases) {
      const res = await admin.post(settingsPath(), form([['kbSyncEnabled', '1'], ...c.fields]), page());
      expect({ field: c.field, status: res.status }).toEqual({ field: c.field, status: 400 });
      const error = new RegExp(`data-testid="field-error-${c.field}">([^<]*)<`).exec(res.text)?.[1];
      expect(error).toContain(c.words);
      expect(res.text).toContain('Параметры не сохранены: исправьте отмеченные поля.');
      expect(res.text).not.toContain(apiKey);
    }
    expect(await stored()).toEqual(before);
  });

  it("keeps a limit above HDE's that the CLI set (an on-premises HDE) when the form saves other settings, and refuses a new one", async () => {
    await fx.store.integrations.update(integration.id, { rateLimitPerMinute: 600 });
    try {
      // The page lets the stored value stand in its field (a browser refuses a value over `max`).
      expect((await admin.get(page())).text).toMatch(/name="rateLimitPerMinute"[^>]*max="600"[^>]*value="600"/);
      const saved = await admin.post(
        settingsPath(),
        form([
          ['kbSyncAccess', 'public'],
          ['ticketRead', 'trust'],
          ['trustSeconds', '120'],
          ['rateLimitPerMinute', '600'],
        ]),
        page(),
      );
      expect(saved.status).toBe(303);
      expect(await stored()).toMatchObject({ rateLimitPerMinute: 600, staleAfterMs: 120_000 });
      // A new value above HDE's limit is the CLI's to set, with its warning: the form refuses it.
      const refused = await admin.post(settingsPath(), form([['rateLimitPerMinute', '700']]), page());
      expect(refused.status).toBe(400);
      expect(refused.text).toContain('от 1 до 300');
      expect((await stored()).rateLimitPerMinute).toBe(600);
      const boss = (await fx.admin.accounts.listUsers(fx.orgId)).find((u) => u.email === 'boss@example.test')!;
      const api = apiClient(fx.url, (await fx.admin.accounts.issueApiToken({ userId: boss.id, name: 'onprem', createdBy: boss.id })).token);
      expect((await api('PATCH', `/integrations/${integration.id}`, { rateLimitPerMinute: 600, staleAfterMs: 60_000 })).status).toBe(200);
      expect((await api('PATCH', `/integrations/${integration.id}`, { rateLimitPerMinute: 301 })).body).toMatchObject({
        error: 'rate_limit_out_of_range',
        field: 'rateLimitPerMinute',
      });
    } finally {
      await fx.store.integrations.update(integration.id, { rateLimitPerMinute: 300 });
    }
  });

  it('names the field in English too', async () => {
    const english = await fx.signedIn('en-boss@example.test', 'admin');
    await english.get('/locale?l=en&back=/dialogs');
    const res = await english.post(settingsPath(), form([['rateLimitPerMinute', '1000']]), page());
    expect(res.status).toBe(400);
    expect(res.text).toContain('HDE bans an account that exceeds 300 requests per minute');
  });

  it('refuses a member, and a post without the CSRF token', async () => {
    const before = await stored();
    expect((await member.post(settingsPath(), form([['rateLimitPerMinute', '5']]), '/dialogs')).status).toBe(403);
    expect((await member.get(page())).status).toBe(403);
    const forged = await admin.request('POST', settingsPath(), { form: { name: 'Shop', rateLimitPerMinute: '5', _csrf: 'forged' } });
    expect(forged.status).toBe(403);
    expect(await stored()).toEqual(before);
  });

  it('sets and reads them over the JSON API, naming a refused field and its problem', async () => {
    const boss = (await fx.admin.accounts.listUsers(fx.orgId)).find((u) => u.email === 'boss@example.test')!;
    const alice = (await fx.admin.accounts.listUsers(fx.orgId)).find((u) => u.email === 'alice@example.test')!;
    const api = apiClient(fx.url, (await fx.admin.accounts.issueApiToken({ userId: boss.id, name: 'ci', createdBy: boss.id })).token);
    const memberApi = apiClient(fx.url, (await fx.admin.accounts.issueApiToken({ userId: alice.id, name: 'a', createdBy: boss.id })).token);
    const patched = await api('PATCH', `/integrations/${integration.id}`, {
      kbSyncEnabled: true,
      kbSyncCategoryIds: [7],
      kbSyncAccess: ['public'],
      staleAfterMs: 0,
      rateLimitPerMinute: 200,
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      kbSyncEnabled: true,
      kbSyncCategoryIds: [7],
      kbSyncAccess: ['public'],
      staleAfterMs: 0,
      rateLimitPerMinute: 200,
    });
    expect((await api('GET', `/integrations/${integration.id}`)).body).toMatchObject({ rateLimitPerMinute: 200, staleAfterMs: 0 });
    const refused = await api('PATCH', `/integrations/${integration.id}`, { rateLimitPerMinute: 500 });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: 'rate_limit_out_of_range', field: 'rateLimitPerMinute', retryable: false });
    expect(refused.body.message).toContain('300');
    const stale = await api('PATCH', `/integrations/${integration.id}`, { staleAfterMs: -1 });
    expect(stale.body).toMatchObject({ error: 'stale_after_out_of_range', field: 'staleAfterMs' });
    expect((await memberApi('PATCH', `/integrations/${integration.id}`, { rateLimitPerMinute: 5 })).status).toBe(403);
    expect((await stored()).rateLimitPerMinute).toBe(200);
  });

  it('reaches a running worker: its config cache drops the integration when the form changes it', async () => {
    const cache = createConfigCache(
      { db: fx.store.db, integrations: fx.store.integrations, organizations: fx.store.organizations },
      { maxAgeMs: 600_000 },
    );
    try {
      await cache.start();
      expect(cache.isListening()).toBe(true);
      const cached = (await cache.integration(integration.id))!;
      const res = await admin.post(
        settingsPath(),
        form([
          ['kbSyncEnabled', '1'],
          ['kbSyncCategoryIds', '5'],
          ['kbSyncAccess', 'public'],
          ['ticketRead', 'trust'],
          ['trustSeconds', '30'],
          ['rateLimitPerMinute', String(cached.rateLimitPerMinute - 1)],
        ]),
        page(),
      );
      expect(res.status).toBe(303);
      const deadline = Date.now() + 10_000;
      let seen = (await cache.integration(integration.id))!;
      while (seen.rateLimitPerMinute === cached.rateLimitPerMinute && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        seen = (await cache.integration(integration.id))!;
      }
      expect(seen.rateLimitPerMinute).toBe(cached.rateLimitPerMinute - 1);
      expect(parseIntegrationSettings(seen.settings)).toMatchObject({ staleAfterMs: 30_000, kbSync: { enabled: true, categoryIds: [5] } });
    } finally {
      await cache.close();
    }
  });

  it("lists the account's KB categories by name beside the category field, marking the ones it names", async () => {
    const saved = await admin.post(
      settingsPath(),
      form([
        ['kbSyncCategoryIds', `${payment}, -1`],
        ['kbSyncAccess', 'public'],
      ]),
      page(),
    );
    expect(saved.status).toBe(303);
    const shown = (await admin.get(page())).text;
    const list = /<ul data-testid="kb-categories">([\s\S]*?)<\/ul>/.exec(shown)?.[1] ?? '';
    const item = (id: number) => new RegExp(`<li data-category-id="${id}">([\\s\\S]*?)</li>`).exec(list)?.[1]?.replace(/\s+/g, ' ').trim();
    expect(item(payment)).toBe(`<code>${payment}</code> — Оплата <b>(выбрана)</b>`);
    // Names are HDE's text: escaped.
    expect(item(delivery)).toBe(`<code>${delivery}</code> — Доставка &lt;быстро&gt;`);
    // HDE's built-in categories are listed with their negative ids, so a named one reads as chosen too.
    expect(item(-1)).toBe('<code>-1</code> — Шаблоны <b>(выбрана)</b>');
  });

  it('reads the KB categories again soon after a passing failure, and keeps a lasting refusal ten minutes', async () => {
    const listed = (html: string) => html.includes('data-testid="kb-categories"');
    const pageOf = (i: Integration) => `/integrations/${i.id}`;
    const passing = await fx.simIntegration('kb-categories-passing');
    const lasting = await fx.simIntegration('kb-categories-lasting');
    for (const slug of ['kb-categories-passing', 'kb-categories-lasting']) fx.sim.addKbCategory(slug, { title: { ru: 'Оплата' } });
    fx.sim.injectFault('kb-categories-passing', { method: 'GET', path: '/knowledge_base/categories/', kind: 'status', status: 503 });
    fx.sim.injectFault('kb-categories-lasting', { method: 'GET', path: '/knowledge_base/categories/', kind: 'status', status: 404 });
    expect(listed((await admin.get(pageOf(passing))).text)).toBe(false);
    expect(listed((await admin.get(pageOf(lasting))).text)).toBe(false);
    fx.sim.clearFaults('kb-categories-passing');
    fx.sim.clearFaults('kb-categories-lasting');
    // Within the short memory of a failure: not asked again on every page view.
    expect(listed((await admin.get(pageOf(passing))).text)).toBe(false);
    const realNow = Date.now.bind(Date);
    const later = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + 31_000);
    try {
      expect(listed((await admin.get(pageOf(passing))).text)).toBe(true);
      // A 404 (an account without the knowledge base) is kept with the rest of the directory.
      expect(listed((await admin.get(pageOf(lasting))).text)).toBe(false);
    } finally {
      later.mockRestore();
    }
  });

  it('says when another integration of the same HDE account holds the account to a smaller limit', async () => {
    const account = fx.sim.accountInfo('sync-budget');
    await fx.store.integrations.create({
      organizationId: fx.orgId,
      skillId: integration.skillId,
      name: 'Second shop',
      hdeBaseUrl: `${account.baseUrl}/`,
      adminEmail: account.adminEmail,
      apiKey: account.apiKey,
      rateLimitPerMinute: 60,
    });
    const res = await admin.get(page());
    expect(/data-testid="account-limit">([^<]*)</.exec(res.text)?.[1]).toMatch(/действует 60 запросов в минуту[\s\S]*всего 2/);
  });
});
