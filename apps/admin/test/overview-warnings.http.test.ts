import { eventFromWebhookBody } from '@repo/domain';
import { formatHdePostDate } from '@repo/hde-client';
import { storedEventOf } from '@repo/store';
import { startFixture, type Fixture } from './fixture';
import { type TestClient } from './http-client';

/** The overview tells admins what HDE's own webhooks show to be wrong in the setup: the zone, a customers-only rule. */
describe('setup warnings on the overview', () => {
  let fx: Fixture;
  let admin: TestClient;
  let skillId: string;

  beforeAll(async () => {
    fx = await startFixture();
    admin = await fx.signedIn('boss@example.test', 'admin');
    const consultant = await fx.store.organizations.createConsultant(fx.orgId, 'Eddy');
    skillId = (await fx.store.organizations.createSkill({ organizationId: fx.orgId, consultantId: consultant.id, name: 'Support' })).id;
  });

  afterAll(async () => {
    await fx.close();
  });

  /** An integration set to Moscow time whose webhooks date each post at UTC+`offsetHours`, a second before it arrives. */
  async function integrationDatedAt(name: string, offsetHours: number): Promise<string> {
    const integration = await fx.store.integrations.create({
      organizationId: fx.orgId,
      skillId,
      name,
      hdeBaseUrl: `https://${name}.helpdeskeddy.com`,
      adminEmail: 'bot@acme.test',
      apiKey: 'k',
    });
    const now = Date.now();
    const rows = Array.from({ length: 6 }, (_, i) => {
      const posted = new Date(now - i * 300_000);
      const body = {
        ticket_id: String(100 + i),
        message: 'Вопрос',
        message_author_id: '5',
        customer_id: '5',
        post_id: String(i + 1),
        last_answer_date: formatHdePostDate(posted, offsetHours * 60),
      };
      const event = eventFromWebhookBody({
        integrationId: integration.id,
        body,
        parseStatus: 'ok',
        source: 'webhook',
        receivedAt: new Date(posted.getTime() + 1000),
        parseDate: () => null,
      });
      const { enqueue: _e, ...row } = storedEventOf(event, { body: Buffer.from(JSON.stringify(body)), contentType: 'application/json' });
      return row;
    });
    await fx.store.events.insertMany(rows);
    return integration.id;
  }

  it('warns, naming the offset the dates show, only when they disagree with the integration', async () => {
    const wrong = await integrationDatedAt('ekb', 5);
    const page = await admin.get(`/overview?integration=${wrong}`);
    expect(page.text).toContain('data-testid="zone-warning"');
    expect(page.text).toContain('UTC+5');
    const right = await integrationDatedAt('msk', 3);
    expect((await admin.get(`/overview?integration=${right}`)).text).not.toContain('data-testid="zone-warning"');
  });

  it("warns when the rule sends customers' posts only while the bot has been replying", async () => {
    const integration = await fx.store.integrations.create({
      organizationId: fx.orgId,
      skillId,
      name: 'clients-only',
      hdeBaseUrl: 'https://clients-only.helpdeskeddy.com',
      adminEmail: 'bot@acme.test',
      apiKey: 'k',
    });
    const receive = async (n: number, authorId: number) => {
      const body = {
        ticket_id: String(500 + n),
        message: 'Вопрос',
        message_author_id: String(authorId),
        customer_id: '5',
        post_id: String(900 + n),
      };
      const event = eventFromWebhookBody({
        integrationId: integration.id,
        body,
        parseStatus: 'ok',
        source: 'webhook',
        receivedAt: new Date(Date.now() - (20 - n) * 60_000),
        parseDate: () => null,
      });
      const { enqueue: _e, ...row } = storedEventOf(event, { body: Buffer.from(JSON.stringify(body)), contentType: 'application/json' });
      await fx.store.events.insertMany([row]);
    };
    for (let n = 0; n < 12; n += 1) await receive(n, 5);
    const warned = async () =>
      (await admin.get(`/overview?integration=${integration.id}`)).text.includes('data-testid="customer-only-rule-warning"');
    // No reply of the bot yet: nothing to tell from.
    expect(await warned()).toBe(false);
    const dialog = await fx.store.dialogs.upsert(integration.id, 500, { customerId: 5 });
    const reply = await fx.store.ledger.plan({
      integrationId: integration.id,
      dialogId: dialog.id,
      ticketId: 500,
      actionKey: 'reply-t1',
      kind: 'reply',
      request: { text: 'Ответ' },
    });
    await fx.store.ledger.beginSend(reply.id);
    await fx.store.ledger.finish(reply.id, 'sent', { hdeRef: '77' });
    expect(await warned()).toBe(true);
    // One post by someone else (the bot's echo, an agent) shows the rule sends them.
    await receive(12, 42);
    expect(await warned()).toBe(false);
  });
});
