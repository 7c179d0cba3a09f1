import { SEED_DISPATCH_TEMPLATE, type AccountVariant, type ApiLogEntry } from '@repo/hde-sim';
import { QUEUES, bullPrefix } from '@repo/queue';
import { waitFor } from '@repo/testing';
import { Queue } from 'bullmq';
import { setIntegrationSetting, startTestStack, type TestStack } from './helpers';

type LedgerRow = { kind: string; state: string; attempts: number; hde_ref: string | null; error: string | null };

/**
 * Agents change tickets under the bot while it works on them, in ways HDE's documentation says
 * nothing about, each played by the simulator as a guess: a ticket deleted (spam), a ticket merged
 * into the customer's other ticket («объединение заявок»), a post deleted (the customer's message,
 * or the bot's own reply). Whatever happens, every customer message gets at most one reply, in its
 * own ticket; a message that cannot be handled ends visibly failed or ignored with a reason, never
 * stuck; and nothing retries a ticket HDE no longer has.
 */
describe('tickets and posts removed by agents while the bot works', () => {
  let t: TestStack;

  beforeAll(async () => {
    t = await startTestStack({
      label: 'removal',
      workerEnv: {
        // Long enough to delete or merge a ticket between its webhook and the turn.
        TURN_DEBOUNCE_MS: '1500',
        // A lost reply is read back from HDE soon (HDE_TIMEOUT_MS + 7 s after it began).
        HDE_TIMEOUT_MS: '2000',
        // The sweep races everything: it lists recently updated tickets every second.
        SWEEP_INTERVAL_MS: '1000',
        SWEEP_GRACE_MS: '0',
      },
    });
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  }, 60_000);

  beforeEach(() => {
    t.stack.sim.clearFaults(t.stack.account.slug);
    t.stack.sim.setDispatcher(t.stack.account.slug, { url: t.stack.webhookUrl });
    t.stack.sim.setVariant(t.stack.account.slug, { mergedTicket: 'gone', apiPostDispatch: 'fires' });
  });

  const slug = () => t.stack.account.slug;
  const customer = (i: number) => t.stack.people.customers[i]!.id;

  /** Every post the bot account made, on any ticket (a deleted ticket's are gone with it). */
  function botPostsAnywhere(): ApiLogEntry[] {
    return t.stack.sim.apiLog(slug()).filter((e) => e.method === 'POST' && /^\/tickets\/\d+\/(posts|comments)\/?$/.test(e.path));
  }

  /** The API requests made on one ticket's own routes since `since` (epoch ms). */
  function requestsOn(ticketId: number, since: number): ApiLogEntry[] {
    return t.stack.sim
      .apiLog(slug())
      .filter((e) => e.at >= since && (e.path.startsWith(`/tickets/${ticketId}/`) || e.path === `/tickets/${ticketId}`));
  }

  /**
   * The requests made on a removed ticket since `since`: the one that told the bot it is gone (the
   * post, or the read before it), and a second one only when the job ran twice at once (a lock
   * renewal late on a loaded machine, or the sweep's redrive racing a finished job): all answered
   * 404, never a retry loop, never a write that succeeded.
   */
  function expectToldGone(ticketId: number, since: number): void {
    const statuses = requestsOn(ticketId, since).map((e) => e.status);
    expect(statuses.length).toBeGreaterThanOrEqual(1);
    expect(statuses.length).toBeLessThanOrEqual(2);
    expect(statuses.every((status) => status === 404)).toBe(true);
  }

  /** The bot's public replies on a ticket, as HDE holds them. */
  function botReplies(ticketId: number) {
    return t.stack.sim.posts(slug(), ticketId).filter((p) => p.user_id === t.stack.botUserId);
  }

  /** Whether the ticket's events are processed and, if it has a dialog, no turn is running or waiting. */
  async function settled(ticketId: number): Promise<boolean> {
    const events = await t.pg.query<{ open: number }>(
      'SELECT count(*)::int AS open FROM webhook_events WHERE integration_id = $1 AND ticket_id = $2 AND processed_at IS NULL',
      [t.stack.integrationId, ticketId],
    );
    if (events.rows[0]!.open > 0) return false;
    const dialog = await t.pg.query<{ active_turn_id: string | null; waiting: number }>(
      `SELECT d.active_turn_id, (SELECT count(*)::int FROM messages m WHERE m.dialog_id = d.id AND m.status IN ('pending','in_turn')) AS waiting
         FROM dialogs d WHERE d.integration_id = $1 AND d.ticket_id = $2`,
      [t.stack.integrationId, ticketId],
    );
    const row = dialog.rows[0];
    return row === undefined || (row.active_turn_id === null && row.waiting === 0);
  }

  async function waitSettled(ticketId: number): Promise<void> {
    for (let i = 0; i < 2; i += 1) {
      await t.stack.sim.waitForDispatches();
      await waitFor(() => settled(ticketId), { what: `ticket ${ticketId} to settle`, timeoutMs: 60_000 });
      // A stage marks its event processed before BullMQ moves the job to completed: wait out that
      // step, so `jobsInFlight` afterwards counts only what is still to run (a retry, a next stage).
      await waitFor(async () => (await jobCounts(['active'])) === 0, { what: 'running jobs to finish', timeoutMs: 30_000 });
    }
  }

  /** How many jobs of the pipeline's stages are in the given states. */
  async function jobCounts(states: Array<'waiting' | 'delayed' | 'active' | 'prioritized' | 'waiting-children'>): Promise<number> {
    let n = 0;
    for (const spec of [QUEUES.classify, QUEUES.retrieve, QUEUES.decide, QUEUES.deliver]) {
      const queue = new Queue(spec.name, { connection: { url: t.redisUrl }, prefix: bullPrefix(t.redisPrefix) });
      try {
        const counts = await queue.getJobCounts(...states);
        n += Object.values(counts).reduce((a, b) => a + b, 0);
      } finally {
        await queue.close();
      }
    }
    return n;
  }

  /** Jobs of the pipeline's stages still to run (waiting, delayed for a retry, or running). */
  function jobsInFlight(): Promise<number> {
    return jobCounts(['waiting', 'delayed', 'active', 'prioritized', 'waiting-children']);
  }

  /** The statuses of a ticket's customer messages, oldest first. */
  async function customerMessages(ticketId: number): Promise<Array<{ status: string; html: string | null }>> {
    const { rows } = await t.pg.query<{ status: string; html: string | null }>(
      `SELECT m.status, m.html FROM messages m JOIN dialogs d ON d.id = m.dialog_id
        WHERE d.integration_id = $1 AND d.ticket_id = $2 AND m.author_kind = 'customer' ORDER BY m.id`,
      [t.stack.integrationId, ticketId],
    );
    return rows;
  }

  async function eventOutcomes(ticketId: number): Promise<Array<string | null>> {
    const { rows } = await t.pg.query<{ outcome: string | null }>(
      'SELECT outcome FROM webhook_events WHERE integration_id = $1 AND ticket_id = $2 ORDER BY received_at',
      [t.stack.integrationId, ticketId],
    );
    return rows.map((r) => r.outcome);
  }

  async function ledger(ticketId: number): Promise<LedgerRow[]> {
    const { rows } = await t.pg.query<LedgerRow>(
      'SELECT kind, state, attempts, hde_ref, error FROM send_ledger WHERE integration_id = $1 AND ticket_id = $2 ORDER BY id',
      [t.stack.integrationId, ticketId],
    );
    return rows;
  }

  /** The integration's `staleAfterMs` (undefined: the default, ten minutes). */
  const staleAfter = (ms: number | undefined) => setIntegrationSetting(t, 'staleAfterMs', ms);

  /** Runs `act` while the worker is stopped, once the ticket has `events` more webhook events stored. */
  async function whileWorkerStopped(
    ticketIdOf: () => number | undefined,
    act: () => void,
    events: number,
    then: () => void,
  ): Promise<void> {
    await t.stack.stopWorker();
    try {
      act();
      await t.stack.sim.waitForDispatches();
      await waitFor(
        async () => {
          const id = ticketIdOf();
          if (id === undefined) return false;
          const { rows } = await t.pg.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM webhook_events WHERE integration_id = $1 AND ticket_id = $2 AND processed_at IS NULL',
            [t.stack.integrationId, id],
          );
          return rows[0]!.n >= events;
        },
        { what: 'the webhook to be stored' },
      );
      then();
    } finally {
      await t.stack.startWorker();
    }
  }

  describe('a ticket deleted between its webhook and the reply', () => {
    afterEach(() => staleAfter(undefined));

    it.each([
      ['the reply is posted on the webhook’s word (default staleAfterMs)', undefined],
      ['the ticket is read before the reply (staleAfterMs 0)', 0],
    ] as const)(
      '%s: the message ends failed with the reason, one request on the ticket, nothing retried, no reply elsewhere',
      async (_label, stale) => {
        await staleAfter(stale);
        const postsBefore = botPostsAnywhere().length;
        const ticket = t.stack.sim.openTicket(slug(), {
          customerId: customer(0),
          title: 'Оплата',
          text: 'Какие способы оплаты у вас есть?',
        });
        await t.stack.sim.waitForDispatches();
        // An agent deletes it as spam before the turn runs; deleting sends no webhook.
        const deletedAt = Date.now();
        t.stack.sim.deleteTicket(slug(), ticket.id);
        await waitSettled(ticket.id);

        expect(await customerMessages(ticket.id)).toEqual([{ status: 'failed', html: expect.any(String) }]);
        const decision = (await t.observe.decisions(ticket.id)).at(-1);
        expect(decision?.result).toMatchObject({ skipped: 'ticket_gone', messageStatus: 'failed' });
        expectToldGone(ticket.id, deletedAt);
        expect(await jobsInFlight()).toBe(0);
        // Nothing was posted anywhere else instead.
        expect(
          botPostsAnywhere()
            .slice(postsBefore)
            .every((e) => e.path.startsWith(`/tickets/${ticket.id}/`)),
        ).toBe(true);
      },
      120_000,
    );

    it('a hand-off to a deleted ticket stops at the first 404: no note or reassignment is tried on it', async () => {
      const ticket = t.stack.sim.openTicket(slug(), { customerId: customer(1), title: 'Оператор', text: 'Позовите оператора, пожалуйста' });
      await t.stack.sim.waitForDispatches();
      const deletedAt = Date.now();
      t.stack.sim.deleteTicket(slug(), ticket.id);
      await waitSettled(ticket.id);
      const decision = (await t.observe.decisions(ticket.id)).at(-1);
      expect(decision?.action).toBe('handoff');
      expect(decision?.result).toMatchObject({ skipped: 'ticket_gone', messageStatus: 'failed' });
      expectToldGone(ticket.id, deletedAt);
      const rows = await ledger(ticket.id);
      expect(rows[0]).toMatchObject({ state: 'failed' });
      expect(rows.slice(1).every((r) => r.state === 'skipped' && r.error === 'ticket_gone')).toBe(true);
      expect(await jobsInFlight()).toBe(0);
    }, 120_000);

    it('a webhook without the text, whose ticket is gone before the worker reads the post back: ignored with the reason, not retried', async () => {
      t.stack.sim.setDispatcher(slug(), { url: t.stack.webhookUrl, unexpandedTags: ['answer_last'] });
      let ticketId: number | undefined;
      await whileWorkerStopped(
        () => ticketId,
        () => {
          ticketId = t.stack.sim.openTicket(slug(), {
            customerId: customer(2),
            title: 'Оплата',
            text: 'Какие способы оплаты у вас есть?',
          }).id;
        },
        1,
        () => t.stack.sim.deleteTicket(slug(), ticketId!),
      );
      await waitSettled(ticketId!);
      expect(await eventOutcomes(ticketId!)).toEqual(['ticket_gone']);
      expectToldGone(ticketId!, 0);
      expect(await jobsInFlight()).toBe(0);
    }, 120_000);
  });

  describe("a ticket moved to HDE's trash (its default delete, where spam goes)", () => {
    afterEach(() => staleAfter(undefined));

    it('read before the reply (staleAfterMs 0): nothing is written into it, the message is ignored with the reason', async () => {
      await staleAfter(0);
      const ticket = t.stack.sim.openTicket(slug(), { customerId: customer(3), title: 'Оплата', text: 'Какие способы оплаты у вас есть?' });
      await t.stack.sim.waitForDispatches();
      const trashedAt = Date.now();
      t.stack.sim.trashTicket(slug(), ticket.id);
      await waitSettled(ticket.id);
      expect(await customerMessages(ticket.id)).toEqual([{ status: 'ignored', html: expect.any(String) }]);
      expect((await t.observe.decisions(ticket.id)).at(-1)?.result).toMatchObject({ skipped: 'ticket_trashed', messageStatus: 'ignored' });
      // The read that saw the trash (twice if the job ran twice at once), and no write.
      const seen = requestsOn(ticket.id, trashedAt);
      expect(seen.length).toBeGreaterThanOrEqual(1);
      expect(seen.every((e) => e.method === 'GET' && e.status === 200)).toBe(true);
      expect(botReplies(ticket.id)).toHaveLength(0);
      expect(await jobsInFlight()).toBe(0);
    }, 120_000);

    it('restored from the trash: the message written there was ignored, the next one is answered; a ticket still in the trash stays silent', async () => {
      await staleAfter(0);
      const restored = t.stack.sim.openTicket(slug(), {
        customerId: customer(3),
        title: 'Оплата',
        text: 'Какие способы оплаты у вас есть?',
      });
      const kept = t.stack.sim.openTicket(slug(), { customerId: customer(4), title: 'Оплата', text: 'Какие способы оплаты у вас есть?' });
      await t.stack.sim.waitForDispatches();
      t.stack.sim.trashTicket(slug(), restored.id);
      t.stack.sim.trashTicket(slug(), kept.id);
      await waitSettled(restored.id);
      await waitSettled(kept.id);
      expect(await customerMessages(restored.id)).toEqual([{ status: 'ignored', html: expect.any(String) }]);

      // A while later an agent takes one of them out of the trash; both customers write again. (A
      // ticket seen in the trash is read again at most once a minute: the reads are made older here.)
      await t.pg.query(`UPDATE dialogs SET ticket_read_at = now() - interval '2 minutes' WHERE ticket_id = ANY($1)`, [
        [restored.id, kept.id],
      ]);
      t.stack.sim.restoreTicket(slug(), restored.id);
      const restoredAt = Date.now();
      t.stack.sim.postAsCustomer(slug(), restored.id, 'Сколько стоит доставка по Москве?');
      t.stack.sim.postAsCustomer(slug(), kept.id, 'Сколько стоит доставка по Москве?');
      await t.stack.sim.waitForDispatches();
      await waitFor(async () => botReplies(restored.id).length === 1, { what: 'the restored ticket to be answered', timeoutMs: 60_000 });
      await waitSettled(restored.id);
      await waitSettled(kept.id);
      expect((await customerMessages(restored.id)).map((m) => m.status)).toEqual(['ignored', 'done']);
      expect(botReplies(restored.id)).toHaveLength(1);
      // Read again, still in the trash: the dialog stays closed for the bot.
      expect((await t.observe.decisions(kept.id)).at(-1)).toMatchObject({ action: 'ignore', reasons: ['ticket_closed'] });
      expect(botReplies(kept.id)).toHaveLength(0);
      const reads = () => requestsOn(kept.id, restoredAt).filter((e) => e.method === 'GET' && e.path === `/tickets/${kept.id}/`).length;
      const readsBefore = reads();
      expect(readsBefore).toBeGreaterThanOrEqual(1);
      // Its customer writes on within the minute: not read again for it.
      t.stack.sim.postAsCustomer(slug(), kept.id, 'Ещё вопрос: можно оплатить картой?');
      await t.stack.sim.waitForDispatches();
      await waitSettled(kept.id);
      expect(reads()).toBe(readsBefore);
      expect(botReplies(kept.id)).toHaveLength(0);
      expect(await jobsInFlight()).toBe(0);
    }, 120_000);

    it('read for a scope filter when its webhook is handled: the event ends ticket_trashed, nothing is answered', async () => {
      const sources = (list: string[]) => setIntegrationSetting(t, 'scope', { departmentIds: [], sources: list, tags: [] });
      await sources(['email']);
      try {
        let ticketId: number | undefined;
        await whileWorkerStopped(
          () => ticketId,
          () => {
            ticketId = t.stack.sim.openTicket(slug(), {
              customerId: customer(4),
              title: 'Оплата',
              text: 'Какие способы оплаты у вас есть?',
            }).id;
          },
          1,
          () => t.stack.sim.trashTicket(slug(), ticketId!),
        );
        await waitSettled(ticketId!);
        expect(await eventOutcomes(ticketId!)).toEqual(['ticket_trashed']);
        expect(botReplies(ticketId!)).toHaveLength(0);
        expect(await jobsInFlight()).toBe(0);
      } finally {
        await sources([]);
      }
    }, 120_000);

    it('a message whose webhook was lost is not answered by the sweep once the ticket is in the trash', async () => {
      t.stack.sim.setDispatcher(slug(), { url: t.stack.webhookUrl, enabled: false });
      const ticket = t.stack.sim.openTicket(slug(), { customerId: customer(3), title: 'Купите', text: 'Какие способы оплаты у вас есть?' });
      t.stack.sim.trashTicket(slug(), ticket.id);
      // A ticket beside it, not trashed, whose webhook was lost too: the sweep answers it, so it has run.
      const control = t.stack.sim.openTicket(slug(), {
        customerId: customer(4),
        title: 'Оплата',
        text: 'Какие способы оплаты у вас есть?',
      });
      await waitFor(async () => botReplies(control.id).length === 1, { what: 'the sweep to answer the other ticket', timeoutMs: 60_000 });
      await waitSettled(ticket.id);
      expect(botReplies(ticket.id)).toHaveLength(0);
      expect(await customerMessages(ticket.id)).toEqual([]);
    }, 120_000);
  });

  describe('a ticket merged into the customer’s other ticket while the bot answers it', () => {
    /**
     * The customer's first ticket, answered; then a second one, merged into the first by an agent
     * while its turn waits. Returns both ids once the second ticket's turn ended.
     */
    async function mergedDuringTurn(customerIndex: number, variant: AccountVariant['mergedTicket'], targetCustomer = customerIndex) {
      t.stack.sim.setVariant(slug(), { mergedTicket: variant });
      const into = t.stack.sim.openTicket(slug(), {
        customerId: customer(targetCustomer),
        title: 'Доставка',
        text: 'Сколько стоит доставка по Москве?',
      }).id;
      await waitSettled(into);
      expect(botReplies(into)).toHaveLength(1);
      const from = t.stack.sim.openTicket(slug(), {
        customerId: customer(customerIndex),
        title: 'Оплата',
        text: 'Какие способы оплаты у вас есть?',
      }).id;
      await t.stack.sim.waitForDispatches();
      // HDE's dates are whole seconds: the merge must fall in a later second than the target's last
      // known change, or the sweep would take the target for seen since.
      const { rows } = await t.pg.query<{ at: Date }>('SELECT updated_at AS at FROM dialogs WHERE integration_id = $1 AND ticket_id = $2', [
        t.stack.integrationId,
        into,
      ]);
      const lastSeen = Math.floor(rows[0]!.at.getTime() / 1000);
      await waitFor(() => Math.floor(Date.now() / 1000) > lastSeen, { what: 'the next second' });
      const mergedAt = Date.now();
      t.stack.sim.mergeTickets(slug(), from, into);
      await waitSettled(from);
      // The sweep has looked at the target since the merge, and found nothing to answer there.
      await waitFor(
        () => t.stack.sim.apiLog(slug()).some((e) => e.method === 'GET' && e.path === `/tickets/${into}/posts/` && e.at > mergedAt),
        { what: 'the sweep to read the merged ticket', timeoutMs: 30_000 },
      );
      await waitFor(async () => (await jobsInFlight()) === 0 && (await settled(into)), { what: 'the pipeline to be idle' });
      return { from, into, mergedAt };
    }

    it.each([
      ['gone (404)', 'gone', 'failed', 'ticket_gone'],
      ['left closed', 'closed', 'ignored', 'ticket_closed'],
    ] as const)(
      'merged ticket %s: its message is not answered again in the target, where the next message gets exactly one reply',
      async (_label, variant, status, reason) => {
        const index = variant === 'gone' ? 3 : 4;
        const { from, into, mergedAt } = await mergedDuringTurn(index, variant);
        expect(await customerMessages(from)).toEqual([{ status, html: expect.any(String) }]);
        // One request of the turn told the bot the ticket is gone or closed (a closed one is read once
        // to be sure). The sweep (every second here) reads posts only: one that listed the ticket
        // just before the merge may still read them once after it, and never again.
        const onFrom = requestsOn(from, mergedAt);
        const sweepReads = onFrom.filter((e) => e.method === 'GET' && e.path === `/tickets/${from}/posts/`);
        expect(onFrom.length - sweepReads.length).toBeLessThanOrEqual(variant === 'gone' ? 1 : 2);
        expect(sweepReads.length).toBeLessThanOrEqual(1);
        expect((await t.observe.decisions(from)).at(-1)?.result).toMatchObject({ skipped: reason });
        // The merged question sits in the target ticket, unanswered by the bot, and unknown to its dialog.
        expect(t.stack.sim.posts(slug(), into).map((p) => p.text)).toContain('Какие способы оплаты у вас есть?');
        expect(botReplies(into)).toHaveLength(1);
        expect((await customerMessages(into)).map((m) => m.html)).toEqual(['Сколько стоит доставка по Москве?']);

        // The customer writes again in the target ticket: one reply, and the dialog goes on.
        t.stack.sim.postAsCustomer(slug(), into, 'Как отследить мой заказ?');
        await waitSettled(into);
        expect(botReplies(into)).toHaveLength(2);
        expect(await customerMessages(into)).toEqual([
          { status: 'done', html: 'Сколько стоит доставка по Москве?' },
          { status: 'done', html: 'Как отследить мой заказ?' },
        ]);
        expect(await jobsInFlight()).toBe(0);
      },
      150_000,
    );

    it("merged into another customer's ticket: nothing of the merged dialog is posted there", async () => {
      const { into } = await mergedDuringTurn(5, 'gone', 6);
      expect(botReplies(into)).toHaveLength(1);
      expect((await customerMessages(into)).map((m) => m.html)).toEqual(['Сколько стоит доставка по Москве?']);
    }, 150_000);
  });

  describe("the bot's reply deleted by an agent before the bot learnt it had landed", () => {
    /**
     * The reply's POST lands but its answer is lost (the connection reset); an agent deletes the
     * post before the worker reads the ticket back. Returns the ticket id once it settled.
     */
    async function deletedBeforeReadBack(customerIndex: number): Promise<number> {
      t.stack.sim.injectFault(slug(), { method: 'POST', path: '/tickets/:id/posts/', kind: 'reset_after_body', times: 1 });
      const ticket = t.stack.sim.openTicket(slug(), {
        customerId: customer(customerIndex),
        title: 'Оплата',
        text: 'Какие способы оплаты у вас есть?',
      });
      const landed = await waitFor(() => botReplies(ticket.id)[0], { what: 'the reply to land', timeoutMs: 30_000 });
      t.stack.sim.deletePost(slug(), ticket.id, landed.id);
      await waitFor(async () => (await ledger(ticket.id)).every((r) => ['sent', 'failed', 'quarantined', 'skipped'].includes(r.state)), {
        what: 'the reply to settle in the ledger',
        timeoutMs: 60_000,
      });
      await waitSettled(ticket.id);
      expect(t.stack.sim.faultHits(slug()).reset_after_body).toBeGreaterThan(0);
      return ticket.id;
    }

    it('its webhook came back: the reply counts as sent and is not posted again', async () => {
      const ticketId = await deletedBeforeReadBack(7);
      expect(botReplies(ticketId)).toHaveLength(0);
      const rows = await ledger(ticketId);
      expect(rows).toEqual([expect.objectContaining({ kind: 'reply', state: 'sent', attempts: 1 })]);
      expect(await customerMessages(ticketId)).toEqual([{ status: 'done', html: expect.any(String) }]);
    }, 120_000);

    it('on an account that sends no webhook for API replies nothing tells it from a lost post: it is posted once more', async () => {
      t.stack.sim.setVariant(slug(), { apiPostDispatch: 'silent' });
      const ticketId = await deletedBeforeReadBack(0);
      expect(botReplies(ticketId)).toHaveLength(1);
      expect(await ledger(ticketId)).toEqual([expect.objectContaining({ kind: 'reply', state: 'sent', attempts: 2 })]);
      expect(await customerMessages(ticketId)).toEqual([{ status: 'done', html: expect.any(String) }]);
    }, 120_000);
  });

  describe("the customer's message deleted before the worker reads it back", () => {
    /** Waits until the clock is in a later second: a rule without post_id tells posts apart by their date, to the second. */
    async function nextSecond(): Promise<void> {
      const now = Math.floor(Date.now() / 1000);
      await waitFor(() => Math.floor(Date.now() / 1000) > now, { what: 'the next second' });
    }

    // Without a post id the customer's newest remaining post stands in, and is known as handled.
    it.each([
      ['a rule with post_id', undefined, 1, 'post_not_found'],
      ['a rule without post_id', SEED_DISPATCH_TEMPLATE, 2, 'known_post'],
    ] as const)(
      "%s, {answer_last} unexpanded: the event is ignored (post_not_found, or known_post where an older post of the customer stands in), nothing answered again; the bot's own reply is not read in its place",
      async (_label, template, customerIndex, outcome) => {
        const rule = { url: t.stack.webhookUrl, unexpandedTags: ['answer_last'], ...(template ? { template } : {}) };
        t.stack.sim.setDispatcher(slug(), rule);
        const ticketId = t.stack.sim.openTicket(slug(), {
          customerId: customer(customerIndex),
          title: 'Оплата',
          text: 'Какие способы оплаты у вас есть?',
        }).id;
        await waitSettled(ticketId);
        await nextSecond();
        t.stack.sim.postAsCustomer(slug(), ticketId, 'Как отследить мой заказ?');
        await waitSettled(ticketId);
        // Two answered questions within the minute: the deleted message's date names neither alone,
        // and the newest post of the ticket is the bot's reply.
        expect(botReplies(ticketId)).toHaveLength(2);
        await nextSecond();
        let postId: number | undefined;
        await whileWorkerStopped(
          () => ticketId,
          () => {
            postId = t.stack.sim.postAsCustomer(slug(), ticketId, 'Сколько действует гарантия на смартфон?').id;
          },
          1,
          // An agent deletes it before the worker reads it.
          () => t.stack.sim.deletePost(slug(), ticketId, postId!),
        );
        await waitSettled(ticketId);
        expect((await eventOutcomes(ticketId)).at(-1)).toBe(outcome);
        expect(botReplies(ticketId)).toHaveLength(2);
        expect((await customerMessages(ticketId)).map((m) => m.status)).toEqual(['done', 'done']);
        expect(await jobsInFlight()).toBe(0);
      },
      120_000,
    );
  });
});
