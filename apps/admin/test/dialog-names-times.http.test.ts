import { createLogger } from '@repo/logger';
import type { HdeClient } from '@repo/hde-client';
import type { Integration } from '@repo/store';
import type { AppDeps, HdeClientFactory } from '../src/deps';
import { hdeUserNames } from '../src/services/hde-user-names.service';
import { createAdminBudgets } from '../src/services/hde-admin-budget';
import Redis from 'ioredis';
import { testRedisUrl } from '@repo/testing';
import { startFixture, type Fixture } from './fixture';
import { TestClient } from './http-client';

// The dialog page names the customer and the agents and tells every time in the HDE account's zone.
describe('dialog page: names and times', () => {
  let fx: Fixture;
  let integration: Integration;
  let dialogId: number;
  let agentId: number;
  const unknownAgentId = 987654;

  beforeAll(async () => {
    fx = await startFixture();
    integration = await fx.simIntegration('names', { timeZone: 'Asia/Yekaterinburg' });
    agentId = fx.sim.createAgent('names', { name: 'Мария', lastname: 'Оператова', email: 'maria@shop.test' }).id;
    const customer = fx.sim.createCustomer('names', { name: 'Ivan', email: 'ivan@example.test' });
    const ticket = fx.sim.openTicket('names', { customerId: customer.id, title: 'Оплата', text: 'Как оплатить?' });
    dialogId = (await fx.store.dialogs.upsert(integration.id, ticket.id, { customerId: customer.id, customerName: 'Иван Клиентов' })).id;
    await fx.store.dialogs.recordMessage({
      dialogId,
      eventId: 'e-customer-1',
      authorKind: 'customer',
      authorId: customer.id,
      text: 'Как оплатить?',
      postedAt: new Date('2026-11-20T09:04:00Z'),
      status: 'pending',
    });
    await fx.store.dialogs.recordMessage({
      dialogId,
      eventId: 'e-agent-1',
      authorKind: 'agent',
      authorId: agentId,
      text: 'Картой на сайте.',
      postedAt: new Date('2026-11-20T09:10:00Z'),
      status: 'ignored',
    });
    await fx.store.dialogs.recordMessage({
      dialogId,
      eventId: 'e-agent-2',
      authorKind: 'agent',
      authorId: unknownAgentId,
      text: 'Уточню у коллег.',
      postedAt: new Date('2026-11-20T21:30:00Z'),
      status: 'ignored',
    });
  }, 60_000);

  afterAll(async () => {
    await fx?.close();
  });

  /** A hand-off turn of the dialog, recorded as delivered (its actions in HDE are the test's). */
  async function deliveredHandoff(turnId: string): Promise<void> {
    await fx.store.decisions.recordRetrieved({
      dialogId,
      turnId,
      messageIds: [],
      classification: { intent: 'operator_request', language: 'ru', tone: 'neutral', cleanText: 'оператора' } as never,
      kbHits: [],
    });
    await fx.store.decisions.update(turnId, { stage: 'delivered', action: 'handoff', reasons: ['operator_requested'] } as never);
  }

  it('shows the customer’s and the agent’s names, an id for an agent HDE does not know, and zone-labelled times', async () => {
    const boss = await fx.createUser('lead@example.test', 'admin');
    const c = new TestClient(fx.url);
    await c.login(boss.email, boss.password);
    const page = await c.get(`/dialogs/${dialogId}`);
    expect(page.status).toBe(200);
    const names = [...page.text.matchAll(/data-testid="author-name">([^<]+)</g)].map((m) => m[1]);
    expect(names).toEqual(['Иван Клиентов', 'Мария Оператова', `#${unknownAgentId}`]);
    const times = [...page.text.matchAll(/data-testid="message-time"\s*>([^<]+)</g)].map((m) => m[1]);
    // UTC+5: 09:04Z is 14:04 there; 21:30Z is already the next day.
    expect(times).toEqual([
      '2026-11-20 14:04 (Asia/Yekaterinburg)',
      '2026-11-20 14:10 (Asia/Yekaterinburg)',
      '2026-11-21 02:30 (Asia/Yekaterinburg)',
    ]);
    expect(page.text).toContain('Время указано в поясе Asia/Yekaterinburg.');
    // The list shows the same zone.
    expect((await c.get('/dialogs')).text).toContain('(Asia/Yekaterinburg)');
  });

  it('names who a hand-off went to: the agent and the department HDE knows them by', async () => {
    const department = fx.sim.createDepartment('names', { name: { ru: 'Поддержка', en: 'Support' } });
    const ticketId = (await fx.store.dialogs.get(dialogId))!.ticketId;
    const turnId = 'turn-handoff-1';
    await deliveredHandoff(turnId);
    await fx.store.ledger.plan({
      integrationId: integration.id,
      dialogId,
      ticketId,
      actionKey: `assign-${turnId}`,
      kind: 'assign',
      request: { ownerId: agentId, departmentId: department.id },
      turnId,
    });
    const boss = await fx.createUser('lead2@example.test', 'admin');
    const c = new TestClient(fx.url);
    await c.login(boss.email, boss.password);
    const page = await c.get(`/dialogs/${dialogId}`);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/data-testid="assignee">→ передано: Мария Оператова, отдел «Поддержка»</);
  });

  it('says in words why an action in HDE was skipped (the ticket closed meanwhile), and shows a failure as HDE gave it', async () => {
    const ticketId = (await fx.store.dialogs.get(dialogId))!.ticketId;
    const turnId = 'turn-closed-1';
    await deliveredHandoff(turnId);
    const row = (key: string, kind: 'reply' | 'note') =>
      fx.store.ledger.plan({
        integrationId: integration.id,
        dialogId,
        ticketId,
        actionKey: `${key}-${turnId}`,
        kind,
        request: { text: 'x' },
        turnId,
      });
    const reply = await row('reply', 'reply');
    await fx.store.ledger.finish(reply.id, 'failed', { error: 'HDE POST /tickets/:id/posts/ failed: closed_ticket (HTTP 400)' });
    const note = await row('summary', 'note');
    await fx.store.ledger.finish(note.id, 'skipped', { error: 'ticket_closed' });
    const boss = await fx.createUser('lead4@example.test', 'admin');
    const c = new TestClient(fx.url);
    await c.login(boss.email, boss.password);
    const page = await c.get(`/dialogs/${dialogId}`);
    expect(page.text).toContain('<span class="muted">Заявка закрыта</span>');
    expect(page.text).toContain('closed_ticket (HTTP 400)');
    expect(page.text).not.toContain('<span class="muted">ticket_closed</span>');
  });

  it('asks HDE once per agent through a budgeted client, and falls back to ids when HDE cannot answer', async () => {
    const asked: number[] = [];
    let budgeted = 0;
    const working: HdeClientFactory = (o) => {
      if (o.budget) budgeted += 1;
      return {
        getUser: async (id: number) => {
          asked.push(id);
          return { id, name: 'Пётр', lastname: '', email: 'p@shop.test' } as Awaited<ReturnType<HdeClient['getUser']>>;
        },
        close: () => undefined,
      } as unknown as HdeClient;
    };
    const logger = createLogger({ service: 'test', level: 'error' });
    const redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
    const hdeBudgets = createAdminBudgets({ redis, prefix: fx.prefix, remainingFloor: 0 });
    const deps = { store: fx.store, logger, hdeClient: working, hdeBudgets } as unknown as AppDeps;
    expect(Object.fromEntries(await hdeUserNames(deps, integration, [5, 6, 5]))).toEqual({ 5: 'Пётр', 6: 'Пётр' });
    expect(Object.fromEntries(await hdeUserNames(deps, integration, [5, 6]))).toEqual({ 5: 'Пётр', 6: 'Пётр' });
    expect(asked).toEqual([5, 6]);
    expect(budgeted).toBe(1);

    const down: HdeClientFactory = () =>
      ({
        getUser: () => Promise.reject(new Error('connect ECONNREFUSED')),
        close: () => undefined,
      }) as unknown as HdeClient;
    const downDeps = { store: fx.store, logger, hdeClient: down, hdeBudgets } as unknown as AppDeps;
    expect((await hdeUserNames(downDeps, integration, [7])).size).toBe(0);

    // An HDE that never answers holds the page up for a bounded time only.
    const hanging: HdeClientFactory = () =>
      ({ getUser: () => new Promise(() => undefined), close: () => undefined }) as unknown as HdeClient;
    const started = Date.now();
    expect((await hdeUserNames({ ...downDeps, hdeClient: hanging } as AppDeps, integration, [8])).size).toBe(0);
    expect(Date.now() - started).toBeLessThan(4000);
    redis.disconnect();
  });
});
