import { randomBytes } from 'node:crypto';
import { createHdeClient } from '@repo/hde-client';
import { startHdeSim, type HdeSim } from '@repo/hde-sim';
import { createLogger } from '@repo/logger';
import { createStore, migrate, type Store } from '@repo/store';
import { createTestDatabase, seedIntegration, type TestDatabase } from '@repo/testing';
import { createSyncKbHandler } from './sync-kb.processor';

// Whatever the sync imports may be quoted to a customer: only public articles (unless the
// integration opts into more), never drafts, and an article that loses public access goes.
describe('kb-sync and HDE article access', () => {
  let sim: HdeSim;
  let database: TestDatabase;
  let store: Store;
  const logger = createLogger({ service: 'test', level: 'error' });
  const ctx = { logger, jobId: 'j', attemptsMade: 0, isLastAttempt: false };

  beforeAll(async () => {
    sim = await startHdeSim();
    database = await createTestDatabase('kbsync');
    await migrate(database.url);
    store = createStore({ url: database.url, secretsKey: randomBytes(32) });
  }, 60_000);

  afterAll(async () => {
    await sim?.close();
    await store?.close();
    await database?.drop();
  });

  async function setUp(slug: string, access?: string[]) {
    const account = sim.createAccount({ slug });
    const { skillId, integrationId } = await seedIntegration(
      store,
      {
        hdeBaseUrl: account.baseUrl,
        adminEmail: account.adminEmail,
        apiKey: account.apiKey,
        settings: { kbSync: { enabled: true, ...(access ? { access } : {}) } },
      },
      { organization: slug },
    );
    const hde = createHdeClient({ baseUrl: account.baseUrl, email: account.adminEmail, apiKey: account.apiKey, allowPrivateNetwork: true });
    const handler = createSyncKbHandler({ ...store, hde: { forIntegration: async () => hde }, maxPages: 10 });
    const titles = async () => (await store.kb.list(skillId)).map((a) => a.title).sort();
    return { account, integrationId, handler, titles, close: () => hde.close() };
  }

  it('imports public articles only, and removes one that loses public access', async () => {
    const t = await setUp('kbpublic');
    const faq = sim.addKbCategory(t.account.slug, { title: 'FAQ' });
    const internal = sim.addKbCategory(t.account.slug, { title: 'Для сотрудников', access: 'staff' });
    const delivery = sim.addKbArticle(t.account.slug, { categoryId: faq.id, title: 'Доставка', body: '<p>Доставка 300 ₽</p>' });
    sim.addKbArticle(t.account.slug, { categoryId: faq.id, title: 'Скидки сотрудникам', body: '<p>30%</p>', access: 'staff' });
    sim.addKbArticle(t.account.slug, { categoryId: faq.id, title: 'Для клиентов с входом', body: '<p>Бонусы</p>', access: 'user' });
    sim.addKbArticle(t.account.slug, { categoryId: faq.id, title: 'Черновик', body: '<p>Ещё не готово</p>', showMeOnly: true });
    sim.addKbArticle(t.account.slug, { categoryId: internal.id, title: 'Регламент', body: '<p>Внутреннее</p>' });

    const first = await t.handler({ integrationId: t.integrationId }, ctx);
    expect(first).toMatchObject({ outcome: 'synced', created: 1, restricted: 4 });
    expect(await t.titles()).toEqual(['Доставка']);

    sim.updateKbArticle(t.account.slug, delivery.id, { access: 'staff' });
    const second = await t.handler({ integrationId: t.integrationId }, ctx);
    expect(second).toMatchObject({ outcome: 'synced', deleted: 1 });
    expect(await t.titles()).toEqual([]);
    t.close();
  });

  it("leaves out HDE's built-in categories (the agents' reply templates, the news) unless the integration names one", async () => {
    const t = await setUp('kbsystem');
    const faq = sim.addKbCategory(t.account.slug, { title: 'FAQ' });
    sim.addKbArticle(t.account.slug, { categoryId: faq.id, title: 'Доставка', body: '<p>Доставка 300 ₽</p>' });
    // «Шаблоны» (-1) is public in HDE's own sample; a template quoted to a customer reads as a draft.
    sim.addKbArticle(t.account.slug, { categoryId: -1, title: 'Ответ о доставке', body: '<p>Здравствуйте, {имя}! Ваш заказ…</p>' });
    expect(await t.handler({ integrationId: t.integrationId }, ctx)).toMatchObject({ created: 1, restricted: 1 });
    expect(await t.titles()).toEqual(['Доставка']);
    // Named by the integration itself, it is imported.
    await store.integrations.update(t.integrationId, { settings: { kbSync: { enabled: true, categoryIds: [-1] } } });
    await t.handler({ integrationId: t.integrationId }, ctx);
    expect(await t.titles()).toEqual(['Ответ о доставке']);
    t.close();
  });

  it('imports more access levels when the integration opts in, drafts still never', async () => {
    const t = await setUp('kboptin', ['public', 'user']);
    const faq = sim.addKbCategory(t.account.slug, { title: 'FAQ' });
    sim.addKbArticle(t.account.slug, { categoryId: faq.id, title: 'Доставка', body: '<p>Доставка 300 ₽</p>' });
    sim.addKbArticle(t.account.slug, { categoryId: faq.id, title: 'Бонусы', body: '<p>Бонусы</p>', access: 'user' });
    sim.addKbArticle(t.account.slug, { categoryId: faq.id, title: 'Скидки сотрудникам', body: '<p>30%</p>', access: 'staff' });
    sim.addKbArticle(t.account.slug, { categoryId: faq.id, title: 'Черновик', body: '<p>x</p>', access: 'user', showMeOnly: true });
    await t.handler({ integrationId: t.integrationId }, ctx);
    expect(await t.titles()).toEqual(['Бонусы', 'Доставка']);
    // Replies cite an article's address: only the public one has it, not the one behind a sign-in.
    const urls = Object.fromEntries(
      (await store.kb.list((await store.integrations.get(t.integrationId))!.skillId)).map((a) => [a.title, a.url]),
    );
    expect(urls['Доставка']).toMatch(/\/knowledge_base\/article\/\d+$/);
    expect(urls['Бонусы']).toBeNull();
    t.close();
  });
});
