import { randomBytes } from 'node:crypto';
import { createTestDatabase, seedIntegration, type TestDatabase } from '@repo/testing';
import { createStore, type Store } from './create-store';
import { migrate } from './migrate';

describe("a skill's recent questions (what ranking learns its question traffic from)", () => {
  let database: TestDatabase;
  let store: Store;
  let skillId: string;
  let integrationId: string;
  let otherIntegration: string;

  const fields = { hdeBaseUrl: 'https://acme.helpdeskeddy.com', adminEmail: 'bot@acme.test', apiKey: 'k' };

  /** A dialog of a ticket with messages `[author, text]` in order, last active `minutesAgo`. */
  async function dialog(integration: string, ticketId: number, minutesAgo: number, messages: Array<[string, string]>): Promise<void> {
    const rows = await store.db.query<{ id: string }>(
      `INSERT INTO dialogs (integration_id, ticket_id, updated_at) VALUES ($1, $2, now() - make_interval(mins => $3)) RETURNING id`,
      [integration, ticketId, minutesAgo],
    );
    for (const [author, text] of messages) {
      await store.db.query('INSERT INTO messages (dialog_id, author_kind, text) VALUES ($1, $2, $3)', [rows[0]!.id, author, text]);
    }
  }

  beforeAll(async () => {
    database = await createTestDatabase('recentq');
    await migrate(database.url);
    store = createStore({ url: database.url, secretsKey: randomBytes(32) });
    ({ skillId, integrationId } = await seedIntegration(store, fields));
    ({ integrationId: otherIntegration } = await seedIntegration(store, fields, { organization: 'Other' }));
    await dialog(integrationId, 1, 30, [
      ['customer', 'где мой заказ'],
      ['bot', 'Заказ в пути.'],
      ['customer', 'а когда привезут'],
    ]);
    await dialog(integrationId, 2, 10, [
      ['customer', 'one'],
      ['customer', 'two'],
      ['agent', 'agent text'],
      ['customer', 'three'],
      ['customer', 'four'],
    ]);
    await dialog(integrationId, 3, 20, [['customer', 'x'.repeat(1500)]]);
    await dialog(integrationId, 4, 5, [['bot', 'only the bot spoke']]);
    await dialog(otherIntegration, 1, 1, [['customer', 'another company']]);
  });

  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  it("reads the customers' first three messages per conversation, newest conversation first, of this skill only", async () => {
    const texts = await store.kb.recentQuestions(skillId, 10);
    expect(texts).toEqual(['one two three', 'x'.repeat(1000), 'где мой заказ а когда привезут']);
  });

  it('reads at most `limit` conversations', async () => {
    expect(await store.kb.recentQuestions(skillId, 1)).toEqual(['one two three']);
  });
});
