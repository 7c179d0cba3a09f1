import { randomBytes } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@repo/testing';
import { createStore, migrate, type Store } from '@repo/store';
import { createWorkerKbSearch } from '../src/kb/kb-search';

describe("near-tie between two articles (the worker's knowledge-base search)", () => {
  let database: TestDatabase;
  let store: Store;
  let skillId: string;

  beforeAll(async () => {
    database = await createTestDatabase('kbtie');
    await migrate(database.url);
    store = createStore({ url: database.url, secretsKey: randomBytes(32) });
    const org = await store.organizations.createOrganization('Acme');
    const consultant = await store.organizations.createConsultant(org.id, 'Eddy');
    skillId = (await store.organizations.createSkill({ organizationId: org.id, consultantId: consultant.id, name: 'Support' })).id;
    await store.kb.upsertArticle({
      skillId,
      externalId: 'a',
      title: 'Возврат товара',
      body: 'Вернуть товар можно в течение 14 дней после покупки.',
    });
    await store.kb.upsertArticle({
      skillId,
      externalId: 'b',
      title: 'Возврат товара с браком',
      body: 'Вернуть товар с браком можно в течение 14 дней после покупки.',
    });
    await store.kb.upsertArticle({ skillId, externalId: 'c', title: 'Доставка', body: 'Курьер привозит заказ за один день.' });
  });

  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  it('lowers the score of nearly equal articles and keeps what each scored alone', async () => {
    const hits = await createWorkerKbSearch(store.kb).search(skillId, 'как вернуть товар');
    expect(
      hits
        .slice(0, 2)
        .map((h) => h.title)
        .sort(),
    ).toEqual(['Возврат товара', 'Возврат товара с браком']);
    expect(hits[0]!.unscaledScore).toBeGreaterThan(hits[0]!.score);
    expect(hits[1]!.unscaledScore).toBeDefined();
  });

  it('leaves a clear winner as it is', async () => {
    const hits = await createWorkerKbSearch(store.kb).search(skillId, 'курьер доставка заказа');
    expect(hits[0]!.title).toBe('Доставка');
    expect(hits[0]!.unscaledScore).toBeUndefined();
  });
});
