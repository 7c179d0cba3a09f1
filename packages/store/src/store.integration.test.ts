import { randomBytes } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@repo/testing';
import { createStore, type Store } from './create-store';
import { migrate } from './migrate';

describe('store against real PostgreSQL', () => {
  let database: TestDatabase;
  let store: Store;
  let skillId: string;
  let organizationId: string;

  beforeAll(async () => {
    database = await createTestDatabase('store');
    await migrate(database.url);
    store = createStore({ url: database.url, secretsKey: randomBytes(32) });
    const org = await store.organizations.createOrganization('Acme');
    organizationId = org.id;
    const consultant = await store.organizations.createConsultant(org.id, 'Eddy');
    skillId = (await store.organizations.createSkill({ organizationId: org.id, consultantId: consultant.id, name: 'Support' })).id;
  });

  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  it('runs migrations twice without harm', async () => {
    await expect(migrate(database.url)).resolves.toBeUndefined();
  });

  it('keeps the API key encrypted and finds the integration by token hash only', async () => {
    const integration = await store.integrations.create({
      organizationId,
      skillId,
      hdeBaseUrl: 'https://acme.helpdeskeddy.com/',
      adminEmail: 'bot@acme.test',
      apiKey: 'secret-key-123',
    });
    const raw = await store.db.query<{ api_key_enc: string }>('SELECT api_key_enc FROM integrations WHERE id = $1', [integration.id]);
    expect(raw[0]!.api_key_enc).not.toContain('secret-key-123');
    expect(await store.integrations.credentials(integration.id)).toEqual({ email: 'bot@acme.test', apiKey: 'secret-key-123' });

    const { token, id: tokenId } = await store.integrations.issueToken(integration.id);
    expect(token.length).toBeGreaterThanOrEqual(43);
    const tokens = await store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM webhook_tokens WHERE hint LIKE $1', [`%${token}%`]);
    expect(tokens[0]!.n).toBe(0);
    expect(await store.integrations.findByToken(token)).toEqual({ integrationId: integration.id, tokenId, expiresInMs: null });
    expect(await store.integrations.findByToken(`${token}x`)).toBeUndefined();
    await store.integrations.revokeToken(tokenId);
    expect(await store.integrations.findByToken(token)).toBeUndefined();
  });

  it('refuses to decrypt a key copied to another integration', async () => {
    const a = await store.integrations.create({
      organizationId,
      skillId,
      hdeBaseUrl: 'https://a.test',
      adminEmail: 'a@a.test',
      apiKey: 'key-a',
    });
    const b = await store.integrations.create({
      organizationId,
      skillId,
      hdeBaseUrl: 'https://b.test',
      adminEmail: 'b@b.test',
      apiKey: 'key-b',
    });
    await store.db.query('UPDATE integrations SET api_key_enc = (SELECT api_key_enc FROM integrations WHERE id = $1) WHERE id = $2', [
      a.id,
      b.id,
    ]);
    await expect(store.integrations.credentials(b.id)).rejects.toThrow();
  });

  it('splits Markdown articles into passages under their headings for the search index', async () => {
    await store.kb.upsertArticle({
      skillId,
      externalId: 'delivery',
      title: 'Сроки доставки',
      body: '# Доставка\n\nМы доставляем заказы по Москве за 1–2 дня, по России за 3–7 дней.\n\n## Стоимость\n\nДоставка бесплатна от 3000 рублей.',
    });
    await store.kb.upsertArticle({
      skillId,
      externalId: 'refund',
      title: 'Возврат товара',
      body: 'Вернуть товар можно в течение 14 дней с момента покупки. Деньги возвращаются на карту.',
    });
    const snapshot = await store.kb.indexSnapshot(skillId);
    const delivery = snapshot.articles.find((a) => a.title === 'Сроки доставки');
    expect(delivery?.passages.map((p) => p.heading)).toContain('Стоимость');
    expect(delivery?.passages.find((p) => p.heading === 'Стоимость')?.text).toContain('бесплатна от 3000 рублей');
    expect(snapshot.articles.map((a) => a.title)).toContain('Возврат товара');
  });

  it('re-indexes an article only when it changed', async () => {
    const first = await store.kb.upsertArticle({ skillId, externalId: 'x', title: 'Оплата', body: 'Оплата картой.' });
    const before = await store.kb.indexVersion(skillId);
    const again = await store.kb.upsertArticle({ skillId, externalId: 'x', title: 'Оплата', body: 'Оплата картой.' });
    expect(await store.kb.indexVersion(skillId)).toBe(before);
    const changed = await store.kb.upsertArticle({ skillId, externalId: 'x', title: 'Оплата', body: 'Оплата картой или СБП.' });
    expect([first.outcome, again.outcome, changed.outcome]).toEqual(['created', 'unchanged', 'updated']);
    expect(await store.kb.indexVersion(skillId)).not.toBe(before);
    const article = (await store.kb.indexSnapshot(skillId)).articles.find((a) => a.id === first.id);
    expect(article?.passages.map((p) => p.text).join(' ')).toContain('СБП');
  });

  it('lets one turn of a ticket run at a time and coalesces pending messages', async () => {
    const integration = (await store.integrations.list(organizationId))[0]!;
    const dialog = await store.dialogs.upsert(integration.id, 77, { customerId: 5 });
    await store.dialogs.recordMessage({ dialogId: dialog.id, eventId: 'e1', authorKind: 'customer', text: 'a', status: 'pending' });
    await store.dialogs.recordMessage({ dialogId: dialog.id, eventId: 'e2', authorKind: 'customer', text: 'b', status: 'pending' });
    expect((await store.dialogs.recordMessage({ dialogId: dialog.id, eventId: 'e2', authorKind: 'customer', text: 'b' })).inserted).toBe(
      false,
    );
    expect(await store.dialogs.tryStartTurn(dialog.id, 't1', 60_000)).toBe(true);
    expect(await store.dialogs.tryStartTurn(dialog.id, 't2', 60_000)).toBe(false);
    expect((await store.turnState.claim(dialog.id, 't1')).messages.map((m) => m.eventId)).toEqual(['e1', 'e2']);
    await store.dialogs.recordMessage({ dialogId: dialog.id, eventId: 'e3', authorKind: 'customer', text: 'c', status: 'pending' });
    expect(await store.dialogs.finishTurn(dialog.id, 't1')).toEqual({ morePending: true });
    expect(await store.dialogs.tryStartTurn(dialog.id, 't2', 60_000)).toBe(true);
  });

  it("tells whether the message rule's webhooks carry post ids from webhooks with a message only", async () => {
    const integration = (await store.integrations.list(organizationId))[0]!;
    const row = (id: string, payload: Record<string, unknown>, minutesAgo: number) => ({
      id,
      integrationId: integration.id,
      ticketId: 5,
      source: 'webhook' as const,
      parseStatus: 'ok' as const,
      payload: { v: 2, missing: [], unexpanded: [], aliases: [], postedAt: null, lastCustomerMessageAt: null, ...payload },
      rawBody: null,
      contentType: 'application/json',
      receivedAt: new Date(Date.now() - minutesAgo * 60_000),
    });
    await store.events.insertMany([row('pid-msg', { postId: 77, messageHtml: 'Где заказ?' }, 10)]);
    expect(await store.events.newestWebhookHasPostId(integration.id)).toBe(true);
    // Another rule pointed at the URL afterwards (an owner change): no message, no post id.
    await store.events.insertMany([row('pid-owner', {}, 8)]);
    expect(await store.events.newestWebhookHasPostId(integration.id)).toBe(true);
    await store.events.insertMany([row('pid-old-rule', { messageHtml: 'Спасибо' }, 6)]);
    expect(await store.events.newestWebhookHasPostId(integration.id)).toBe(false);
    // The message rule with {answer_last} left unexpanded: no text, but the post's id and author.
    await store.events.insertMany([row('pid-no-text', { postId: 78, authorId: 7 }, 4)]);
    expect(await store.events.newestWebhookHasPostId(integration.id)).toBe(true);
  });

  it('finds a post held under another ticket (merged away) by its id, or by author and date for rules without one', async () => {
    const integration = await store.integrations.create({
      organizationId,
      skillId,
      hdeBaseUrl: 'https://merge.helpdeskeddy.com/',
      adminEmail: 'bot@merge.test',
      apiKey: 'merge-key',
    });
    const postedAt = new Date('2026-03-02T10:00:07Z');
    const event = (id: string, ticketId: number, payload: Record<string, unknown>) => ({
      id,
      integrationId: integration.id,
      ticketId,
      source: 'webhook' as const,
      parseStatus: 'ok' as const,
      payload: { v: 2, missing: [], unexpanded: [], aliases: [], lastCustomerMessageAt: null, ...payload },
      rawBody: null,
      contentType: 'application/json',
    });
    await store.events.insertMany([
      event('merged-with-id', 101, { postId: 1005, authorId: 7, postedAt: postedAt.toISOString() }),
      event('merged-no-id', 102, { authorId: 8, postedAt: postedAt.toISOString(), messageHtml: 'Где заказ?' }),
    ]);
    const window = { from: new Date(Date.now() - 60_000), to: new Date(Date.now() + 60_000) };
    const held = (ticketId: number, postId: number, authorId: number | null, at: Date | null) =>
      store.events.heldOnAnotherTicket(integration.id, { ticketId, postId, authorId, postedAt: at }, window);
    // Post 1005 now shows in ticket 200 (merged in): known; in its own ticket it is not "another".
    expect(await held(200, 1005, 7, postedAt)).toBe(true);
    expect(await held(101, 1005, 7, postedAt)).toBe(false);
    // A rule without post ids: the same author at the same second.
    expect(await held(200, 2001, 8, postedAt)).toBe(true);
    expect(await held(200, 2001, 8, new Date(postedAt.getTime() + 1000))).toBe(false);
    expect(await held(200, 2001, 9, postedAt)).toBe(false);
    // Where the rule sends post ids, a post of the same author at the same second is another post
    // (one e-mail to two addresses), not a merged one.
    expect(await held(200, 2002, 7, postedAt)).toBe(false);
    // Events received outside the window are not looked at, on either side.
    for (const outside of [
      { from: new Date(Date.now() + 60_000), to: new Date(Date.now() + 120_000) },
      { from: new Date(Date.now() - 120_000), to: new Date(Date.now() - 60_000) },
    ])
      expect(await store.events.heldOnAnotherTicket(integration.id, { ticketId: 200, postId: 1005, authorId: 7, postedAt }, outside)).toBe(
        false,
      );
  });

  it("lists the bot's posts whose webhooks came back for a ticket", async () => {
    const integration = (await store.integrations.list(organizationId))[0]!;
    const echo = (id: string, ticketId: number, payload: Record<string, unknown>) => ({
      id,
      integrationId: integration.id,
      ticketId,
      source: 'webhook' as const,
      parseStatus: 'ok' as const,
      payload: { v: 2, missing: [], unexpanded: [], aliases: [], postedAt: null, lastCustomerMessageAt: null, ...payload },
      rawBody: null,
      contentType: 'application/json',
      outcome: 'echo' as const,
    });
    await store.events.insertMany([
      echo('echo-1', 301, { postId: 4001, authorId: 3, messageHtml: '<p>Ответ</p>' }),
      echo('echo-other-ticket', 302, { postId: 4002, authorId: 3, messageHtml: '<p>Ответ</p>' }),
      echo('echo-customer', 301, { postId: 4003, authorId: 7, messageHtml: 'Спасибо' }),
      echo('echo-no-id', 301, { authorId: 3, messageHtml: '<p>Без id</p>' }),
    ]);
    expect(await store.events.botPostEchoes(integration.id, 301, 3, new Date(Date.now() - 60_000))).toEqual([
      { postId: 4001, html: '<p>Ответ</p>' },
    ]);
  });

  it('lets only one worker move a ledger entry to sending', async () => {
    const integration = (await store.integrations.list(organizationId))[0]!;
    const entry = await store.ledger.plan({
      integrationId: integration.id,
      dialogId: null,
      ticketId: 1,
      actionKey: 'reply-e1',
      kind: 'reply',
      request: { text: 'hi' },
    });
    const same = await store.ledger.plan({
      integrationId: integration.id,
      dialogId: null,
      ticketId: 1,
      actionKey: 'reply-e1',
      kind: 'reply',
      request: { text: 'other' },
    });
    expect(same.id).toBe(entry.id);
    expect(same.request).toEqual({ text: 'hi' });
    const results = await Promise.all([store.ledger.beginSend(entry.id), store.ledger.beginSend(entry.id)]);
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});
