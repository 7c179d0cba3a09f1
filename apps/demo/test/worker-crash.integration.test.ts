import { waitFor } from '@repo/testing';
import { botPosts, startTestStack, type TestStack } from './helpers';

type LedgerRow = { id: string; state: string; attempts: number; hde_ref: string | null };

// The worker is killed while HDE holds the reply POST open: the next worker reconciles through the
// send ledger and the customer gets exactly one reply, whether the POST landed or not. Stopped
// gracefully instead, it finishes the job in flight and takes no new one.
describe('worker killed mid-deliver', () => {
  let t: TestStack;

  beforeAll(async () => {
    t = await startTestStack({
      label: 'crash',
      // Short HDE timeout so a `sending` row left by a dead worker is reconciled soon; short locks so
      // BullMQ hands the dead worker's job to the next one quickly.
      workerEnv: { HDE_TIMEOUT_MS: '2000', JOB_LOCK_MS: '1500', STALLED_INTERVAL_MS: '500' },
    });
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  }, 60_000);

  async function replyRows(ticketId: number): Promise<LedgerRow[]> {
    const { rows } = await t.pg.query<LedgerRow>(
      `SELECT id::text, state, attempts, hde_ref FROM send_ledger WHERE integration_id = $1 AND ticket_id = $2 AND kind = 'reply' ORDER BY id`,
      [t.stack.integrationId, ticketId],
    );
    return rows;
  }

  async function crashDuringReply(customer: number, title: string, text: string, commit: boolean) {
    const { stack } = t;
    const slug = stack.account.slug;
    if (!stack.worker) await stack.startWorker();
    stack.sim.clearFaults(slug);
    stack.sim.injectFault(slug, { method: 'POST', path: '/tickets/:id/posts/', kind: 'hang', commit, times: 1 });
    const ticket = stack.sim.openTicket(slug, { customerId: stack.people.customers[customer]!.id, title, text });
    const sending = await waitFor(async () => (await replyRows(ticket.id)).find((r) => r.state === 'sending'), {
      what: 'the reply to be in flight',
      timeoutMs: 30_000,
      intervalMs: 20,
    });
    // The POST has reached HDE and hangs there (and, with `commit`, the post exists).
    await waitFor(
      () =>
        stack.sim
          .apiLog(slug)
          .some((e) => e.method === 'POST' && e.path.replace(/\/$/, '') === `/tickets/${ticket.id}/posts` && e.fault === 'hang'),
      { what: 'the reply POST to hang in HDE', timeoutMs: 30_000, intervalMs: 20 },
    );
    await stack.stopWorker('SIGKILL');
    // The premise of the test: the worker died while the call was in flight.
    expect((await replyRows(ticket.id)).find((r) => r.id === sending.id)?.state).toBe('sending');
    expect(botPosts(stack, ticket.id)).toHaveLength(commit ? 1 : 0);

    await stack.startWorker();
    await waitFor(
      async () => (await replyRows(ticket.id)).every((r) => r.state !== 'sending' && r.state !== 'ambiguous' && r.state !== 'planned'),
      {
        what: 'the reply to be reconciled',
        timeoutMs: 60_000,
      },
    );
    await t.observe.waitSettled(stack.sim, ticket.id, 60_000);
    return { ticketId: ticket.id, rows: await replyRows(ticket.id) };
  }

  it('R1 worker killed -9 after HDE accepted the reply: reconciled, exactly one post', async () => {
    const { ticketId, rows } = await crashDuringReply(0, 'Доставка', 'Сколько стоит доставка по Москве и за сколько дней привезёте?', true);
    const posts = botPosts(t.stack, ticketId);
    expect(posts).toHaveLength(1);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.state).toBe('sent');
    expect(rows[0]!.hde_ref).toBe(String(posts[0]!.id));
  }, 120_000);

  it('R9 worker SIGTERM while a reply POST is in flight: the job finishes, no new job is taken, exactly one post each', async () => {
    const { stack } = t;
    const slug = stack.account.slug;
    if (!stack.worker) await stack.startWorker();
    stack.sim.clearFaults(slug);
    // HDE answers the reply POST after 1.5 s (it lands); the worker is told to stop meanwhile.
    stack.sim.injectFault(slug, { method: 'POST', path: '/tickets/:id/posts/', kind: 'latency', ms: 1500, times: 1 });
    const first = stack.sim.openTicket(slug, {
      customerId: stack.people.customers[4]!.id,
      title: 'Гарантия',
      text: 'Сколько действует гарантия на смартфон?',
    });
    await waitFor(async () => (await replyRows(first.id)).some((r) => r.state === 'sending'), {
      what: 'the reply to be in flight',
      timeoutMs: 30_000,
      intervalMs: 20,
    });
    const worker = stack.worker!;
    const stopped = stack.stopWorker('SIGTERM');
    // A message that arrives while the worker drains waits for the next worker.
    const second = stack.sim.openTicket(slug, {
      customerId: stack.people.customers[5]!.id,
      title: 'Доставка',
      text: 'Сколько стоит доставка по Москве?',
    });
    await stopped;
    expect(worker.child.exitCode).toBe(0);
    expect(worker.output()).toContain('Shut down');
    // The job in flight was finished before the worker exited: its reply is posted and recorded.
    expect(botPosts(stack, first.id)).toHaveLength(1);
    expect((await replyRows(first.id)).map((r) => r.state)).toEqual(['sent']);
    await stack.sim.waitForDispatches();
    expect(await replyRows(second.id)).toHaveLength(0);
    expect(botPosts(stack, second.id)).toHaveLength(0);

    await stack.startWorker();
    await waitFor(async () => (await t.observe.sentReplies(second.id)) >= 1, { what: 'the next worker to answer', timeoutMs: 60_000 });
    await t.observe.waitSettled(stack.sim, second.id, 60_000);
    expect(botPosts(stack, second.id)).toHaveLength(1);
    expect(botPosts(stack, first.id)).toHaveLength(1);
  }, 120_000);

  it('R1 worker killed -9 before the reply landed: sent once more, exactly one post', async () => {
    const { ticketId, rows } = await crashDuringReply(3, 'Оплата', 'Какие способы оплаты у вас есть?', false);
    const posts = botPosts(t.stack, ticketId);
    expect(posts).toHaveLength(1);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.state).toBe('sent');
    expect(rows[0]!.attempts).toBe(2);
    expect(rows[0]!.hde_ref).toBe(String(posts[0]!.id));
  }, 120_000);
});
