import { DEFAULT_DISPATCH_TEMPLATE, SEED_DISPATCH_TEMPLATE } from '@repo/hde-sim';
import { botPosts, startTestStack, type TestStack } from './helpers';

/**
 * Customer posts HDE delivers with files, and posts whose text the webhook does not carry:
 * - the product's template sends no files field, so a photo from a messenger arrives as an empty
 *   message: the worker asks HDE for the post's files and hands the ticket to a person;
 * - a rule that does send `{last_answer_attachments_links}` (observed in public templates) says so itself;
 * - a rule whose `{answer_last}` HDE left unexpanded: each message is read from its own post (by
 *   its post id), not from whichever post is newest when the worker gets to it.
 */
describe('webhook bodies as HDE may send them: files, text read back, escaped HTML, other rules', () => {
  let t: TestStack;

  beforeAll(async () => {
    t = await startTestStack({ label: 'files' });
  }, 120_000);

  afterEach(() => {
    t.stack.sim.setDispatcher(t.stack.account.slug, { url: t.stack.webhookUrl });
  });

  afterAll(async () => {
    await t?.close();
  }, 60_000);

  /** Opens a ticket with a question and waits until the bot has answered it. */
  async function answeredTicket(customer: number): Promise<number> {
    const { stack, observe } = t;
    const ticket = stack.sim.openTicket(stack.account.slug, {
      customerId: stack.people.customers[customer]!.id,
      title: 'Вопрос',
      text: 'Какие способы оплаты у вас есть?',
    });
    await observe.waitSettled(stack.sim, ticket.id, 60_000);
    expect(botPosts(stack, ticket.id)).toHaveLength(1);
    return ticket.id;
  }

  async function lastDecision(ticketId: number) {
    await t.observe.waitSettled(t.stack.sim, ticketId, 60_000);
    return (await t.observe.decisions(ticketId)).at(-1);
  }

  it('a photo without text, sent through the product template (no files field): HDE is asked for its files and the ticket goes to a person', async () => {
    const ticketId = await answeredTicket(0);
    t.stack.sim.postAsCustomer(t.stack.account.slug, ticketId, '', { files: [{ name: 'screenshot.png' }] });
    const decision = await lastDecision(ticketId);
    expect(decision).toMatchObject({ action: 'handoff' });
    expect(decision?.reasons).toContain('attachment_only');
    expect(await t.observe.dialogState(ticketId)).toBe('handed_off');
  }, 120_000);

  it('a photo without text through a rule that sends {last_answer_attachments_links}: handed off the same way', async () => {
    t.stack.sim.setDispatcher(t.stack.account.slug, {
      url: t.stack.webhookUrl,
      template: { ...DEFAULT_DISPATCH_TEMPLATE, files: '{last_answer_attachments_links}' },
    });
    const ticketId = await answeredTicket(1);
    t.stack.sim.postAsCustomer(t.stack.account.slug, ticketId, '', { files: [{ name: 'чек.jpg' }] });
    const decision = await lastDecision(ticketId);
    expect(decision).toMatchObject({ action: 'handoff' });
    expect(decision?.reasons).toContain('attachment_only');
  }, 120_000);

  it('an image pasted into the message (an <img>, no files listed), its text read back from HDE: handed off the same way', async () => {
    t.stack.sim.setDispatcher(t.stack.account.slug, { url: t.stack.webhookUrl, unexpandedTags: ['answer_last'] });
    const ticketId = await answeredTicket(5);
    t.stack.sim.postAsCustomer(t.stack.account.slug, ticketId, '<p><img src="https://cdn.example/screen.png"></p>');
    const decision = await lastDecision(ticketId);
    expect(decision).toMatchObject({ action: 'handoff' });
    expect(decision?.reasons).toContain('attachment_only');
  }, 120_000);

  it('a question with a file attached is answered from its text', async () => {
    const ticketId = await answeredTicket(2);
    t.stack.sim.postAsCustomer(t.stack.account.slug, ticketId, 'Как отследить мой заказ?', { files: [{ name: 'order.pdf' }] });
    const decision = await lastDecision(ticketId);
    expect(decision).toMatchObject({ action: 'answer' });
    expect(botPosts(t.stack, ticketId)).toHaveLength(2);
  }, 120_000);

  it("D15 a foreign rule's body without the message (an owner change pointed at our URL) does not handle the ticket's last post again", async () => {
    const { stack, observe, pg } = t;
    // Drafts as internal notes: the customer's question stays the ticket's newest post.
    await pg.query(`UPDATE integrations SET reply_mode = 'note' WHERE id = $1`, [stack.integrationId]);
    try {
      const ticket = stack.sim.openTicket(stack.account.slug, {
        customerId: stack.people.customers[5]!.id,
        title: 'Вопрос',
        text: 'Какие способы оплаты у вас есть?',
      });
      await observe.waitSettled(stack.sim, ticket.id, 60_000);
      const drafts = async () =>
        (
          await pg.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM send_ledger WHERE integration_id = $1 AND ticket_id = $2 AND kind = 'note' AND state = 'sent'`,
            [stack.integrationId, ticket.id],
          )
        ).rows[0]!.n;
      expect(await drafts()).toBe(1);
      // maxdev's «owner changed» rule body: the ticket under `id`, no text, author or post id.
      const body = JSON.stringify({ id: String(ticket.id), owner_email: 'maria@example.com', owner_name: 'Мария', owner_id: '7' });
      const res = await fetch(stack.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(res.status).toBe(200);
      await observe.waitSettled(stack.sim, ticket.id, 60_000);
      expect(await drafts()).toBe(1);
      const customerMessages = await pg.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM messages m JOIN dialogs d ON d.id = m.dialog_id
          WHERE d.integration_id = $1 AND d.ticket_id = $2 AND m.author_kind = 'customer'`,
        [stack.integrationId, ticket.id],
      );
      expect(customerMessages.rows[0]!.n).toBe(1);
    } finally {
      await pg.query(`UPDATE integrations SET reply_mode = 'public' WHERE id = $1`, [stack.integrationId]);
    }
  }, 120_000);

  it('D16 a rule that sends the text HTML-escaped and no post id: our echo is still ours, and the next question is answered', async () => {
    const { stack, observe } = t;
    // `&lt;p&gt;…` instead of `<p>…`: a rule rendering {answer_last} as display text.
    stack.sim.setDispatcher(stack.account.slug, { url: stack.webhookUrl, template: { ...SEED_DISPATCH_TEMPLATE }, htmlEntities: true });
    const ticketId = await answeredTicket(6);
    expect(await observe.dialogState(ticketId)).toBe('bot');
    stack.sim.postAsCustomer(stack.account.slug, ticketId, 'Как отследить мой заказ?');
    await observe.waitSettled(stack.sim, ticketId, 60_000);
    expect(botPosts(stack, ticketId)).toHaveLength(2);
  }, 120_000);

  /** A question answered and a second one asked on an account whose rule is synchronous. */
  async function twoQuestionsOnASynchronousRule(template: Readonly<Record<string, string>>, customer: number): Promise<void> {
    const { stack, observe } = t;
    stack.sim.setVariant(stack.account.slug, { dispatchMode: 'sync' });
    stack.sim.setDispatcher(stack.account.slug, { url: stack.webhookUrl, template: { ...template } });
    try {
      const ticketId = await answeredTicket(customer);
      expect(await observe.dialogState(ticketId)).toBe('bot');
      stack.sim.postAsCustomer(stack.account.slug, ticketId, 'Как отследить мой заказ?');
      await observe.waitSettled(stack.sim, ticketId, 60_000);
      expect(botPosts(stack, ticketId)).toHaveLength(2);
      expect(await observe.sentReplies(ticketId)).toBe(2);
    } finally {
      stack.sim.setVariant(stack.account.slug, { dispatchMode: 'async' });
    }
  }

  it('D17 a synchronous rule (our reply answered only after its webhook arrived), with the post id: one reply each, our echo known', async () => {
    await twoQuestionsOnASynchronousRule(DEFAULT_DISPATCH_TEMPLATE, 7);
  }, 120_000);

  it('D17 a synchronous rule (our reply answered only after its webhook arrived), without the post id: one reply each, our echo known', async () => {
    await twoQuestionsOnASynchronousRule(SEED_DISPATCH_TEMPLATE, 3);
  }, 120_000);

  it("{answer_last} left unexpanded: two quick messages are each stored with their own post's text", async () => {
    t.stack.sim.setDispatcher(t.stack.account.slug, { url: t.stack.webhookUrl, unexpandedTags: ['answer_last'] });
    const ticketId = await answeredTicket(4);
    // Both posts exist in HDE before the worker reads the first one back.
    t.stack.sim.postAsCustomer(t.stack.account.slug, ticketId, 'Первый вопрос: сколько стоит доставка?');
    t.stack.sim.postAsCustomer(t.stack.account.slug, ticketId, 'Второй вопрос: можно ли вернуть товар?');
    await t.observe.waitSettled(t.stack.sim, ticketId, 60_000);
    const rows = await t.pg.query<{ html: string }>(
      `SELECT m.html FROM messages m JOIN dialogs d ON d.id = m.dialog_id
        WHERE d.integration_id = $1 AND d.ticket_id = $2 AND m.author_kind = 'customer' ORDER BY m.id`,
      [t.stack.integrationId, ticketId],
    );
    const texts = rows.rows.map((r) => r.html);
    expect(texts).toHaveLength(3);
    expect(texts.filter((x) => x.includes('Первый вопрос'))).toHaveLength(1);
    expect(texts.filter((x) => x.includes('Второй вопрос'))).toHaveLength(1);
    // The same words again, twice: new posts (their own ids) are new messages, however alike.
    t.stack.sim.postAsCustomer(t.stack.account.slug, ticketId, 'Оператор');
    await t.observe.waitSettled(t.stack.sim, ticketId, 60_000);
    t.stack.sim.postAsCustomer(t.stack.account.slug, ticketId, 'Оператор');
    await t.observe.waitSettled(t.stack.sim, ticketId, 60_000);
    const again = await t.pg.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM messages m JOIN dialogs d ON d.id = m.dialog_id
        WHERE d.integration_id = $1 AND d.ticket_id = $2 AND m.author_kind = 'customer' AND m.html = 'Оператор'`,
      [t.stack.integrationId, ticketId],
    );
    expect(again.rows[0]!.n).toBe(2);
  }, 120_000);

  it('a rule without post_id, {answer_last} left unexpanded: two quick messages are each read from the post their date names', async () => {
    const { stack } = t;
    stack.sim.setDispatcher(stack.account.slug, {
      url: stack.webhookUrl,
      template: SEED_DISPATCH_TEMPLATE,
      unexpandedTags: ['answer_last'],
    });
    const ticketId = await answeredTicket(7);
    const events = async () =>
      (
        await t.pg.query<{ n: number }>('SELECT count(*)::int AS n FROM webhook_events WHERE integration_id = $1 AND ticket_id = $2', [
          stack.integrationId,
          ticketId,
        ])
      ).rows[0]!.n;
    const before = await events();
    // Both posts are in HDE before the worker reads either back: the newest is the second one.
    await stack.stopWorker();
    try {
      // Without a post id or the text, a webhook is told from an earlier one by its author and its
      // date, to the second: a post in the same second as the ticket's first question would be taken
      // for a second delivery of that question's webhook.
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      stack.sim.postAsCustomer(stack.account.slug, ticketId, 'Первый вопрос: сколько стоит доставка?');
      // A second apart: the webhook's date (to the second) tells the two posts apart.
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      stack.sim.postAsCustomer(stack.account.slug, ticketId, 'Второй вопрос: можно ли вернуть товар?');
      for (let i = 0; i < 100 && (await events()) < before + 2; i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      await stack.startWorker();
    }
    await t.observe.waitSettled(stack.sim, ticketId, 60_000);
    const rows = await t.pg.query<{ html: string }>(
      `SELECT m.html FROM messages m JOIN dialogs d ON d.id = m.dialog_id
        WHERE d.integration_id = $1 AND d.ticket_id = $2 AND m.author_kind = 'customer' ORDER BY m.id`,
      [stack.integrationId, ticketId],
    );
    const texts = rows.rows.map((r) => r.html);
    expect(texts.filter((x) => x.includes('Первый вопрос'))).toHaveLength(1);
    expect(texts.filter((x) => x.includes('Второй вопрос'))).toHaveLength(1);
  }, 120_000);

  it('{answer_last} left unexpanded: a post read back from HDE is capped as a webhook text is', async () => {
    t.stack.sim.setDispatcher(t.stack.account.slug, { url: t.stack.webhookUrl, unexpandedTags: ['answer_last'] });
    const ticketId = await answeredTicket(5);
    t.stack.sim.postAsCustomer(t.stack.account.slug, ticketId, `Длинный вопрос ${'о'.repeat(300_000)}`);
    await t.observe.waitSettled(t.stack.sim, ticketId, 60_000);
    const rows = await t.pg.query<{ n: number }>(
      `SELECT length(m.html)::int AS n FROM messages m JOIN dialogs d ON d.id = m.dialog_id
        WHERE d.integration_id = $1 AND d.ticket_id = $2 AND m.author_kind = 'customer' ORDER BY m.id`,
      [t.stack.integrationId, ticketId],
    );
    expect(rows.rows).toHaveLength(2);
    expect(rows.rows[1]!.n).toBeGreaterThan(100_000);
    expect(rows.rows[1]!.n).toBeLessThanOrEqual(200_000);
  }, 120_000);
});
