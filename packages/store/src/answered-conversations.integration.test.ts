import { randomBytes } from 'node:crypto';
import { createTestDatabase, seedIntegration, type TestDatabase } from '@repo/testing';
import { createStore, type Store } from './create-store';
import { migrate } from './migrate';

describe("a skill's answered conversations (what search learns which article answers which question from)", () => {
  let database: TestDatabase;
  let store: Store;
  let skillId: string;
  let integrationId: string;
  let otherIntegration: string;

  const fields = { hdeBaseUrl: 'https://acme.helpdeskeddy.com', adminEmail: 'bot@acme.test', apiKey: 'k' };

  /** A dialog with messages `[author, text, html?]` in order, last active `minutesAgo`. */
  async function dialog(
    integration: string,
    ticketId: number,
    minutesAgo: number,
    messages: Array<[string, string, string?]>,
  ): Promise<void> {
    const rows = await store.db.query<{ id: string }>(
      `INSERT INTO dialogs (integration_id, ticket_id, updated_at) VALUES ($1, $2, now() - make_interval(mins => $3)) RETURNING id`,
      [integration, ticketId, minutesAgo],
    );
    for (const [author, text, html] of messages) {
      await store.db.query('INSERT INTO messages (dialog_id, author_kind, text, html) VALUES ($1, $2, $3, $4)', [
        rows[0]!.id,
        author,
        text,
        html ?? null,
      ]);
    }
  }

  beforeAll(async () => {
    database = await createTestDatabase('answeredq');
    await migrate(database.url);
    store = createStore({ url: database.url, secretsKey: randomBytes(32) });
    ({ skillId, integrationId } = await seedIntegration(store, fields));
    ({ integrationId: otherIntegration } = await seedIntegration(store, fields, { organization: 'Other' }));
    // The worker records an agent's reply as HDE's HTML with empty text.
    await dialog(integrationId, 1, 30, [
      ['customer', 'где мой заказ'],
      ['bot', 'Не нашёл ответа, передаю оператору.'],
      ['customer', 'ну так где'],
      ['agent', '', '<p>Вот <a href="https://shop.test/track">ссылка</a></p>'],
      ['customer', 'спасибо, а вернуть можно?'],
      ['agent', 'second reply'],
    ]);
    await dialog(integrationId, 2, 10, [
      ['customer', 'one'],
      ['customer', 'two'],
      ['customer', 'three'],
      ['customer', 'four'],
      ['agent', 'plain text reply'],
    ]);
    await dialog(integrationId, 3, 5, [
      ['customer', 'the bot answered this one'],
      ['bot', 'an answer'],
    ]);
    await dialog(integrationId, 4, 1, [['agent', 'an agent wrote first, nobody asked']]);
    await dialog(otherIntegration, 1, 1, [
      ['customer', 'another company'],
      ['agent', 'their reply'],
    ]);
  });

  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  it("pairs the customer's last three messages before the agent's first reply with that reply, newest first, this skill only", async () => {
    expect(await store.kb.answeredConversations(skillId, 10)).toEqual([
      { question: 'two three four', reply: 'plain text reply' },
      { question: 'где мой заказ ну так где', reply: '<p>Вот <a href="https://shop.test/track">ссылка</a></p>' },
    ]);
  });

  it('reads at most `limit` conversations', async () => {
    expect(await store.kb.answeredConversations(skillId, 1)).toEqual([{ question: 'two three four', reply: 'plain text reply' }]);
  });
});
