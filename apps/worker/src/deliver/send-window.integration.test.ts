import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createHdeClient, type HdeBudget, type HdeClient } from '@repo/hde-client';
import { startHdeSim, type HdeSim } from '@repo/hde-sim';
import { JobDelay } from '@repo/queue';
import { createStore, migrate, type Store } from '@repo/store';
import { createTestDatabase, type TestDatabase } from '@repo/testing';
import { replySpec } from './hde-actions';
import { sendOnce, type SendOutcome } from './send-once';

// A worker cut off from Redis while it holds a send: the budget check before the POST runs Redis
// commands, which wait through an outage, so the worker's job lock lapses and another worker takes
// the row over. Real PostgreSQL (send ledger, its clock) and the HDE simulator.
describe('send start window', () => {
  let sim: HdeSim;
  let database: TestDatabase;
  let store: Store;
  const clients: HdeClient[] = [];
  let accounts = 0;

  beforeAll(async () => {
    sim = await startHdeSim({ minuteMs: 600 });
    database = await createTestDatabase('sendwin');
    await migrate(database.url);
    store = createStore({ url: database.url, secretsKey: randomBytes(32) });
  }, 60_000);

  afterAll(async () => {
    for (const c of clients) c.close();
    await sim?.close();
    await store?.close();
    await database?.drop();
  });

  async function setUp() {
    const account = sim.createAccount({ slug: `win${accounts++}` });
    const bot = sim.createAgent(account.slug, { name: 'Bot', email: `bot@${account.slug}.example` });
    const customer = sim.createCustomer(account.slug, { name: 'Anna', email: `anna@${account.slug}.example` }).id;
    const ticketId = sim.openTicket(account.slug, { customerId: customer, title: 'Help', text: '<p>Где мой заказ?</p>' }).id;
    const org = await store.organizations.createOrganization(`Acme ${account.slug}`);
    const consultant = await store.organizations.createConsultant(org.id, 'Eddy');
    const skill = await store.organizations.createSkill({ organizationId: org.id, consultantId: consultant.id, name: 'Support' });
    const integration = await store.integrations.create({
      organizationId: org.id,
      skillId: skill.id,
      hdeBaseUrl: account.baseUrl,
      adminEmail: bot.email,
      apiKey: bot.api_key ?? '',
      botUserId: bot.id,
    });
    const client = (budget?: HdeBudget): HdeClient => {
      const c = createHdeClient({
        baseUrl: account.baseUrl,
        email: account.adminEmail,
        apiKey: account.apiKey,
        allowPrivateNetwork: true,
        getRetries: 0,
        timeoutMs: 2_000,
        ...(budget ? { budget } : {}),
      });
      clients.push(c);
      return c;
    };
    const dialog = await store.dialogs.upsert(integration.id, ticketId, { customerId: customer });
    const entry = await store.ledger.plan({
      integrationId: integration.id,
      dialogId: dialog.id,
      ticketId,
      actionKey: `reply-${account.slug}`,
      kind: 'reply',
      request: { text: '<p>Заказ в пути.</p>' },
    });
    const botPosts = () => sim.posts(account.slug, ticketId).filter((p) => p.user_id === bot.id);
    return { ticketId, bot: bot.id, entry, client, botPosts };
  }

  /** Runs a send as a worker's job would: a JobDelay puts it back until its time. */
  async function sendAsJob(run: () => Promise<SendOutcome>): Promise<SendOutcome> {
    for (let i = 0; i < 50; i += 1) {
      try {
        return await run();
      } catch (error) {
        if (!(error instanceof JobDelay)) throw error;
        await sleep(Math.min(5_000, Math.max(50, error.until - Date.now())));
      }
    }
    throw new Error('the send never settled');
  }

  it('R10 a worker cut off from Redis inside the budget check while its reply is sending never posts after another worker took the row over: exactly one post', async () => {
    const s = await setUp();
    // Worker A's budget: its Redis commands wait until the partition heals.
    let heal!: () => void;
    const partition = new Promise<void>((resolve) => (heal = resolve));
    const cutOff: HdeBudget = { acquire: () => partition, observe: async () => undefined };
    const callTimeoutMs = 1_000;
    const workerA = sendOnce(s.entry, replySpec(s.client(cutOff), s.ticketId, s.bot, store.ledger), {
      ledger: store.ledger,
      callTimeoutMs,
    });
    workerA.catch(() => undefined);
    for (let i = 0; i < 100 && (await store.ledger.get(s.entry.id))?.state !== 'sending'; i += 1) await sleep(20);
    expect((await store.ledger.get(s.entry.id))?.state).toBe('sending');

    // A's lock lapsed: worker B gets the job, waits until A's call surely ended, finds nothing in
    // HDE and sends.
    const spec = replySpec(s.client(), s.ticketId, s.bot, store.ledger);
    const b = await sendAsJob(async () => sendOnce((await store.ledger.get(s.entry.id))!, spec, { ledger: store.ledger, callTimeoutMs }));
    expect(b.state).toBe('sent');
    expect(s.botPosts()).toHaveLength(1);

    // A's Redis comes back: its budget check returns, long after its start window.
    heal();
    await expect(workerA).rejects.toMatchObject({ reason: 'send_window_closed' });
    expect(s.botPosts()).toHaveLength(1);
    // A's failure did not move the row B finished.
    expect(await store.ledger.get(s.entry.id)).toMatchObject({ state: 'sent', hdeRef: b.ref });
  }, 30_000);

  it('a send whose budget answers within the window posts once', async () => {
    const s = await setUp();
    const slow: HdeBudget = { acquire: () => sleep(100), observe: async () => undefined };
    const out = await sendOnce(s.entry, replySpec(s.client(slow), s.ticketId, s.bot, store.ledger), {
      ledger: store.ledger,
      callTimeoutMs: 1_000,
    });
    expect(out.state).toBe('sent');
    expect(s.botPosts()).toHaveLength(1);
  }, 30_000);

  it("a late failure of a send that was taken over leaves the other worker's send alone", async () => {
    const s = await setUp();
    const first = (await store.ledger.beginSend(s.entry.id))!;
    // Another worker found the row, proved nothing landed, and is now sending it itself.
    await store.ledger.markAmbiguous(s.entry.id, 'the outcome of the call was not recorded');
    await store.ledger.replan(s.entry.id);
    const second = (await store.ledger.beginSend(s.entry.id))!;
    expect(second.attempts).toBe(first.attempts + 1);
    const ownSend = { state: 'sending', attempts: first.attempts } as const;
    // The first worker's refusal, timeout and failure arrive late: none of them moves the row.
    expect(await store.ledger.replan(s.entry.id, { undoAttempt: true, expect: ownSend })).toBeUndefined();
    expect(await store.ledger.markAmbiguous(s.entry.id, 'timeout', { expect: ownSend })).toBeUndefined();
    expect(await store.ledger.finish(s.entry.id, 'failed', { error: 'late' }, { expect: ownSend })).toBeUndefined();
    expect(await store.ledger.get(s.entry.id)).toMatchObject({ state: 'sending', attempts: second.attempts });
    // The send that owns the row still can.
    expect(
      await store.ledger.markAmbiguous(s.entry.id, 'timeout', { expect: { state: 'sending', attempts: second.attempts } }),
    ).toMatchObject({
      state: 'ambiguous',
    });
  }, 30_000);

  it('two workers reading back one ambiguous row, one of them stalled in its read until the other is posting, post once', async () => {
    const s = await setUp();
    await store.ledger.beginSend(s.entry.id);
    await store.ledger.markAmbiguous(s.entry.id, 'timeout');
    const callTimeoutMs = 200;
    const gate = () => {
      let open!: () => void;
      const opened = new Promise<void>((resolve) => (open = resolve));
      return { opened, open };
    };
    // Worker A's read of the posts hangs until its Redis comes back (its budget), then finds nothing.
    const aCutOff = gate();
    const aReading = gate();
    // Worker B's POST is in flight until the test lets it answer.
    const bPosting = gate();
    const bAnswer = gate();
    const posts: string[] = [];
    const specOf = (name: string, read: () => Promise<void>, post: () => Promise<void>) => ({
      perform: async () => {
        posts.push(name);
        await post();
        return name;
      },
      reconcile: async () => {
        await read();
        return { found: false } as const;
      },
    });
    const a = sendAsJob(async () =>
      sendOnce(
        (await store.ledger.get(s.entry.id))!,
        specOf(
          'A',
          async () => {
            aReading.open();
            await aCutOff.opened;
          },
          async () => undefined,
        ),
        { ledger: store.ledger, callTimeoutMs },
      ),
    );
    a.catch(() => undefined);
    await aReading.opened;
    // B takes the job over, reads nothing back and is posting when A's read returns.
    const b = sendAsJob(async () =>
      sendOnce(
        (await store.ledger.get(s.entry.id))!,
        specOf(
          'B',
          async () => undefined,
          async () => {
            bPosting.open();
            await bAnswer.opened;
          },
        ),
        { ledger: store.ledger, callTimeoutMs },
      ),
    );
    await bPosting.opened;
    aCutOff.open();
    // A's read-back found nothing, but the row is no longer the ambiguous one it read: A must not
    // plan it again (it would pull B's send back and post a second copy).
    await sleep(300);
    bAnswer.open();
    expect(await b).toMatchObject({ state: 'sent', ref: 'B' });
    expect(await a).toMatchObject({ state: 'sent', ref: 'B' });
    expect(posts).toEqual(['B']);
    expect(await store.ledger.get(s.entry.id)).toMatchObject({ state: 'sent', attempts: 2 });
  }, 60_000);

  it('a row still sending by the database clock is not taken over, whatever the worker clock says', async () => {
    const s = await setUp();
    const sending = (await store.ledger.beginSend(s.entry.id))!;
    const spec = replySpec(s.client(), s.ticketId, s.bot, store.ledger);
    // A worker whose clock runs an hour ahead would think the call long over.
    const ahead = () => Date.now() + 3_600_000;
    await expect(sendOnce(sending, spec, { ledger: store.ledger, callTimeoutMs: 1_000, now: ahead })).rejects.toBeInstanceOf(JobDelay);
    expect((await store.ledger.get(s.entry.id))?.state).toBe('sending');
    expect(s.botPosts()).toHaveLength(0);
  }, 30_000);
});
