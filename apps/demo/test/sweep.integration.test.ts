import { WEBHOOK_BODY_TEMPLATE } from '@repo/domain';
import { SEED_DISPATCH_TEMPLATE } from '@repo/hde-sim';
import { waitFor } from '@repo/testing';
import { botPosts, setIntegrationSetting, startTestStack, type TestStack } from './helpers';

type EventRow = { id: string; source: string; payload: Record<string, unknown> | null };

const UNREACHABLE = 'http://127.0.0.1:1/unreachable';

// The sweep is the guarantee behind the webhook: it finds customer messages we have no record of and
// enqueues them with the same event id the webhook would have had. Here it runs every second with no
// grace period, so it races every webhook; each message still gets exactly one reply.
describe('sweep', () => {
  let t: TestStack;

  beforeAll(async () => {
    t = await startTestStack({ label: 'sweep', workerEnv: { SWEEP_INTERVAL_MS: '1000', SWEEP_GRACE_MS: '0' } });
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  }, 60_000);

  beforeEach(() => {
    t.stack.sim.setDispatcher(t.stack.account.slug, { url: t.stack.webhookUrl });
  });

  function customer(i: number): number {
    return t.stack.people.customers[i]!.id;
  }

  /** The customer's events of a ticket (webhook or sweep). */
  async function customerEvents(ticketId: number, customerId: number): Promise<EventRow[]> {
    const { rows } = await t.pg.query<EventRow>(
      'SELECT id, source, payload FROM webhook_events WHERE integration_id = $1 AND ticket_id = $2 ORDER BY received_at',
      [t.stack.integrationId, ticketId],
    );
    return rows.filter((r) => r.payload?.authorId === customerId);
  }

  async function expectOneReply(ticketId: number): Promise<void> {
    await expectReplies(ticketId, 1);
  }

  /** Waits for the ticket's `count` replies and checks that no more were posted. */
  async function expectReplies(ticketId: number, count: number): Promise<void> {
    await waitFor(async () => (await t.observe.sentReplies(ticketId)) >= count, {
      what: `${count} replies on ticket ${ticketId}`,
      timeoutMs: 60_000,
    });
    await t.observe.waitSettled(t.stack.sim, ticketId, 60_000);
    expect(botPosts(t.stack, ticketId)).toHaveLength(count);
    expect(await t.observe.sentReplies(ticketId)).toBe(count);
  }

  /** A new client of its own asking about payment in a new ticket. */
  function paymentQuestion(name: string, email: string): { client: number; ticket: { id: number } } {
    const slug = t.stack.account.slug;
    const client = t.stack.sim.createCustomer(slug, { name, email }).id;
    return {
      client,
      ticket: t.stack.sim.openTicket(slug, { customerId: client, title: 'Оплата', text: 'Какие способы оплаты у вас есть?' }),
    };
  }

  /** A client who is not the ticket's own: a contact in copy of its e-mails. */
  function contactInCopy(name: string): number {
    return t.stack.sim.createCustomer(t.stack.account.slug, { name, email: `${name.toLowerCase()}-cc@mail.example` }).id;
  }

  it('answers a message whose webhook never arrived', async () => {
    const { stack } = t;
    stack.sim.setDispatcher(stack.account.slug, { url: UNREACHABLE });
    const ticket = stack.sim.openTicket(stack.account.slug, {
      customerId: customer(0),
      title: 'Доставка',
      text: 'Сколько стоит доставка по Москве?',
    });
    await stack.sim.waitForDispatches();
    // The premise: HDE's webhook did not reach us.
    expect(stack.sim.dispatchLog(stack.account.slug).find((d) => d.ticketId === ticket.id)?.status).toBeNull();

    await expectOneReply(ticket.id);
    const events = await customerEvents(ticket.id, customer(0));
    expect(events).toHaveLength(1);
    expect(events[0]!.source).toBe('sweep');
  }, 120_000);

  it('R6 oversized message: the ingress answers 413, the sweep takes it and it gets exactly one reply', async () => {
    const { stack } = t;
    // About 80 kB of UTF-8: past the ingress's 64 kB body limit, well within what HDE stores.
    const text = 'Сколько стоит доставка по Москве? '.repeat(1200).trim();
    const ticket = stack.sim.openTicket(stack.account.slug, { customerId: customer(3), title: 'Доставка', text });
    await stack.sim.waitForDispatches();
    // The premise: HDE's webhook was refused as too large.
    expect(stack.sim.dispatchLog(stack.account.slug).find((d) => d.ticketId === ticket.id)?.status).toBe(413);

    await expectOneReply(ticket.id);
    const events = await customerEvents(ticket.id, customer(3));
    expect(events).toHaveLength(1);
    expect(events[0]!.source).toBe('sweep');
  }, 120_000);

  it('gives one reply when the late webhook arrives after the sweep took the message', async () => {
    const { stack } = t;
    const slug = stack.account.slug;
    // The body setup tells users to paste, with post_id: the webhook and the sweep give the post one id.
    const template = JSON.parse(WEBHOOK_BODY_TEMPLATE) as Record<string, string>;
    stack.sim.setDispatcher(slug, { url: UNREACHABLE, template });
    const ticket = stack.sim.openTicket(slug, { customerId: customer(1), title: 'Оплата', text: 'Какие способы оплаты у вас есть?' });
    await stack.sim.waitForDispatches();
    const original = stack.sim.dispatchLog(slug).find((d) => d.ticketId === ticket.id && d.event === 'ticket_created');
    expect(original?.status).toBeNull();
    stack.sim.setDispatcher(slug, { url: stack.webhookUrl, template });

    // As soon as the sweep has stored the message, HDE's webhook arrives after all.
    const swept = await waitFor(async () => (await customerEvents(ticket.id, customer(1))).find((e) => e.source === 'sweep'), {
      what: 'the sweep to find the message',
      timeoutMs: 60_000,
      intervalMs: 20,
    });
    const res = await fetch(stack.webhookUrl, { method: 'POST', headers: { 'content-type': original!.contentType }, body: original!.body });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { event_id: string; status: string };
    // The same event id: the webhook is recognised as the message the sweep already took.
    expect(answer.event_id).toBe(swept.id);
    expect(answer.status).toBe('duplicate');

    await expectOneReply(ticket.id);
    expect(await customerEvents(ticket.id, customer(1))).toHaveLength(1);
    // Once more after the reply: still nothing new.
    const again = await fetch(stack.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': original!.contentType },
      body: original!.body,
    });
    expect(((await again.json()) as { status: string }).status).toBe('duplicate');
    await t.observe.waitSettled(stack.sim, ticket.id, 60_000);
    expect(botPosts(stack, ticket.id)).toHaveLength(1);
  }, 120_000);

  it('gives one reply per message when webhooks and the sweep race on new tickets', async () => {
    const { stack } = t;
    const questions = ['Сколько действует гарантия на смартфон?', 'Как вернуть товар, если он не подошёл?', 'Как отследить мой заказ?'];
    const tickets = questions.map((text, i) =>
      stack.sim.openTicket(stack.account.slug, { customerId: customer(2 + i), title: `Вопрос ${i}`, text }),
    );
    for (const [i, ticket] of tickets.entries()) {
      await expectOneReply(ticket.id);
      expect(await customerEvents(ticket.id, customer(2 + i))).toHaveLength(1);
    }
  }, 120_000);

  it('D19 a message from a contact in copy whose webhook never arrived: the sweep takes it and it gets exactly one reply', async () => {
    const { stack } = t;
    const slug = stack.account.slug;
    const ticket = stack.sim.openTicket(slug, { customerId: customer(6), title: 'Оплата', text: 'Какие способы оплаты у вас есть?' });
    await expectOneReply(ticket.id);
    // The contact writes after reading the answer: not within the second of the bot's reply, which
    // the sweep takes for the ticket's last change when its own send was then (see the README).
    await new Promise((r) => setTimeout(r, 1100));
    const cc = contactInCopy('Kira');
    stack.sim.setDispatcher(slug, { url: UNREACHABLE });
    const post = stack.sim.postAsCustomer(slug, ticket.id, 'Подскажите, как отследить мой заказ?', { authorId: cc });
    await stack.sim.waitForDispatches();
    // The premise: the contact's message is the ticket's newest post, and HDE's webhook did not reach us.
    expect(stack.sim.dispatchLog(slug).find((d) => d.postId === post.id)?.status).toBeNull();

    await expectReplies(ticket.id, 2);
    const events = await customerEvents(ticket.id, cc);
    expect(events).toHaveLength(1);
    expect(events[0]!.source).toBe('sweep');
  }, 120_000);

  it("D19 a customer message followed by an automation's auto-reply, both webhooks lost: the sweep takes the message and it gets exactly one reply", async () => {
    const { stack } = t;
    const slug = stack.account.slug;
    const robot = stack.sim.createAgent(slug, { name: 'Автоответчик', email: 'autoreply-sweep@eddymarket.example' });
    await setIntegrationSetting(t, 'automationUserIds', [robot.id]);
    try {
      stack.sim.setDispatcher(slug, { url: UNREACHABLE });
      const ticket = stack.sim.openTicket(slug, {
        customerId: customer(7),
        title: 'Гарантия',
        text: 'Сколько действует гарантия на смартфон?',
      });
      stack.sim.postAsAgent(slug, ticket.id, robot.id, 'Ваше обращение зарегистрировано, мы ответим в течение часа.');
      await stack.sim.waitForDispatches();
      // The premise: the auto-reply is the ticket's newest post, and neither webhook reached us.
      expect(
        stack.sim
          .dispatchLog(slug)
          .filter((d) => d.ticketId === ticket.id)
          .map((d) => d.status),
      ).toEqual([null, null]);

      await expectOneReply(ticket.id);
      const events = await customerEvents(ticket.id, customer(7));
      expect(events).toHaveLength(1);
      expect(events[0]!.source).toBe('sweep');
    } finally {
      await setIntegrationSetting(t, 'automationUserIds', undefined);
    }
  }, 120_000);

  it("D19 a customer message whose webhook was lost, followed by an automation's auto-reply whose webhook arrived: the sweep still takes the message", async () => {
    const { stack } = t;
    const slug = stack.account.slug;
    const robot = stack.sim.createAgent(slug, { name: 'Автоответчик 2', email: 'autoreply-sweep-2@eddymarket.example' });
    await setIntegrationSetting(t, 'automationUserIds', [robot.id]);
    const client = stack.sim.createCustomer(slug, { name: 'Вера', email: 'vera-autoreply@mail.example' }).id;
    // No sweep may see the message before the auto-reply's event is handled: the worker is stopped
    // from before the message until more than a second after the auto-reply (a backlog), so the
    // dialog that event creates looks newer than everything HDE holds.
    await stack.stopWorker();
    let ticketId: number | undefined;
    try {
      try {
        stack.sim.setDispatcher(slug, { url: UNREACHABLE });
        ticketId = stack.sim.openTicket(slug, { customerId: client, title: 'Возврат', text: 'Как вернуть товар надлежащего качества?' }).id;
        await stack.sim.waitForDispatches();
        stack.sim.setDispatcher(slug, { url: stack.webhookUrl });
        stack.sim.postAsAgent(slug, ticketId, robot.id, 'Ваше обращение зарегистрировано, мы ответим в течение часа.');
        await stack.sim.waitForDispatches();
        expect(
          stack.sim
            .dispatchLog(slug)
            .filter((d) => d.ticketId === ticketId)
            .map((d) => d.status),
        ).toEqual([null, 200]);
        await new Promise((resolve) => setTimeout(resolve, 1500));
      } finally {
        await stack.startWorker();
      }
      await expectOneReply(ticketId);
      const events = await customerEvents(ticketId, client);
      expect(events).toHaveLength(1);
      expect(events[0]!.source).toBe('sweep');
    } finally {
      await setIntegrationSetting(t, 'automationUserIds', undefined);
    }
  }, 120_000);

  it("D19 the bot's reply, then a customer message whose webhook was lost, then the reply's own webhook handled late: the sweep still takes the message", async () => {
    const { stack } = t;
    const slug = stack.account.slug;
    const { client, ticket } = paymentQuestion('Глеб', 'gleb-echo@mail.example');
    await stack.sim.waitForDispatches();
    // From here HDE's webhooks are lost: the bot's reply's own (its echo) is kept to deliver late.
    stack.sim.setDispatcher(slug, { url: UNREACHABLE });
    await waitFor(async () => botPosts(stack, ticket.id).length === 1, { what: 'the first reply', timeoutMs: 60_000 });
    await stack.sim.waitForDispatches();
    const reply = botPosts(stack, ticket.id)[0]!;
    const echo = stack.sim.dispatchLog(slug).find((d) => d.ticketId === ticket.id && d.postId === reply.id);
    expect(echo?.status).toBeNull();
    await t.observe.waitSettled(stack.sim, ticket.id, 60_000);
    await stack.stopWorker();
    try {
      // Not in the second of the bot's reply (HDE's dates are whole seconds: that one is not told
      // apart from the reply itself, see the README).
      await new Promise((resolve) => setTimeout(resolve, 1100));
      stack.sim.postAsCustomer(slug, ticket.id, 'А доставка по Москве сколько стоит?');
      await stack.sim.waitForDispatches();
      // The echo arrives now, after the customer's message (a dispatcher's backlog), more than a
      // second before the worker is back: it must not make the ticket look seen.
      const late = await fetch(stack.webhookUrl, { method: 'POST', headers: { 'content-type': echo!.contentType }, body: echo!.body });
      expect(late.status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 1500));
    } finally {
      await stack.startWorker();
    }
    await expectReplies(ticket.id, 2);
    const events = await customerEvents(ticket.id, client);
    expect(events.map((e) => e.source)).toEqual(['webhook', 'sweep']);
  }, 120_000);

  it("D20 a customer message in the very second of the bot's reply, both webhooks lost: the sweep takes the message and it gets exactly one reply", async () => {
    const { stack } = t;
    const slug = stack.account.slug;
    // While webhooks reach us the bot's reply comes back as one: the rule sends staff posts too.
    const { client, ticket } = paymentQuestion('Вера', 'vera-same-second@mail.example');
    await expectReplies(ticket.id, 1);
    await stack.sim.waitForDispatches();
    // From here the dispatcher does not reach us: no webhook of a post, the customer's or the bot's.
    stack.sim.setDispatcher(slug, { url: UNREACHABLE });
    // Past the second of that first reply, whose webhook came back.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const questions = ['А доставка по Москве сколько стоит?', 'А самовывоз есть?', 'А в выходные работаете?', 'А курьер звонит заранее?'];
    let replies = 1;
    let sameSecond = false;
    for (const question of questions) {
      // The customer writes the moment the bot's newest reply appears; HDE dates both to the second.
      const reply = await waitFor(() => botPosts(stack, ticket.id)[replies - 1], {
        what: `reply ${replies}`,
        timeoutMs: 60_000,
        intervalMs: 2,
      });
      const message = stack.sim.postAsCustomer(slug, ticket.id, question);
      replies += 1;
      if (message.date_created === reply.date_created) {
        sameSecond = true;
        break;
      }
      // Another second: the sweep takes this one as any lost message; try again at its reply.
    }
    // The premise: one message shares its second with the reply before it, and neither webhook came.
    expect(sameSecond).toBe(true);
    await stack.sim.waitForDispatches();
    await expectReplies(ticket.id, replies);
    const events = await customerEvents(ticket.id, client);
    expect(events.map((e) => e.source)).toEqual(['webhook', ...Array.from({ length: replies - 1 }, () => 'sweep')]);
  }, 180_000);

  it('gives one reply when the webhook and the sweep race on a message from a contact in copy', async () => {
    const { stack } = t;
    const slug = stack.account.slug;
    const ticket = stack.sim.openTicket(slug, {
      customerId: customer(1),
      title: 'Оплата',
      text: 'Какие способы оплаты у вас есть?',
    });
    await expectOneReply(ticket.id);
    const cc = contactInCopy('Lev');
    stack.sim.postAsCustomer(slug, ticket.id, 'А сколько стоит доставка по Москве?', { authorId: cc });
    await expectReplies(ticket.id, 2);
    // A few sweeps later, still one event and one reply for the contact's message.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(botPosts(stack, ticket.id)).toHaveLength(2);
    expect(await customerEvents(ticket.id, cc)).toHaveLength(1);
  }, 120_000);

  // Last: from here on the integration's newest webhook has no post_id, which changes the sweep's ids.
  it('D8 text ending in a newline, from a rule without post_id, with the sweep racing the webhook: exactly one reply', async () => {
    const { stack } = t;
    stack.sim.setDispatcher(stack.account.slug, { url: stack.webhookUrl, template: { ...SEED_DISPATCH_TEMPLATE } });
    const ticket = stack.sim.openTicket(stack.account.slug, {
      customerId: customer(5),
      title: 'Оплата',
      text: 'Какие способы оплаты у вас есть?\n',
    });
    await stack.sim.waitForDispatches();
    const dispatched = stack.sim.dispatchLog(stack.account.slug).find((d) => d.ticketId === ticket.id && d.event === 'ticket_created');
    // The premise: the webhook was taken, and it carried no post id.
    expect(dispatched?.status).toBe(200);
    expect(dispatched?.body).not.toContain('post_id');
    await expectOneReply(ticket.id);
    // A few sweeps later, still one reply.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(botPosts(stack, ticket.id)).toHaveLength(1);
  }, 120_000);
});
