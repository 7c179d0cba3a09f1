import { DEFAULT_DISPATCH_TEMPLATE, type AccountVariant } from '@repo/hde-sim';
import { botPosts, setIntegrationSetting, startTestStack, type TestStack } from './helpers';

/**
 * How HDE's tickets behave around the bot's replies where its documentation is silent, each way the
 * simulator can play it:
 * - an agent closes a ticket while the bot's reply is on its way. Closing sends no webhook (the
 *   dispatcher rules fire on new tickets and replies), so the bot knows the ticket as open; what
 *   HDE does with a post to a closed ticket is `closedTicketPost`;
 * - an account that moves a ticket to `process` on a staff reply (`staffPostStatus`);
 * - an account that sends no webhook for replies made through the API (`apiPostDispatch`).
 */
describe("HDE's ticket lifecycle around the bot's replies", () => {
  let t: TestStack;

  beforeAll(async () => {
    // A debounce long enough to close the ticket between its webhook and the turn.
    t = await startTestStack({ label: 'closed', workerEnv: { TURN_DEBOUNCE_MS: '1500' } });
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  }, 60_000);

  /** The integration's `staleAfterMs` (undefined: the default, ten minutes). */
  const staleAfter = (ms: number | undefined) => setIntegrationSetting(t, 'staleAfterMs', ms);

  /** Opens a ticket with `question`, closes it in HDE once its webhook is in, and waits for the turn. */
  async function closedDuringTurn(customer: number, question: string, variant: AccountVariant['closedTicketPost']) {
    const { stack, observe } = t;
    const slug = stack.account.slug;
    stack.sim.setVariant(slug, { closedTicketPost: variant });
    const ticket = stack.sim.openTicket(slug, { customerId: stack.people.customers[customer]!.id, title: 'Вопрос', text: question });
    // The webhook carried the ticket as open; closing it sends none.
    await stack.sim.waitForDispatches();
    stack.sim.setStatus(slug, ticket.id, 'closed');
    await observe.waitSettled(stack.sim, ticket.id, 60_000);
    const decision = (await observe.decisions(ticket.id)).at(-1);
    expect(decision?.action).toBe('answer');
    return { ticketId: ticket.id, result: decision?.result as { skipped?: string | null; messageStatus?: string } | undefined };
  }

  const status = (ticketId: number) => t.stack.sim.getTicket(t.stack.account.slug, ticketId).status_id;

  it('D13 a ticket closed while the reply is on its way, read before each reply (staleAfterMs 0): nothing written, whatever HDE would do with the post', async () => {
    await staleAfter(0);
    for (const [n, variant] of (['refuse', 'reopen', 'accept'] as const).entries()) {
      const { ticketId, result } = await closedDuringTurn(n, 'Какие способы оплаты у вас есть?', variant);
      expect(botPosts(t.stack, ticketId)).toHaveLength(0);
      expect(status(ticketId)).toBe('closed');
      expect(result).toMatchObject({ skipped: 'ticket_closed', messageStatus: 'ignored' });
    }
  }, 150_000);

  it("D13 HDE refuses the reply to a ticket closed meanwhile: the dialog is marked closed, the rest of the turn skipped, and the customer's next message answered", async () => {
    await staleAfter(undefined);
    const { ticketId, result } = await closedDuringTurn(1, 'Какие способы оплаты у вас есть?', 'refuse');
    expect(botPosts(t.stack, ticketId)).toHaveLength(0);
    expect(result).toMatchObject({ skipped: 'ticket_closed', messageStatus: 'ignored' });
    const dialog = await t.pg.query<{ status_id: string }>('SELECT status_id FROM dialogs WHERE integration_id = $1 AND ticket_id = $2', [
      t.stack.integrationId,
      ticketId,
    ]);
    expect(dialog.rows[0]?.status_id).toBe('closed');
    // The customer writes again: HDE reopens the ticket, and the bot answers the new question.
    t.stack.sim.postAsCustomer(t.stack.account.slug, ticketId, 'Как отследить мой заказ?');
    await t.observe.waitSettled(t.stack.sim, ticketId, 60_000);
    expect(botPosts(t.stack, ticketId)).toHaveLength(1);
  }, 120_000);

  it('D13 a 400 on posting to a ticket HDE still shows open is a failure, not a closed ticket', async () => {
    const { stack, observe } = t;
    const slug = stack.account.slug;
    await staleAfter(undefined);
    // A bad-request refusal (what HDE answers for a closed ticket, and for a post it cannot take).
    stack.sim.injectFault(slug, { method: 'POST', path: '/tickets/:id/posts/', kind: 'status', status: 400, times: 1 });
    const ticket = stack.sim.openTicket(slug, {
      customerId: stack.people.customers[7]!.id,
      title: 'Вопрос',
      text: 'Какие способы оплаты у вас есть?',
    });
    await observe.waitSettled(stack.sim, ticket.id, 60_000);
    expect(botPosts(stack, ticket.id)).toHaveLength(0);
    const decision = (await observe.decisions(ticket.id)).at(-1);
    expect(decision?.result).toMatchObject({ skipped: null, messageStatus: 'failed' });
    const dialog = await t.pg.query<{ status_id: string }>('SELECT status_id FROM dialogs WHERE integration_id = $1 AND ticket_id = $2', [
      stack.integrationId,
      ticket.id,
    ]);
    expect(dialog.rows[0]?.status_id).toBe('open');
  }, 120_000);

  it('D13 a ticket learnt closed from a refusal is answered again when the customer writes, though the rule sends no status', async () => {
    const { stack, observe } = t;
    const slug = stack.account.slug;
    await staleAfter(undefined);
    const { ticketId } = await closedDuringTurn(5, 'Какие способы оплаты у вас есть?', 'refuse');
    expect(botPosts(stack, ticketId)).toHaveLength(0);
    // A rule written for another bot: no status in its body.
    const { status_id: _status, ...withoutStatus } = DEFAULT_DISPATCH_TEMPLATE;
    stack.sim.setDispatcher(slug, { url: stack.webhookUrl, template: withoutStatus });
    try {
      stack.sim.postAsCustomer(slug, ticketId, 'Как отследить мой заказ?');
      await observe.waitSettled(stack.sim, ticketId, 60_000);
      expect(botPosts(stack, ticketId)).toHaveLength(1);
    } finally {
      stack.sim.setDispatcher(slug, { url: stack.webhookUrl });
    }
  }, 120_000);

  it('D13 within staleAfterMs the bot trusts the webhooks: one reply, which HDE lets reopen the ticket or accepts into it', async () => {
    await staleAfter(undefined);
    for (const [variant, after, customer] of [
      ['reopen', 'open', 4],
      ['accept', 'closed', 5],
    ] as const) {
      const { ticketId, result } = await closedDuringTurn(customer, 'Как отследить мой заказ?', variant);
      expect(botPosts(t.stack, ticketId)).toHaveLength(1);
      expect(status(ticketId)).toBe(after);
      expect(result).toMatchObject({ skipped: null, messageStatus: 'done' });
    }
  }, 150_000);

  /**
   * A customer's question and a follow-up on an account playing `variant` (reset to the default
   * after): each must get exactly one reply. Returns the ticket's id.
   */
  async function askTwice(customer: number, variant: Partial<AccountVariant>, afterFirst?: (ticketId: number) => void): Promise<number> {
    const { stack, observe } = t;
    const slug = stack.account.slug;
    stack.sim.setVariant(slug, variant);
    try {
      const ticket = stack.sim.openTicket(slug, {
        customerId: stack.people.customers[customer]!.id,
        title: 'Оплата',
        text: 'Какие способы оплаты у вас есть?',
      });
      await observe.waitSettled(stack.sim, ticket.id, 60_000);
      expect(botPosts(stack, ticket.id)).toHaveLength(1);
      afterFirst?.(ticket.id);
      stack.sim.postAsCustomer(slug, ticket.id, 'А как отследить мой заказ?');
      await observe.waitSettled(stack.sim, ticket.id, 60_000);
      expect(botPosts(stack, ticket.id)).toHaveLength(2);
      return ticket.id;
    } finally {
      stack.sim.setVariant(slug, { closedTicketPost: 'refuse', staffPostStatus: 'unchanged', apiPostDispatch: 'fires' });
    }
  }

  it('goes on answering when HDE moves a ticket to "in progress" on the bot\'s reply', async () => {
    await staleAfter(undefined);
    const ticketId = await askTwice(3, { staffPostStatus: 'process' }, (id) => expect(status(id)).toBe('process'));
    expect(await t.observe.dialogState(ticketId)).toBe('bot');
  }, 120_000);

  it("D14 answers once per message when HDE sends no webhook for the bot's own replies", async () => {
    const ticketId = await askTwice(6, { apiPostDispatch: 'silent' });
    // The bot's messages are in the dialog from its own ledger, not from their echoes.
    const rows = await t.pg.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM messages m JOIN dialogs d ON d.id = m.dialog_id
        WHERE d.integration_id = $1 AND d.ticket_id = $2 AND m.author_kind = 'bot'`,
      [t.stack.integrationId, ticketId],
    );
    expect(rows.rows[0]?.n).toBe(2);
  }, 120_000);
});
