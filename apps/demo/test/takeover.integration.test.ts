import { createStore, type Store } from '@repo/store';
import { botPosts, setIntegrationSetting, startTestStack, type TestStack } from './helpers';

// Who holds a ticket after a staff reply: the bot stays silent (the default), until an admin
// returns the ticket to it, or (takeover.afterAgentReply `resume_after`) until the agents have been
// quiet for the configured period. The quiet period is passed by ageing the last staff reply in SQL.
describe('takeover: after a staff reply, and returning a ticket to the bot', () => {
  let t: TestStack;
  let store: Store;

  beforeAll(async () => {
    t = await startTestStack({ label: 'takeover' });
    store = createStore({ url: t.databaseUrl, poolSize: 2 });
  }, 120_000);

  afterAll(async () => {
    await store?.close();
    await t?.close();
  }, 60_000);

  /** A ticket the bot answered once and an agent then replied in. */
  async function ticketAnAgentRepliedIn(customer: number): Promise<number> {
    const { stack, observe } = t;
    const slug = stack.account.slug;
    const ticket = stack.sim.openTicket(slug, {
      customerId: stack.people.customers[customer]!.id,
      title: 'Оплата',
      text: 'Какие способы оплаты у вас есть?',
    });
    await observe.waitSettled(stack.sim, ticket.id);
    expect(botPosts(stack, ticket.id)).toHaveLength(1);
    stack.sim.postAsAgent(slug, ticket.id, stack.people.agentId, 'Добрый день! Подключаюсь.');
    await observe.waitSettled(stack.sim, ticket.id);
    expect(await observe.dialogState(ticket.id)).toBe('agent');
    return ticket.id;
  }

  /** Moves the ticket's last staff reply `minutes` into the past. */
  async function ageStaffReply(ticketId: number, minutes: number): Promise<void> {
    await t.pg.query(
      `UPDATE dialogs SET last_agent_at = last_agent_at - make_interval(mins => $3) WHERE integration_id = $1 AND ticket_id = $2`,
      [t.stack.integrationId, ticketId, minutes],
    );
  }

  /** The bot answered (or asked back) the customer's newest message, in a turn of that message alone. */
  async function expectAnsweredAlone(ticketId: number): Promise<void> {
    const last = (await t.observe.decisions(ticketId)).at(-1)!;
    expect(['answer', 'clarify']).toContain(last.action);
    const claimed = await t.pg.query<{ n: number }>(`SELECT cardinality(message_ids)::int AS n FROM decisions WHERE turn_id = $1`, [
      last.turnId,
    ]);
    expect(claimed.rows[0]!.n).toBe(1);
  }

  async function customerWrites(ticketId: number, text: string): Promise<void> {
    t.stack.sim.postAsCustomer(t.stack.account.slug, ticketId, text);
    await t.observe.waitSettled(t.stack.sim, ticketId);
  }

  it('stays silent after a staff reply however long the agents are quiet; returned in the admin app, answers the next message once', async () => {
    const { stack, observe } = t;
    const ticketId = await ticketAnAgentRepliedIn(0);
    await customerWrites(ticketId, 'Как отследить мой заказ?');
    await ageStaffReply(ticketId, 24 * 60);
    await customerWrites(ticketId, 'Сколько стоит доставка?');
    expect(botPosts(stack, ticketId)).toHaveLength(1);
    expect((await observe.decisions(ticketId)).slice(1).map((d) => d.reasons)).toEqual([['human_involved'], ['human_involved']]);

    // What the admin app's «Return to the bot» does.
    const dialog = (await store.dialogs.getByTicket(stack.integrationId, ticketId))!;
    expect((await store.dialogHolder.returnToBot(dialog.id, null)).changed).toBe(true);
    // Nothing written before the return is answered now.
    await new Promise((r) => setTimeout(r, 1500));
    expect(botPosts(stack, ticketId)).toHaveLength(1);

    await customerWrites(ticketId, 'Как отследить мой заказ?');
    expect(botPosts(stack, ticketId)).toHaveLength(2);
    await expectAnsweredAlone(ticketId);
    expect(await observe.dialogState(ticketId)).toBe('bot');
  }, 120_000);

  it('with resume_after, answers again once the agents have been quiet for the period, never what was written before', async () => {
    const { stack, observe } = t;
    await setIntegrationSetting(t, 'takeover', { handBackOnReopen: true, afterAgentReply: 'resume_after', resumeAfterMinutes: 30 });
    try {
      const ticketId = await ticketAnAgentRepliedIn(1);
      await customerWrites(ticketId, 'Как отследить мой заказ?');
      expect(botPosts(stack, ticketId)).toHaveLength(1);
      expect(await observe.dialogState(ticketId)).toBe('agent');

      await ageStaffReply(ticketId, 31);
      await customerWrites(ticketId, 'Сколько стоит доставка?');
      expect(botPosts(stack, ticketId)).toHaveLength(2);
      await expectAnsweredAlone(ticketId);
      const dialog = (await store.dialogs.getByTicket(stack.integrationId, ticketId))!;
      expect(dialog).toMatchObject({ state: 'bot', handoffReason: 'agent_quiet' });
      expect((await store.dialogHolder.changes(dialog.id)).map((c) => [c.reason, c.userId])).toEqual([['agent_quiet', null]]);

      // A new staff reply makes the ticket the humans' again.
      stack.sim.postAsAgent(stack.account.slug, ticketId, stack.people.agentId, 'Я снова здесь.');
      await observe.waitSettled(stack.sim, ticketId);
      await customerWrites(ticketId, 'Как отследить мой заказ?');
      expect(botPosts(stack, ticketId)).toHaveLength(2);
      expect(await observe.dialogState(ticketId)).toBe('agent');
    } finally {
      await setIntegrationSetting(t, 'takeover', undefined);
    }
  }, 120_000);
});
