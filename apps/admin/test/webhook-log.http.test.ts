import { eventFromWebhookBody, type ParseStatus } from '@repo/domain';
import { storedEventOf } from '@repo/store';
import { startFixture, type Fixture } from './fixture';
import { TestClient } from './http-client';

const SECRET_TEXT = 'Мой номер карты 4111 и пароль qwerty';

/** The webhook log and the setup's connection check, over HTTP with real PostgreSQL. */
describe('webhook log', () => {
  let fx: Fixture;
  let admin: TestClient;
  let member: TestClient;
  let integrationId: string;
  const ids: Record<string, string> = {};

  async function receive(name: string, body: Record<string, unknown> | null, raw: string, status: ParseStatus, at: Date) {
    const event = eventFromWebhookBody({
      integrationId,
      body,
      parseStatus: status,
      source: 'webhook',
      receivedAt: at,
      parseDate: () => null,
    });
    const record = storedEventOf(event, { body: Buffer.from(raw), contentType: 'application/json' });
    const { enqueue: _e, ...row } = record;
    await fx.store.events.insertMany([row]);
    ids[name] = record.id;
  }

  beforeAll(async () => {
    fx = await startFixture();
    const boss = await fx.createUser('boss@example.test', 'admin');
    const alice = await fx.createUser('alice@example.test', 'member');
    admin = new TestClient(fx.url);
    member = new TestClient(fx.url);
    expect((await admin.login(boss.email, boss.password)).status).toBe(303);
    expect((await member.login(alice.email, alice.password)).status).toBe(303);
    const consultant = await fx.store.organizations.createConsultant(fx.orgId, 'Eddy');
    const skill = await fx.store.organizations.createSkill({ organizationId: fx.orgId, consultantId: consultant.id, name: 'Support' });
    const integration = await fx.store.integrations.create({
      organizationId: fx.orgId,
      skillId: skill.id,
      hdeBaseUrl: 'https://acme.helpdeskeddy.com',
      adminEmail: 'bot@acme.test',
      apiKey: 'k',
    });
    integrationId = integration.id;
    const t0 = Date.now() - 60_000;
    const good = {
      message: SECRET_TEXT,
      message_author_id: '5',
      customer_id: '5',
      ticket_id: '701',
      post_id: '9',
      chat_id: '{meta_chat_id}',
    };
    await receive('good', good, JSON.stringify(good), 'ok', new Date(t0));
    const old = { message: SECRET_TEXT, message_author_id: '{last_post_user_id}', customer_id: '5', ticket_id: '702' };
    await receive('old', old, JSON.stringify(old), 'ok', new Date(t0 + 1000));
    const foreign = { ticket_id: 'ABC-12', message: SECRET_TEXT };
    await receive('unclear', foreign, JSON.stringify(foreign), 'ok', new Date(t0 + 2000));
  }, 60_000);

  afterAll(async () => {
    await fx?.close();
  });

  it('lists the newest events with parse status, missing and unexpanded fields and a ticket link, never the text', async () => {
    const page = await admin.get(`/integrations/${integrationId}/webhooks`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain(SECRET_TEXT.slice(0, 15));
    expect(page.text).toContain(`data-event="${ids.good}" data-status="ok"`);
    expect(page.text).toContain(`data-event="${ids.unclear}" data-status="unparseable"`);
    expect(page.text).toContain('ticket_id_not_numeric');
    expect(page.text).toContain('message_author_id, post_id');
    expect(page.text).toContain('https://acme.helpdeskeddy.com/ru/ticket/list/filter/id/1/ticket/701/');
  });

  it('says in words what became of an event, its code beside it', async () => {
    await fx.store.events.markProcessed(ids.good!, 'ticket_gone');
    // A code this version has no words for (an older or newer one wrote it): markProcessed takes none.
    await fx.store.db.query(`UPDATE webhook_events SET processed_at = now(), outcome = 'some_new_outcome' WHERE id = $1`, [ids.old]);
    const page = await admin.get(`/integrations/${integrationId}/webhooks`);
    // The words the dialogs show for the same skip reason.
    expect(page.text).toContain(
      'Заявки больше нет в HDE: удалена, объединена с другой или скрыта от учётной записи бота <span class="mono">(ticket_gone)</span>',
    );
    expect(page.text).toContain('<td>some_new_outcome</td>');
  });

  it('shows the raw body of an event that was not understood only to those who may read the integration', async () => {
    const raw = await admin.get(`/integrations/${integrationId}/webhooks/${ids.unclear}/raw`);
    expect(raw.status).toBe(200);
    expect(raw.text).toContain('ABC-12');
    expect((await member.get(`/integrations/${integrationId}/webhooks/${ids.unclear}/raw`)).status).toBe(404);
    expect((await member.get(`/integrations/${integrationId}/webhooks`)).status).toBe(404);
  });

  it('waits for the first webhook, then says what arrived and what to fix in the rule', async () => {
    const waiting = await admin.get(`/integrations/${integrationId}/webhooks/check?since=${Date.now()}`);
    expect(waiting.status).toBe(200);
    expect(waiting.text).toContain('data-testid="connection-waiting"');
    expect(waiting.headers.get('refresh')).toBe('3');

    const since = Date.now();
    const body = { message: SECRET_TEXT, message_author_id: '{last_post_user_id}', customer_id: '5', ticket_id: '703' };
    await receive('after', body, JSON.stringify(body), 'ok', new Date(since + 10));
    const result = await admin.get(`/integrations/${integrationId}/webhooks/check?since=${since}`);
    expect(result.text).toContain('data-testid="connection-result" data-ok="0"');
    expect(result.text).toContain('{last_post_user_id}');
    expect(result.text).toContain('{last_post_id}');
    expect(result.text).not.toContain(SECRET_TEXT.slice(0, 15));
    expect(result.headers.get('refresh')).toBeNull();

    // Tags of the template that no public integration shows may stay unexpanded: nothing to fix.
    const fine = {
      ...body,
      message_author_id: '5',
      post_id: '44',
      ticket_id: '704',
      last_customer_message_date: '{last_client_post_date}',
      chat_id: '{meta_chat_id}',
    };
    const later = Date.now() + 20;
    await receive('fine', fine, JSON.stringify(fine), 'ok', new Date(later + 10));
    const ok = await admin.get(`/integrations/${integrationId}/webhooks/check?since=${later}`);
    expect(ok.text).toContain('data-ok="1"');
    expect(ok.text).not.toContain('last_customer_message_date');
  });
});
