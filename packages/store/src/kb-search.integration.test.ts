import { randomBytes } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@repo/testing';
import { createStore, type Store } from './create-store';
import { migrate } from './migrate';

describe('knowledge-base search quality against real PostgreSQL', () => {
  let database: TestDatabase;
  let store: Store;
  let skillId: string;

  beforeAll(async () => {
    database = await createTestDatabase('kbsearch');
    await migrate(database.url);
    store = createStore({ url: database.url, secretsKey: randomBytes(32) });
    const org = await store.organizations.createOrganization('Acme');
    const consultant = await store.organizations.createConsultant(org.id, 'Eddy');
    skillId = (await store.organizations.createSkill({ organizationId: org.id, consultantId: consultant.id, name: 'Support' })).id;
    const articles: [string, string, string][] = [
      ['delivery', 'Сроки доставки', 'Доставка заказа по Москве занимает 1–2 дня. Курьер привозит заказ до двери.'],
      ['installments', 'Рассрочка', 'Заказ можно оформить в рассрочку на 6 месяцев без переплаты через банк-партнёр.'],
      ['cancel', 'Отмена заказа', 'Заказ можно отменить в личном кабинете, пока он не передан в доставку. Статус заказа виден там же.'],
      ['tracking', 'Отслеживание заказа', 'Трек-номер заказа приходит в SMS. Статус заказа обновляется каждый час.'],
    ];
    for (const [externalId, title, body] of articles) await store.kb.upsertArticle({ skillId, externalId, title, body });
  });

  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  async function top(query: string): Promise<string | undefined> {
    return (await store.kb.search(skillId, query))[0]?.title;
  }

  it('corrects a typo to the nearest word of the knowledge base', async () => {
    expect(await top('доставкаа по москве')).toBe('Сроки доставки');
    expect(await top('рассрочко')).toBe('Рассрочка');
  });

  it('lets a rare word outweigh common ones', async () => {
    // «заказ» is in every article; «рассрочк» in one, so it decides despite two common words.
    const hits = await store.kb.search(skillId, 'заказ статус заказа рассрочка');
    expect(hits[0]?.title).toBe('Рассрочка');
  });

  it('expands the skill synonyms', async () => {
    expect(await top('беспроцентный кредит')).not.toBe('Рассрочка');
    await store.db.query(`UPDATE skills SET settings = jsonb_set(settings, '{synonyms}', $2::jsonb) WHERE id = $1`, [
      skillId,
      JSON.stringify([['рассрочка', 'кредит']]),
    ]);
    expect(await top('беспроцентный кредит')).toBe('Рассрочка');
    await store.db.query(`UPDATE skills SET settings = settings - 'synonyms' WHERE id = $1`, [skillId]);
  });

  it('ignores question wording the knowledge base never uses', async () => {
    // «сколько» appears once in this knowledge base, which made it the heaviest word of the question.
    await store.kb.upsertArticle({ skillId, externalId: 'faq', title: 'Вопросы', body: 'Сколько угодно вопросов задавайте в чате.' });
    const hits = await store.kb.search(skillId, 'Сколько стоит рассрочка, подскажите пожалуйста?');
    expect(hits[0]?.title).toBe('Рассрочка');
    expect(hits[0]?.score ?? 0).toBeGreaterThanOrEqual(0.35);
    await store.kb.deleteMissing(skillId, 'manual', ['delivery', 'installments', 'cancel', 'tracking']);
  });

  it('matches related forms of a word and one-letter typos of short words', async () => {
    await store.kb.upsertArticle({
      skillId,
      externalId: 'warranty',
      title: 'Гарантийный ремонт',
      body: 'Гарантийный срок — один год. Ремонт в сервисном центре.',
    });
    // «гарантия» → гарант, «гарантийный» → гарантийн: one begins the other.
    expect(await top('сколько действует гарантия')).toBe('Гарантийный ремонт');
    // «отминить» → отмин shares few trigrams with «отмен» but is one edit from it.
    expect(await top('как отминить заказ')).toBe('Отмена заказа');
    await store.kb.deleteMissing(skillId, 'manual', ['delivery', 'installments', 'cancel', 'tracking']);
  });

  it('understands English words of mixed queries', async () => {
    expect(await top('где мой order tracking')).toBe('Отслеживание заказа');
    expect(await top('how do I cancel my order')).toBe('Отмена заказа');
  });

  it('keeps scores in 0..1 and rejects what the knowledge base does not cover', async () => {
    for (const q of ['доставка заказа', 'рассрочка', 'погода на марсе в доставке']) {
      for (const hit of await store.kb.search(skillId, q)) {
        expect(hit.score).toBeGreaterThan(0);
        expect(hit.score).toBeLessThanOrEqual(1);
      }
    }
    expect(await store.kb.search(skillId, 'погода на марсе')).toEqual([]);
    expect((await store.kb.search(skillId, 'погода на марсе и заказ'))[0]?.score ?? 0).toBeLessThan(0.3);
  });

  it('keeps document frequencies in step with re-indexing and deletion', async () => {
    const df = async (lexeme: string) =>
      (await store.db.query<{ df: number }>('SELECT df FROM kb_lexemes WHERE skill_id = $1 AND lexeme = $2', [skillId, lexeme]))[0]?.df ??
      0;
    expect(await df('рассрочк')).toBe(1); // one passage (title and body), counted once
    await store.kb.upsertArticle({ skillId, externalId: 'installments', title: 'Кредит', body: 'Кредит через банк-партнёр.' });
    expect(await df('рассрочк')).toBe(0);
    await store.kb.deleteMissing(skillId, 'manual', ['delivery', 'cancel', 'tracking']);
    expect(await df('кредит')).toBe(0);
  });
});
