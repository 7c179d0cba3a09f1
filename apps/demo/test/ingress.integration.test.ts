import { randomBytes } from 'node:crypto';
import { waitFor } from '@repo/testing';
import { botPosts, ingressBase, startTestStack, type TestStack } from './helpers';

type EventRow = {
  id: string;
  ticket_id: string | null;
  parse_status: string;
  payload: Record<string, unknown> | null;
  raw_body: Buffer | null;
  source: string;
};

// The real express app of the stack's ingress process, over HTTP, with the simulator as HDE.
describe('ingress over HTTP', () => {
  let t: TestStack;
  let slug: string;

  beforeAll(async () => {
    // A per-token limit above the duplicate storm below, so every copy is answered 2xx.
    t = await startTestStack({ label: 'ingress', ingressEnv: { WEBHOOK_RATE_LIMIT_PER_SECOND: '1000' } });
    slug = t.stack.account.slug;
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  }, 60_000);

  beforeEach(() => {
    // Each case sets up the dispatcher it needs; start from the product's recommended rule.
    t.stack.sim.setDispatcher(slug, { url: t.stack.webhookUrl });
  });

  async function eventsOf(ticketId: number): Promise<EventRow[]> {
    const { rows } = await t.pg.query<EventRow>(
      'SELECT id, ticket_id, parse_status, payload, raw_body, source FROM webhook_events WHERE integration_id = $1 AND ticket_id = $2 ORDER BY received_at',
      [t.stack.integrationId, ticketId],
    );
    return rows;
  }

  function customer(i: number): number {
    return t.stack.people.customers[i]!.id;
  }

  it('R5 malformed JSON (unescaped quote and newline): salvaged, exactly one reply', async () => {
    t.stack.sim.setDispatcher(slug, { url: t.stack.webhookUrl, escapeJson: false });
    const text = 'Сколько стоит доставка "до двери" по Москве?\nИ за сколько дней привезёте?';
    const ticket = t.stack.sim.openTicket(slug, { customerId: customer(0), title: 'Доставка', text });
    await t.stack.sim.waitForDispatches();

    const dispatched = t.stack.sim.dispatchLog(slug).find((d) => d.ticketId === ticket.id && d.event === 'ticket_created');
    expect(dispatched).toBeDefined();
    // The premise: what HDE sent is not JSON.
    expect(() => JSON.parse(dispatched!.body)).toThrow();
    expect(dispatched!.status).toBe(200);

    await t.observe.waitSettled(t.stack.sim, ticket.id);
    const first = (await eventsOf(ticket.id)).find((e) => e.payload?.authorId === customer(0));
    expect(first).toBeDefined();
    expect(first!.parse_status).toBe('salvaged');
    expect(first!.payload!.messageHtml).toContain('"до двери"');
    expect(first!.payload!.messageHtml).toContain('\n');
    expect(first!.raw_body?.toString('utf8')).toBe(dispatched!.body);
    expect(botPosts(t.stack, ticket.id)).toHaveLength(1);
  }, 90_000);

  it('refuses a body without a ticket id with 400 and keeps it as unparseable', async () => {
    const body = `{"message": "broken "quote" and no ticket", "customer_id": "7" ${randomBytes(4).toString('hex')}`;
    const res = await fetch(t.stack.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(res.status).toBe(400);
    const answer = (await res.json()) as { event_id: string; stored: boolean };
    expect(answer.stored).toBe(true);

    const { rows } = await t.pg.query<EventRow>(
      'SELECT id, ticket_id, parse_status, payload, raw_body, source FROM webhook_events WHERE id = $1',
      [answer.event_id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.parse_status).toBe('unparseable');
    expect(rows[0]!.ticket_id).toBeNull();
    expect(rows[0]!.raw_body?.toString('utf8')).toBe(body);
  });

  it('R6 oversized body: 413 past 64 kB, nothing stored (the sweep answers such a message: see sweep tests)', async () => {
    const body = JSON.stringify({ ticket_id: '990413', message: 'x'.repeat(70 * 1024) });
    const res = await fetch(t.stack.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(res.status).toBe(413);
    expect(await eventsOf(990413)).toHaveLength(0);
  });

  it('R11 unknown token: answered exactly like an unknown route (404), nothing stored', async () => {
    const body = JSON.stringify({ ticket_id: '100', message: 'hi' });
    const unknownToken = await fetch(`${ingressBase(t.stack)}/api/bots/helpdeskeddy_bot/webhook/${randomBytes(24).toString('hex')}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const unknownRoute = await fetch(`${ingressBase(t.stack)}/api/bots/no_such_bot/hook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(unknownToken.status).toBe(404);
    expect(unknownRoute.status).toBe(404);
    expect(unknownToken.headers.get('content-type')).toBe(unknownRoute.headers.get('content-type'));
    expect(await unknownToken.text()).toBe(await unknownRoute.text());
  });

  it('R7 unicode: emoji with ZWJ and skin tone, RTL override, combining marks, a lone surrogate — stored intact (the surrogate replaced), exactly one reply', async () => {
    const family = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}';
    const thumb = '\u{1F44D}\u{1F3FD}';
    const rtl = '\u202Eтекст\u202C';
    const combining = 'e\u0301';
    const text = `Сколько стоит доставка по Москве? ${family} ${thumb} ${rtl} ${combining} \ud83d конец`;
    const ticket = t.stack.sim.openTicket(slug, { customerId: customer(3), title: 'Доставка', text });
    await t.stack.sim.waitForDispatches();
    await t.observe.waitSettled(t.stack.sim, ticket.id);
    const first = (await eventsOf(ticket.id)).find((e) => e.payload?.authorId === customer(3));
    const stored = String(first?.payload?.messageHtml);
    for (const part of [family, thumb, rtl, combining]) expect(stored).toContain(part);
    // PostgreSQL cannot hold a lone surrogate: it is replaced, never a reason to drop the message.
    expect(stored).toContain('\uFFFD конец');
    expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(stored)).toBe(false);
    expect(botPosts(t.stack, ticket.id)).toHaveLength(1);
    expect(await t.observe.sentReplies(ticket.id)).toBe(1);
  }, 90_000);

  it('Q1 a webhook naming a ticket HDE does not have (404: deleted, merged away, or never there) ends ticket_gone at once: not retried, nothing sent', async () => {
    // No text and no author: classify must read the ticket's post from HDE, which answers 404.
    const body = JSON.stringify({ ticket_id: '990500', customer_id: String(customer(4)) });
    const res = await fetch(t.stack.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(res.status).toBe(200);
    const { event_id: eventId } = (await res.json()) as { event_id: string };
    const event = await waitFor(
      async () => {
        const { rows } = await t.pg.query<{ outcome: string | null; failures: number }>(
          'SELECT outcome, failures FROM webhook_events WHERE id = $1 AND processed_at IS NOT NULL',
          [eventId],
        );
        return rows[0];
      },
      { what: 'the event to be processed', timeoutMs: 60_000 },
    );
    // Shown in the webhook log with its outcome; no failure counted, no retry.
    expect(event).toMatchObject({ outcome: 'ticket_gone', failures: 0 });
    const reads = t.stack.sim.apiLog(slug).filter((e) => e.path.startsWith('/tickets/990500'));
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((e) => e.status === 404)).toBe(true);
    // Nothing was planned for HDE (the ticket does not exist there to post in).
    const sends = await t.pg.query('SELECT 1 FROM send_ledger WHERE integration_id = $1 AND ticket_id = 990500', [t.stack.integrationId]);
    expect(sends.rows).toHaveLength(0);
  }, 90_000);

  it('accepts a form-urlencoded webhook and answers it', async () => {
    t.stack.sim.setDispatcher(slug, { url: t.stack.webhookUrl, format: 'form' });
    const ticket = t.stack.sim.openTicket(slug, { customerId: customer(1), title: 'Оплата', text: 'Какие способы оплаты у вас есть?' });
    await t.stack.sim.waitForDispatches();
    const dispatched = t.stack.sim.dispatchLog(slug).find((d) => d.ticketId === ticket.id && d.event === 'ticket_created');
    expect(dispatched?.contentType).toBe('application/x-www-form-urlencoded');
    expect(dispatched?.status).toBe(200);

    await t.observe.waitSettled(t.stack.sim, ticket.id);
    const first = (await eventsOf(ticket.id)).find((e) => e.payload?.authorId === customer(1));
    expect(first?.parse_status).toBe('ok');
    expect(botPosts(t.stack, ticket.id)).toHaveLength(1);
  }, 90_000);

  it('R4 duplicate storm: 200 identical webhooks at once → all 2xx, one event, exactly one reply', async () => {
    // Let HDE's own attempt fail so that only our copies reach the ingress.
    t.stack.sim.setDispatcher(slug, { url: 'http://127.0.0.1:1/unreachable' });
    const ticket = t.stack.sim.openTicket(slug, {
      customerId: customer(2),
      title: 'Гарантия',
      text: 'Сколько действует гарантия на смартфон?',
    });
    await t.stack.sim.waitForDispatches();
    const original = t.stack.sim.dispatchLog(slug).find((d) => d.ticketId === ticket.id && d.event === 'ticket_created');
    expect(original).toBeDefined();
    expect(original!.status).toBeNull();
    // The bot's reply fires the dispatcher as usual.
    t.stack.sim.setDispatcher(slug, { url: t.stack.webhookUrl });

    const answers = await Promise.all(
      Array.from({ length: 200 }, async () => {
        const res = await fetch(t.stack.webhookUrl, {
          method: 'POST',
          headers: { 'content-type': original!.contentType },
          body: original!.body,
        });
        return { status: res.status, body: (await res.json()) as { event_id: string; status: string } };
      }),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(200).fill(200));
    expect(new Set(answers.map((a) => a.body.event_id)).size).toBe(1);
    expect(answers.filter((a) => a.body.status === 'accepted')).toHaveLength(1);

    await t.observe.waitSettled(t.stack.sim, ticket.id);
    expect(botPosts(t.stack, ticket.id)).toHaveLength(1);
    expect(await t.observe.sentReplies(ticket.id)).toBe(1);
    const customerEvents = (await eventsOf(ticket.id)).filter((e) => e.payload?.authorId === customer(2));
    expect(customerEvents).toHaveLength(1);
  }, 90_000);
});
