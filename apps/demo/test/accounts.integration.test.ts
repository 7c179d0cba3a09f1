import { waitFor } from '@repo/testing';
import { createObserver, type Observer } from '../src/observe';
import { addAccount, type ExtraAccount } from '../src/stack';
import { startTestStack, type TestStack } from './helpers';

type LedgerRow = { state: string; attempts: number; hde_ref: string | null };

const REPLY_PATH = '/tickets/:id/posts/';

// Three HDE accounts served by one worker. One of them is banned by HDE: it is paused and waits,
// while the other two are answered; when its ban is over it gets its one reply too.
describe('three accounts, one banned', () => {
  let t: TestStack;
  let others: Array<ExtraAccount & { observe: Observer }>;

  beforeAll(async () => {
    t = await startTestStack({
      label: 'accounts',
      // The demo account's ban lasts 3 s in the simulator; the worker pauses 2 s when HDE does not say.
      account: { banSeconds: 3 },
      workerEnv: { HDE_BAN_PAUSE_MS: '2000' },
    });
    others = [];
    for (const slug of ['north', 'south']) {
      const extra = await addAccount(t.stack, { slug });
      others.push({ ...extra, observe: createObserver(t.databaseUrl, extra.integrationId) });
    }
  }, 180_000);

  afterAll(async () => {
    for (const o of others ?? []) await o.observe.close().catch(() => undefined);
    await t?.close();
  }, 60_000);

  async function replyRows(integrationId: string, ticketId: number): Promise<LedgerRow[]> {
    const { rows } = await t.pg.query<LedgerRow>(
      `SELECT state, attempts, hde_ref FROM send_ledger WHERE integration_id = $1 AND ticket_id = $2 AND kind = 'reply' ORDER BY id`,
      [integrationId, ticketId],
    );
    return rows;
  }

  function botPostsOf(slug: string, botUserId: number, ticketId: number) {
    return t.stack.sim.posts(slug, ticketId).filter((p) => p.user_id === botUserId);
  }

  it('R12 tenant isolation: the same ticket id in two accounts is answered exactly once in each, with its own key', async () => {
    const { stack } = t;
    const [north, south] = others as [ExtraAccount & { observe: Observer }, ExtraAccount & { observe: Observer }];
    const text = 'Какие способы оплаты у вас есть?';
    const tickets = [north, south].map((o) =>
      stack.sim.openTicket(o.account.slug, { customerId: o.people.customers[1]!.id, title: 'Оплата', text }),
    );
    // The premise: each account numbers its own tickets, so both have the same id.
    expect(tickets[0]!.id).toBe(tickets[1]!.id);
    for (const [i, o] of [north, south].entries()) {
      const ticketId = tickets[i]!.id;
      await waitFor(async () => (await o.observe.sentReplies(ticketId)) >= 1, {
        what: `the reply on ${o.account.slug}`,
        timeoutMs: 60_000,
      });
      await o.observe.waitSettled(stack.sim, ticketId, 60_000);
      expect(botPostsOf(o.account.slug, o.botUserId, ticketId)).toHaveLength(1);
      expect(await o.observe.sentReplies(ticketId)).toBe(1);
      // Every call that reached this account was made with its own bot's key.
      const users = new Set(stack.sim.apiLog(o.account.slug).map((e) => e.userId));
      expect([...users].filter((u) => u !== null)).toEqual([o.botUserId]);
    }
  }, 180_000);

  it('answers the other accounts while the banned one waits, then answers it once', async () => {
    const { stack } = t;
    const banned = { slug: stack.account.slug, integrationId: stack.integrationId, botUserId: stack.botUserId, observe: t.observe };
    // Every reply POST of the banned account bans it again until the fault is cleared.
    stack.sim.injectFault(banned.slug, { method: 'POST', path: REPLY_PATH, kind: 'ban' });

    const text = 'Сколько стоит доставка по Москве и за сколько дней привезёте?';
    const bannedTicket = stack.sim.openTicket(banned.slug, { customerId: stack.people.customers[0]!.id, title: 'Доставка', text });
    const answered = others.map((o) => ({
      o,
      ticket: stack.sim.openTicket(o.account.slug, { customerId: o.people.customers[0]!.id, title: 'Доставка', text }),
    }));

    for (const { o, ticket } of answered) {
      await waitFor(async () => (await o.observe.sentReplies(ticket.id)) >= 1, {
        what: `the reply on ${o.account.slug}`,
        timeoutMs: 60_000,
      });
      await o.observe.waitSettled(stack.sim, ticket.id, 60_000);
      expect(botPostsOf(o.account.slug, o.botUserId, ticket.id)).toHaveLength(1);
      expect(await o.observe.sentReplies(ticket.id)).toBe(1);
      expect(stack.sim.apiLog(o.account.slug).filter((e) => e.status === 403)).toHaveLength(0);
    }

    // Meanwhile the banned account has been refused and its reply waits in the ledger, not failed.
    await waitFor(() => stack.sim.apiLog(banned.slug).some((e) => e.method === 'POST' && e.fault === 'ban'), {
      what: 'the ban',
      timeoutMs: 60_000,
    });
    expect(botPostsOf(banned.slug, banned.botUserId, bannedTicket.id)).toHaveLength(0);
    const waiting = await replyRows(banned.integrationId, bannedTicket.id);
    expect(waiting).toHaveLength(1);
    expect(['planned', 'sending']).toContain(waiting[0]!.state);
    expect(await banned.observe.settled(bannedTicket.id)).toBe(false);

    // HDE lets the account back in after its ban: exactly one reply.
    stack.sim.clearFaults(banned.slug);
    await waitFor(async () => (await banned.observe.sentReplies(bannedTicket.id)) >= 1, {
      what: 'the banned account to be answered',
      timeoutMs: 90_000,
    });
    await banned.observe.waitSettled(stack.sim, bannedTicket.id, 60_000);
    const posts = botPostsOf(banned.slug, banned.botUserId, bannedTicket.id);
    expect(posts).toHaveLength(1);
    const rows = await replyRows(banned.integrationId, bannedTicket.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ state: 'sent', attempts: 1, hde_ref: String(posts[0]!.id) });
    for (const { o, ticket } of answered) expect(botPostsOf(o.account.slug, o.botUserId, ticket.id)).toHaveLength(1);
  }, 180_000);
});
