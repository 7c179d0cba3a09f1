import { adminDatabaseUrl, waitFor } from '@repo/testing';
import { startTcpProxy, viaProxy, type TcpProxy } from '../src/tcp-proxy';
import { botPosts, startTestStack, type TestStack } from './helpers';

type LedgerRow = { action_key: string; kind: string; state: string; attempts: number; hde_ref: string | null; error: string | null };

// Named fault scenarios of delivery. Each ends on the invariant: the acknowledged customer message
// got exactly one reply or one hand-off, or it is visibly failed — never two posts, never silence.
describe('delivery under faults', () => {
  let t: TestStack;
  let pg: TcpProxy;

  beforeAll(async () => {
    // The worker reaches PostgreSQL through a proxy the scenarios cut; the ingress does not.
    const url = new URL(adminDatabaseUrl());
    pg = await startTcpProxy({ host: url.hostname || '127.0.0.1', port: Number(url.port || 5432) });
    t = await startTestStack({
      label: 'delivery',
      startWorker: false,
      workerEnv: { HDE_TIMEOUT_MS: '2000', JOB_LOCK_MS: '1500', STALLED_INTERVAL_MS: '500' },
    });
    await t.stack.startWorker({ DATABASE_URL: viaProxy(t.databaseUrl, pg) });
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await pg?.close();
  }, 60_000);

  const slug = () => t.stack.account.slug;

  async function rows(ticketId: number): Promise<LedgerRow[]> {
    const { rows: r } = await t.pg.query<LedgerRow>(
      'SELECT action_key, kind, state, attempts, hde_ref, error FROM send_ledger WHERE integration_id = $1 AND ticket_id = $2 ORDER BY id',
      [t.stack.integrationId, ticketId],
    );
    return r;
  }

  async function messageStatuses(ticketId: number): Promise<string[]> {
    const { rows: r } = await t.pg.query<{ status: string }>(
      `SELECT m.status FROM messages m JOIN dialogs d ON d.id = m.dialog_id WHERE d.integration_id = $1 AND d.ticket_id = $2 AND m.author_kind = 'customer' ORDER BY m.id`,
      [t.stack.integrationId, ticketId],
    );
    return r.map((x) => x.status);
  }

  async function setMode(mode: 'public' | 'note' | 'off', enabled = true) {
    await t.pg.query('UPDATE integrations SET reply_mode = $2, enabled = $3 WHERE id = $1', [t.stack.integrationId, mode, enabled]);
  }

  it('D1 PostgreSQL drops the connection that records an accepted reply: exactly one post, no replan', async () => {
    const { stack } = t;
    // The statement that records the outcome of a send never reaches PostgreSQL, once.
    let dropped = false;
    pg.dropWhenClientSends('UPDATE send_ledger SET state = $2, hde_ref', 1, () => (dropped = true));
    const ticket = stack.sim.openTicket(slug(), {
      customerId: stack.people.customers[0]!.id,
      title: 'Доставка',
      text: 'Сколько стоит доставка по Москве?',
    });
    await waitFor(async () => (await rows(ticket.id)).some((r) => r.kind === 'reply' && r.state === 'sent'), {
      what: 'the reply to be recorded',
      timeoutMs: 60_000,
    });
    await t.observe.waitSettled(stack.sim, ticket.id, 60_000);
    expect(dropped).toBe(true);
    expect(botPosts(stack, ticket.id)).toHaveLength(1);
    const reply = (await rows(ticket.id)).filter((r) => r.kind === 'reply');
    expect(reply).toHaveLength(1);
    // Sent once; the row was reconciled from HDE rather than planned again.
    expect(reply[0]).toMatchObject({ state: 'sent', attempts: 1, hde_ref: String(botPosts(stack, ticket.id)[0]!.id) });
    expect(await messageStatuses(ticket.id)).toEqual(['done']);
  }, 120_000);

  it('D6 hand-off whose worker died mid-reassignment: driven from the stored request, exactly one hand-off', async () => {
    const { stack } = t;
    stack.sim.clearFaults(slug());
    stack.sim.injectFault(slug(), { method: 'PUT', path: '/tickets/:id/', kind: 'hang', times: 1 });
    const ticket = stack.sim.openTicket(slug(), {
      customerId: stack.people.customers[1]!.id,
      title: 'Нужен человек',
      text: 'позовите живого оператора пожалуйста',
    });
    await waitFor(async () => (await rows(ticket.id)).some((r) => r.kind === 'assign' && r.state === 'sending'), {
      what: 'the reassignment to be in flight',
      timeoutMs: 60_000,
    });
    await waitFor(() => stack.sim.apiLog(slug()).some((e) => e.method === 'PUT' && e.fault === 'hang'), {
      what: 'the update to hang in HDE',
      timeoutMs: 30_000,
    });
    await stack.stopWorker('SIGKILL');
    stack.sim.clearFaults(slug());
    await stack.startWorker({ DATABASE_URL: viaProxy(t.databaseUrl, pg) });
    await waitFor(async () => (await rows(ticket.id)).every((r) => ['sent', 'failed', 'quarantined', 'skipped'].includes(r.state)), {
      what: 'every call of the hand-off to settle',
      timeoutMs: 60_000,
    });
    await t.observe.waitSettled(stack.sim, ticket.id, 60_000);
    const assign = (await rows(ticket.id)).find((r) => r.kind === 'assign');
    expect(assign?.state).toBe('sent');
    expect(stack.sim.getTicket(slug(), ticket.id).owner_id).toBe(stack.people.agentId);
    // One notice to the customer, not two.
    expect(botPosts(stack, ticket.id).length).toBeLessThanOrEqual(1);
    expect(await t.observe.dialogState(ticket.id)).toBe('handed_off');
  }, 120_000);

  /** Lets a turn get decided while no deliver stage runs, then changes the integration and delivers. */
  async function decideThenChange(customer: number, change: () => Promise<void>) {
    const { stack } = t;
    await stack.stopWorker();
    await stack.startWorker({ DATABASE_URL: viaProxy(t.databaseUrl, pg), WORKER_STAGES: 'classify,retrieve,decide' });
    const ticket = stack.sim.openTicket(slug(), {
      customerId: stack.people.customers[customer]!.id,
      title: 'Оплата',
      text: 'Какие способы оплаты у вас есть?',
    });
    await waitFor(async () => (await t.observe.decisions(ticket.id)).some((d) => d.stage === 'decided'), {
      what: 'the turn to be decided',
      timeoutMs: 60_000,
    });
    await change();
    await stack.stopWorker();
    await stack.startWorker({ DATABASE_URL: viaProxy(t.databaseUrl, pg) });
    await t.observe.waitSettled(stack.sim, ticket.id, 60_000);
    return ticket.id;
  }

  it('D4 replies switched off after the decision: nothing posted, the message visibly ignored', async () => {
    const ticketId = await decideThenChange(2, () => setMode('off'));
    await setMode('public');
    expect(botPosts(t.stack, ticketId)).toHaveLength(0);
    expect((await rows(ticketId)).every((r) => r.state === 'skipped')).toBe(true);
    expect(await messageStatuses(ticketId)).toEqual(['ignored']);
    expect((await t.observe.decisions(ticketId))[0]?.result).toMatchObject({ skipped: 'reply_mode_off' });
  }, 120_000);

  it('D4 integration disabled after the decision: nothing posted', async () => {
    const ticketId = await decideThenChange(3, () => setMode('public', false));
    await setMode('public');
    expect(botPosts(t.stack, ticketId)).toHaveLength(0);
    expect(await messageStatuses(ticketId)).toEqual(['ignored']);
  }, 120_000);

  it('D4 a turn decided as a draft stays a draft when the mode becomes public', async () => {
    await setMode('note');
    const ticketId = await decideThenChange(4, () => setMode('public'));
    expect(botPosts(t.stack, ticketId)).toHaveLength(0);
    const draft = (await rows(ticketId)).find((r) => r.kind === 'note');
    expect(draft?.state).toBe('sent');
    expect((await rows(ticketId)).some((r) => r.kind === 'reply')).toBe(false);
  }, 120_000);

  it('D4 a public reply planned before the mode became note goes out as a draft note', async () => {
    const { stack } = t;
    await setMode('public');
    // The reply is planned, then HDE refuses the budget for a while (429): meanwhile the mode changes.
    stack.sim.injectFault(slug(), { method: 'POST', path: '/tickets/:id/posts/', kind: 'status', status: 429, ms: 3000, times: 1 });
    const ticket = stack.sim.openTicket(slug(), {
      customerId: stack.people.customers[5]!.id,
      title: 'Возврат',
      text: 'Как вернуть товар?',
    });
    await waitFor(() => stack.sim.apiLog(slug()).some((e) => e.method === 'POST' && e.status === 429), {
      what: 'the reply to be refused once',
      timeoutMs: 60_000,
    });
    await setMode('note');
    await t.observe.waitSettled(stack.sim, ticket.id, 60_000);
    await setMode('public');
    expect(botPosts(stack, ticket.id)).toHaveLength(0);
    const r = await rows(ticket.id);
    expect(r.find((x) => x.kind === 'reply')).toMatchObject({ state: 'skipped', error: 'reply_mode_note' });
    expect(r.find((x) => x.kind === 'note' && x.action_key.startsWith('draft-'))?.state).toBe('sent');
  }, 120_000);

  it('D7 PostgreSQL outage while messages are in the pipeline: no attempt spent, each answered exactly once', async () => {
    const { stack } = t;
    stack.sim.clearFaults(slug());
    pg.setRefusing(true);
    const ticket = stack.sim.openTicket(slug(), {
      customerId: stack.people.customers[6]!.id,
      title: 'Доставка',
      text: 'Сколько стоит доставка по Москве?',
    });
    await stack.sim.waitForDispatches();
    await new Promise((r) => setTimeout(r, 8000));
    pg.setRefusing(false);
    await t.observe.waitSettled(stack.sim, ticket.id, 90_000);
    expect(botPosts(stack, ticket.id)).toHaveLength(1);
    expect(await messageStatuses(ticket.id)).toEqual(['done']);
  }, 150_000);
});
