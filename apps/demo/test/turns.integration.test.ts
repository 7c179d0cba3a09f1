import { waitFor } from '@repo/testing';
import { botPosts, startTestStack, type TestStack } from './helpers';

// Per-ticket turns: a burst of customer messages gets one answer; the ingress stops cleanly.
describe('turns and shutdown', () => {
  let t: TestStack;

  beforeAll(async () => {
    // A debounce long enough that the three webhooks of a burst surely arrive inside it.
    t = await startTestStack({ label: 'turns', workerEnv: { TURN_DEBOUNCE_MS: '1500' } });
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  }, 60_000);

  it('answers a burst of messages from one customer once, as one turn', async () => {
    const { stack, observe } = t;
    const slug = stack.account.slug;
    const ticket = stack.sim.openTicket(slug, { customerId: stack.people.customers[0]!.id, title: 'Возврат', text: 'Здравствуйте' });
    stack.sim.postAsCustomer(slug, ticket.id, 'у меня вопрос');
    stack.sim.postAsCustomer(slug, ticket.id, 'как вернуть товар который не подошёл?');
    await observe.waitSettled(stack.sim, ticket.id, 60_000);
    const decisions = await observe.decisions(ticket.id);
    expect(decisions).toHaveLength(1);
    const rows = await t.pg.query<{ n: number }>(`SELECT cardinality(message_ids)::int AS n FROM decisions WHERE turn_id = $1`, [
      decisions[0]!.turnId,
    ]);
    expect(rows.rows[0]!.n).toBe(3);
    expect(botPosts(stack, ticket.id)).toHaveLength(1);
  }, 90_000);

  it('R4 fifty messages in a burst on one ticket: each in exactly one turn, one reply at most per turn, none left behind', async () => {
    const { stack, observe } = t;
    const slug = stack.account.slug;
    const questions = ['Сколько стоит доставка?', 'как вернуть товар?', 'а гарантия?', 'ау', 'где мой заказ'];
    const ticket = stack.sim.openTicket(slug, { customerId: stack.people.customers[3]!.id, title: 'Много', text: 'Здравствуйте' });
    for (let i = 1; i < 50; i += 1) stack.sim.postAsCustomer(slug, ticket.id, `${questions[i % questions.length]!} (${i})`);
    await observe.waitSettled(stack.sim, ticket.id, 90_000);
    const customer = await t.pg.query<{ id: string; status: string }>(
      `SELECT m.id::text, m.status FROM messages m JOIN dialogs d ON d.id = m.dialog_id
       WHERE d.integration_id = $1 AND d.ticket_id = $2 AND m.author_kind = 'customer'`,
      [stack.integrationId, ticket.id],
    );
    expect(customer.rows).toHaveLength(50);
    expect(customer.rows.filter((m) => m.status !== 'done' && m.status !== 'ignored')).toEqual([]);
    const turns = await t.pg.query<{ turn_id: string; ids: string[] }>(
      `SELECT x.turn_id, x.message_ids::text[] AS ids FROM decisions x JOIN dialogs d ON d.id = x.dialog_id
       WHERE d.integration_id = $1 AND d.ticket_id = $2`,
      [stack.integrationId, ticket.id],
    );
    const covered = turns.rows.flatMap((r) => r.ids);
    expect(new Set(covered).size).toBe(covered.length);
    expect(new Set(covered)).toEqual(new Set(customer.rows.map((m) => m.id)));
    const replies = botPosts(stack, ticket.id).length;
    expect(replies).toBeLessThanOrEqual(turns.rows.length);
    expect(await observe.sentReplies(ticket.id)).toBe(replies);
  }, 120_000);

  it('takes a ticket back when the customer reopens it after an agent closed it', async () => {
    const { stack, observe } = t;
    const slug = stack.account.slug;
    const ticket = stack.sim.openTicket(slug, {
      customerId: stack.people.customers[1]!.id,
      title: 'Оплата',
      text: 'Какие способы оплаты у вас есть?',
    });
    await observe.waitSettled(stack.sim, ticket.id);
    stack.sim.postAsAgent(slug, ticket.id, stack.people.agentId, 'Добрый день! Уточню и вернусь.');
    await observe.waitSettled(stack.sim, ticket.id);
    expect(await observe.dialogState(ticket.id)).toBe('agent');
    stack.sim.setStatus(slug, ticket.id, 'closed');
    // The simulator's dispatcher does not fire on status changes; the next webhook carries it.
    stack.sim.postAsAgent(slug, ticket.id, stack.people.agentId, 'Закрываю заявку.');
    await observe.waitSettled(stack.sim, ticket.id);
    stack.sim.postAsCustomer(slug, ticket.id, 'Как отследить мой заказ?');
    await observe.waitSettled(stack.sim, ticket.id);
    expect(await observe.dialogState(ticket.id)).toBe('bot');
    expect((await observe.decisions(ticket.id)).at(-1)?.action).not.toBe('ignore');
  }, 90_000);

  it('R9 graceful shutdown: a webhook accepted just before SIGTERM is answered once and the ingress stops cleanly', async () => {
    const { stack, observe } = t;
    const slug = stack.account.slug;
    // HDE's webhook for this message is answered (200) just before the ingress is told to stop.
    const ticket = stack.sim.openTicket(slug, {
      customerId: stack.people.customers[2]!.id,
      title: 'Гарантия',
      text: 'Сколько действует гарантия на смартфон?',
    });
    await stack.sim.waitForDispatches();
    const dispatched = stack.sim.dispatchLog(slug).find((d) => d.ticketId === ticket.id && d.event === 'ticket_created');
    expect(dispatched?.status).toBe(200);
    await stack.ingress.stop('SIGTERM');
    expect(stack.ingress.child.exitCode).toBe(0);
    expect(stack.ingress.output()).toContain('Shut down');
    // The acknowledged message is answered exactly once without the ingress.
    await waitFor(async () => (await observe.sentReplies(ticket.id)) >= 1, { what: 'the reply', timeoutMs: 60_000 });
    expect(botPosts(stack, ticket.id)).toHaveLength(1);
    expect(await observe.sentReplies(ticket.id)).toBe(1);
  }, 90_000);
});
