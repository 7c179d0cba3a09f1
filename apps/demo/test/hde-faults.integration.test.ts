import Redis from 'ioredis';
import type { ApiLogEntry, FaultSpec } from '@repo/hde-sim';
import { waitFor } from '@repo/testing';
import { botPosts, startTestStack, type TestStack } from './helpers';

type LedgerRow = { id: string; state: string; attempts: number; hde_ref: string | null; error: string | null };

const REPLY_PATH = '/tickets/:id/posts/';
const QUESTIONS = [
  'Сколько стоит доставка по Москве и за сколько дней привезёте?',
  'Какие способы оплаты у вас есть?',
  'Сколько действует гарантия на смартфон?',
  'Как вернуть товар, если он не подошёл?',
  'Как отследить мой заказ?',
];

// HDE misbehaves on the calls the bot makes (the simulator's injected faults); the worker keeps
// running. Whatever the fault, the customer gets exactly one reply, the ticket settles and the
// reply's send_ledger row ends `sent`. (The worker killed mid-call is worker-crash's subject.)
describe('HDE faults', () => {
  let t: TestStack;
  let redis: Redis;
  let n = 0;

  beforeAll(async () => {
    t = await startTestStack({
      label: 'faults',
      // A short HDE timeout so hanging and trickling calls end soon; a short ban so the ban case
      // ends: 4 s in the simulator, and the worker's pause when HDE does not say how long.
      workerEnv: { HDE_TIMEOUT_MS: '2000', HDE_BAN_PAUSE_MS: '3000' },
      account: { banSeconds: 4 },
    });
    redis = new Redis(t.redisUrl);
  }, 120_000);

  afterAll(async () => {
    redis?.disconnect();
    await t?.close();
  }, 60_000);

  beforeEach(() => {
    t.stack.sim.clearFaults(t.stack.account.slug);
    t.stack.sim.setDispatcher(t.stack.account.slug, { url: t.stack.webhookUrl });
  });

  async function replyRows(ticketId: number): Promise<LedgerRow[]> {
    const { rows } = await t.pg.query<LedgerRow>(
      `SELECT id::text, state, attempts, hde_ref, error FROM send_ledger WHERE integration_id = $1 AND ticket_id = $2 AND kind = 'reply' ORDER BY id`,
      [t.stack.integrationId, ticketId],
    );
    return rows;
  }

  /** The simulator's log of the reply POSTs to a ticket, oldest first. */
  function replyPosts(ticketId: number): ApiLogEntry[] {
    return t.stack.sim
      .apiLog(t.stack.account.slug)
      .filter((e) => e.method === 'POST' && e.path.replace(/\/$/, '') === `/tickets/${ticketId}/posts`);
  }

  /** A new ticket from the next customer with the next question. */
  function openTicket(title: string) {
    const i = n++;
    const { stack } = t;
    return stack.sim.openTicket(stack.account.slug, {
      customerId: stack.people.customers[i % stack.people.customers.length]!.id,
      title,
      text: QUESTIONS[i % QUESTIONS.length]!,
    });
  }

  /** Waits until the ticket's reply is no longer in flight and the ticket has settled. */
  async function settle(ticketId: number): Promise<LedgerRow[]> {
    await waitFor(
      async () => {
        const rows = await replyRows(ticketId);
        return rows.length > 0 && rows.every((r) => r.state === 'sent' || r.state === 'quarantined' || r.state === 'failed');
      },
      { what: `the reply of ticket ${ticketId} to be settled in the ledger`, timeoutMs: 90_000 },
    );
    await t.observe.waitSettled(t.stack.sim, ticketId, 90_000);
    return replyRows(ticketId);
  }

  /** One bot post, one `sent` ledger row pointing at it. */
  async function expectOneReply(ticketId: number): Promise<LedgerRow> {
    const rows = await settle(ticketId);
    const posts = botPosts(t.stack, ticketId);
    expect(posts).toHaveLength(1);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.state).toBe('sent');
    expect(rows[0]!.hde_ref).toBe(String(posts[0]!.id));
    expect(await t.observe.sentReplies(ticketId)).toBe(1);
    return rows[0]!;
  }

  /** Opens a ticket with one fault on the bot's reply POST and returns the ticket id once it settled. */
  async function replyWithFault(title: string, fault: Omit<FaultSpec, 'path' | 'method' | 'times'>) {
    t.stack.sim.injectFault(t.stack.account.slug, { method: 'POST', path: REPLY_PATH, times: 1, ...fault });
    const ticket = openTicket(title);
    const row = await expectOneReply(ticket.id);
    const posts = replyPosts(ticket.id);
    // The premise: the fault did hit the reply POST.
    expect(posts[0]?.fault).toBe(fault.kind);
    return { ticketId: ticket.id, row, posts };
  }

  describe.each([true, false])('reply POST with commit %s', (commit) => {
    // A landed call is reconciled by reading the posts (one POST); a lost one is sent once more.
    const sends = commit ? 1 : 2;

    it('R8 reply POST hangs past HDE_TIMEOUT_MS: exactly one post', async () => {
      const { row, posts } = await replyWithFault('Hang', { kind: 'hang', commit });
      expect(posts).toHaveLength(sends);
      expect(row.attempts).toBe(sends);
    }, 120_000);

    it.each([500, 502])(
      'answers %i',
      async (status) => {
        const { row, posts } = await replyWithFault(`Status ${status}`, { kind: 'status', status, commit });
        expect(posts[0]!.status).toBe(status);
        expect(posts).toHaveLength(sends);
        expect(row.attempts).toBe(sends);
      },
      120_000,
    );

    it('R8 reply POST reset after the body was read: exactly one post', async () => {
      const { row, posts } = await replyWithFault('Reset', { kind: 'reset_after_body', commit });
      expect(posts[0]!.status).toBe(0);
      expect(posts).toHaveLength(sends);
      expect(row.attempts).toBe(sends);
    }, 120_000);
  });

  it('R8 slow trickle answer longer than HDE_TIMEOUT_MS: reconciled, exactly one post', async () => {
    // The post is created at once; its answer takes 8 s to arrive, so the client gives up mid-body.
    const { row, posts } = await replyWithFault('Trickle', { kind: 'trickle', ms: 8000 });
    expect(posts).toHaveLength(1);
    expect(row.attempts).toBe(1);
  }, 120_000);

  it('R8 429 with Retry-After: the reply waits, then exactly one post', async () => {
    const { row, posts } = await replyWithFault('429', { kind: 'status', status: 429, ms: 2000 });
    expect(posts.map((p) => p.status)).toEqual([429, 200]);
    // 429 means the call was refused: it did not count as a send, so the row shows one.
    expect(row.attempts).toBe(1);
  }, 120_000);

  it('R8 GET answered 500: retried, exactly one reply (the worker reads the posts for a webhook without the message)', async () => {
    const { stack } = t;
    const slug = stack.account.slug;
    // HDE's own webhook goes nowhere; we deliver a copy without `message` ourselves.
    stack.sim.setDispatcher(slug, { url: 'http://127.0.0.1:1/unreachable' });
    const ticket = openTicket('Без текста');
    await stack.sim.waitForDispatches();
    const original = stack.sim.dispatchLog(slug).find((d) => d.ticketId === ticket.id && d.event === 'ticket_created');
    expect(original?.status).toBeNull();
    stack.sim.setDispatcher(slug, { url: stack.webhookUrl });
    stack.sim.injectFault(slug, { method: 'GET', path: REPLY_PATH, kind: 'status', status: 500, times: 1 });

    const body = JSON.parse(original!.body) as Record<string, string>;
    delete body.message;
    const res = await fetch(stack.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);

    await expectOneReply(ticket.id);
    const reads = stack.sim.apiLog(slug).filter((e) => e.method === 'GET' && e.path.replace(/\/$/, '') === `/tickets/${ticket.id}/posts`);
    // The first read failed with 500 and the client read again.
    expect(reads[0]).toMatchObject({ status: 500, fault: 'status' });
    expect(reads[1]).toMatchObject({ status: 200, fault: null });
    // The message the worker answered is the customer's text it read from HDE.
    const { rows } = await t.pg.query<{ html: string | null }>(
      `SELECT m.html FROM messages m JOIN dialogs d ON d.id = m.dialog_id WHERE d.integration_id = $1 AND d.ticket_id = $2 AND m.author_kind = 'customer'`,
      [stack.integrationId, ticket.id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.html).toContain(stack.sim.posts(slug, ticket.id)[0]!.text);
  }, 120_000);

  it('R8 ban: the account pauses, the reply waits, exactly one post after the ban', async () => {
    const { stack } = t;
    const slug = stack.account.slug;
    stack.sim.injectFault(slug, { method: 'POST', path: REPLY_PATH, kind: 'ban', times: 1 });
    const ticket = openTicket('Бан');
    // While banned the account is paused in Redis and the reply waits in the ledger, not failed.
    const pauseKey = `{${t.redisPrefix}}:hde-pause:*`;
    await waitFor(async () => (await redis.keys(pauseKey)).length > 0, {
      what: 'the account to be paused',
      timeoutMs: 60_000,
      intervalMs: 50,
    });
    const during = await replyRows(ticket.id);
    expect(during).toHaveLength(1);
    expect(['planned', 'sending', 'sent']).toContain(during[0]!.state);

    const row = await expectOneReply(ticket.id);
    const posts = replyPosts(ticket.id);
    expect(posts[0]).toMatchObject({ status: 403, fault: 'ban' });
    expect(posts.at(-1)!.status).toBe(200);
    // Refused calls (the ban, our own pause) are not sends: one send, the one that landed.
    expect(row.attempts).toBe(1);
  }, 120_000);

  it('R8 after the faults: answered normally, exactly one post', async () => {
    const ticket = openTicket('Без сбоев');
    const row = await expectOneReply(ticket.id);
    expect(row.attempts).toBe(1);
    expect(replyPosts(ticket.id)).toHaveLength(1);
  }, 120_000);
});
