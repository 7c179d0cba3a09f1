import { randomBytes } from 'node:crypto';
import { createTestDatabase, seedDialog, seedIntegration, type TestDatabase } from '@repo/testing';
import { createStore, type Store } from './create-store';
import { migrate } from './migrate';

// What the knowledge-base search learns from a skill's conversations: question traffic from the
// customers' text, and which article answers which question from the agents' replies.
describe("a skill's recent conversations, as search reads them", () => {
  let database: TestDatabase;
  let store: Store;
  let skillId: string;

  const fields = { hdeBaseUrl: 'https://acme.helpdeskeddy.com', adminEmail: 'bot@acme.test', apiKey: 'k' };

  beforeAll(async () => {
    database = await createTestDatabase('recentq');
    await migrate(database.url);
    store = createStore({ url: database.url, secretsKey: randomBytes(32) });
    const { skillId: skill, integrationId } = await seedIntegration(store, fields);
    skillId = skill;
    const { integrationId: other } = await seedIntegration(store, fields, { organization: 'Other' });
    // The worker records an agent's reply as HDE's HTML with empty text.
    await seedDialog(
      store.db,
      integrationId,
      1,
      [
        ['customer', 'где мой заказ'],
        ['bot', 'Не нашёл ответа, передаю оператору.'],
        ['customer', 'ну так где'],
        ['agent', '', '<p>Вот <a href="https://shop.test/track">ссылка</a></p>'],
        ['customer', 'спасибо, а вернуть можно?'],
        ['agent', 'second reply'],
      ],
      30,
    );
    await seedDialog(
      store.db,
      integrationId,
      2,
      [
        ['customer', 'one'],
        ['customer', 'two'],
        ['customer', 'three'],
        ['customer', 'four'],
        ['agent', 'plain text reply'],
      ],
      10,
    );
    await seedDialog(store.db, integrationId, 3, [['customer', 'x'.repeat(1500)]], 20);
    await seedDialog(store.db, integrationId, 4, [['bot', 'only the bot spoke']], 5);
    await seedDialog(store.db, integrationId, 5, [['agent', 'an agent wrote first, nobody asked']], 25);
    // Webhooks arrive out of order: the customer's thanks, posted after the agent's reply, was stored first.
    await seedDialog(
      store.db,
      integrationId,
      6,
      [
        ['customer', 'где чек', null, 50],
        ['customer', 'спасибо, нашёл', null, 40],
        ['agent', 'Чек в личном кабинете', null, 45],
      ],
      40,
    );
    // A post of the bot's own account the ledger did not know is stored as an agent's: it teaches
    // nothing, nor does a reply of an unknown author; the first reply of a real agent counts.
    await store.db.query('UPDATE integrations SET bot_user_id = 555 WHERE id = $1', [integrationId]);
    await seedDialog(
      store.db,
      integrationId,
      7,
      [
        ['customer', 'как сменить тариф'],
        ['agent', 'Ответ бота о тарифах', null, null, 555],
        ['customer', 'не то'],
        ['agent', 'Кто-то без автора', null, null, null],
        ['customer', 'мне нужен другой тариф'],
        ['agent', 'Сменить тариф можно в профиле'],
      ],
      45,
    );
    await seedDialog(
      store.db,
      other,
      1,
      [
        ['customer', 'another company'],
        ['agent', 'their reply'],
      ],
      1,
    );
  });

  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  it("reads the customers' first three messages per conversation, newest conversation first, of this skill only", async () => {
    const texts = await store.kb.recentQuestions(skillId, 10);
    expect(texts).toEqual([
      'one two three',
      'x'.repeat(1000),
      'где мой заказ ну так где спасибо, а вернуть можно?',
      'где чек спасибо, нашёл',
      'как сменить тариф не то мне нужен другой тариф',
    ]);
  });

  it('reads at most `limit` conversations', async () => {
    expect(await store.kb.recentQuestions(skillId, 1)).toEqual(['one two three']);
  });

  it("pairs the customer's last three messages before the agent's first reply with that reply, newest first, this skill only", async () => {
    expect(await store.kb.answeredConversations(skillId, 10)).toEqual([
      { question: 'two three four', reply: 'plain text reply' },
      { question: 'где мой заказ ну так где', reply: '<p>Вот <a href="https://shop.test/track">ссылка</a></p>' },
      { question: 'где чек', reply: 'Чек в личном кабинете' },
      { question: 'как сменить тариф не то мне нужен другой тариф', reply: 'Сменить тариф можно в профиле' },
    ]);
    expect(await store.kb.answeredConversations(skillId, 1)).toEqual([{ question: 'two three four', reply: 'plain text reply' }]);
  });
});
