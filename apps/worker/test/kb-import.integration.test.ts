import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHdeClient } from '@repo/hde-client';
import { createLogger } from '@repo/logger';
import { startHdeSim, type HdeSim } from '@repo/hde-sim';
import { createStore, importArticleFile, migrate, type Integration, type Store } from '@repo/store';
import { createTestDatabase, type TestDatabase } from '@repo/testing';
import { createSyncKbHandler } from '../src/processors/sync-kb.processor';
import { createWorkerKbSearch } from '../src/kb/kb-search';

const logger = createLogger({ service: 'test', silent: true });

describe('knowledge-base importers and HDE sync (real PostgreSQL, simulator over HTTP)', () => {
  let database: TestDatabase;
  let store: Store;
  let sim: HdeSim;
  let integration: Integration;
  let skillId: string;

  beforeAll(async () => {
    database = await createTestDatabase('kbimport');
    await migrate(database.url);
    store = createStore({ url: database.url, secretsKey: randomBytes(32) });
    sim = await startHdeSim({ port: 0 });
    const account = sim.createAccount({ slug: 'kb' });
    const org = await store.organizations.createOrganization('Acme');
    const consultant = await store.organizations.createConsultant(org.id, 'Eddy');
    skillId = (await store.organizations.createSkill({ organizationId: org.id, consultantId: consultant.id, name: 'Support' })).id;
    integration = await store.integrations.create({
      organizationId: org.id,
      skillId,
      hdeBaseUrl: account.baseUrl,
      adminEmail: account.adminEmail,
      apiKey: account.apiKey,
      settings: { kbSync: { enabled: true } },
    });
  });

  afterAll(async () => {
    await sim.close();
    await store.close();
    await database.drop();
  });

  it('imports JSON Lines and CSV, reporting bad records without stopping', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kb-'));
    const jsonl = path.join(dir, 'a.jsonl');
    writeFileSync(
      jsonl,
      [
        JSON.stringify({ id: 'ship', title: 'Доставка', body: 'Доставка по Москве занимает один день.', tags: ['доставка'] }),
        'not json',
        JSON.stringify({ id: 'pay', title: 'Оплата', body: '' }),
      ].join('\n'),
    );
    const report = await importArticleFile(store.kb, skillId, jsonl);
    expect(report).toMatchObject({ created: 1 });
    expect(report.failed.map((f) => f.file)).toEqual(['line 2', 'line 3']);

    const csv = path.join(dir, 'b.csv');
    writeFileSync(
      csv,
      'id,title,body,tags\nwarranty,Гарантия,"Гарантия на смартфоны — один год, на ноутбуки — два года.","гарантия;ремонт"\n',
    );
    expect(await importArticleFile(store.kb, skillId, csv)).toMatchObject({ created: 1, failed: [] });
    expect((await createWorkerKbSearch(store.kb, { revalidateMs: 0 }).search(skillId, 'гарантия на ноутбук'))[0]?.title).toBe('Гарантия');
  });

  it('syncs the HDE knowledge base: new, changed and deleted articles', async () => {
    const category = sim.addKbCategory('kb', { title: { ru: 'Помощь' } });
    const a = sim.addKbArticle('kb', {
      categoryId: category.id,
      title: { ru: 'Возврат денег' },
      body: { ru: '<p>Деньги возвращаются на карту за 5 дней.</p>' },
    });
    const b = sim.addKbArticle('kb', {
      categoryId: category.id,
      title: { ru: 'Самовывоз' },
      body: { ru: '<p>Пункты выдачи работают с 10 до 21.</p>' },
    });
    const credentials = (await store.integrations.credentials(integration.id))!;
    const hde = createHdeClient({
      baseUrl: integration.hdeBaseUrl,
      email: credentials.email,
      apiKey: credentials.apiKey,
      allowPrivateNetwork: true,
    });
    const handler = createSyncKbHandler({ ...store, hde: { forIntegration: async () => hde }, maxPages: 10 });
    const ctx = { logger, jobId: 'k', attemptsMade: 0, isLastAttempt: false };

    expect(await handler({ integrationId: integration.id }, ctx)).toMatchObject({ outcome: 'synced', created: 2, deleted: 0 });
    expect((await createWorkerKbSearch(store.kb, { revalidateMs: 0 }).search(skillId, 'когда вернут деньги на карту'))[0]?.title).toBe(
      'Возврат денег',
    );

    sim.updateKbArticle('kb', a.id, { body: { ru: '<p>Деньги возвращаются на карту за 3 рабочих дня.</p>' } });
    sim.deleteKbArticle('kb', b.id);
    expect(await handler({ integrationId: integration.id }, ctx)).toMatchObject({ outcome: 'synced', created: 0, updated: 1, deleted: 1 });
    expect(
      (await createWorkerKbSearch(store.kb, { revalidateMs: 0 }).search(skillId, 'пункты выдачи самовывоз')).some(
        (h) => h.title === 'Самовывоз',
      ),
    ).toBe(false);
    expect(await handler({ integrationId: integration.id }, ctx)).toMatchObject({ unchanged: 1, updated: 0 });
    hde.close();
  });
});
