import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { createHdeClient, isHdeApiError, type HdeClient } from '@repo/hde-client';
import { startHdeSim, type AccountInfo, type AccountVariant, type HdeSim } from '@repo/hde-sim';
import { createLogger } from '@repo/logger';
import { eventFromWebhookBody } from '@repo/domain';
import { createStore, migrate, storedEventOf, type Integration, type Store } from '@repo/store';
import { createTestDatabase, deleteRedisPrefix, testRedisUrl, uniquePrefix, type TestDatabase } from '@repo/testing';
import { assignSpec, replySpec, updateSpec } from '../deliver/hde-actions';
import { AccountPausedError, createAccountBudgets } from './account-budget';
import { accountKeyOf, createBanWatch } from '@repo/hde-client';
import { createHdeClients } from './hde-clients';
import { leastLoadedAgent, PER_AGENT_COUNT_MAX } from './least-loaded';
import { newestPost, recentPost } from './newest-post';
import { createPostAuthors, ledgerKnowsPost } from './post-author';

// The product's HDE layer against the simulator playing the variants a real account may show:
// time zones, list order, tags on update, ban forms, who authored a post. Real PostgreSQL (send
// ledger) and Redis (budgets, ban watch).
describe('HDE variants', () => {
  let sim: HdeSim;
  let database: TestDatabase;
  let store: Store;
  let redis: Redis;
  const prefix = uniquePrefix('hde-variants');
  let organizationId: string;
  let skillId: string;
  let n = 0;

  beforeAll(async () => {
    sim = await startHdeSim({ minuteMs: 600 });
    database = await createTestDatabase('hdevar');
    await migrate(database.url);
    store = createStore({ url: database.url, secretsKey: randomBytes(32) });
    redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 3 });
    const org = await store.organizations.createOrganization('Acme');
    organizationId = org.id;
    const consultant = await store.organizations.createConsultant(org.id, 'Eddy');
    skillId = (await store.organizations.createSkill({ organizationId: org.id, consultantId: consultant.id, name: 'Support' })).id;
  }, 60_000);

  afterAll(async () => {
    await sim?.close();
    await store?.close();
    await database?.drop();
    await deleteRedisPrefix(prefix, testRedisUrl()).catch(() => undefined);
    redis?.disconnect();
  });

  type Setup = { account: AccountInfo; bot: number; customer: number; agent: number; ticketId: number; integration: Integration };

  async function setUp(
    options: {
      offset?: number;
      timeZone?: string;
      variant?: Partial<AccountVariant>;
      banSeconds?: number;
      settings?: Record<string, unknown>;
    } = {},
  ): Promise<Setup> {
    const account = sim.createAccount({
      slug: `acc${n++}`,
      timezoneOffsetMinutes: options.offset ?? 180,
      variant: options.variant,
      banSeconds: options.banSeconds ?? 60,
    });
    const bot = sim.createAgent(account.slug, { name: 'Bot', email: `bot@${account.slug}.example` });
    const agent = sim.createAgent(account.slug, { name: 'Maria', email: `maria@${account.slug}.example` });
    const customer = sim.createCustomer(account.slug, { name: 'Anna', email: `anna@${account.slug}.example` }).id;
    const ticketId = sim.openTicket(account.slug, { customerId: customer, title: 'Help', text: '<p>Где мой заказ?</p>' }).id;
    const integration = await store.integrations.create({
      organizationId,
      skillId,
      hdeBaseUrl: account.baseUrl,
      adminEmail: bot.email,
      apiKey: bot.api_key ?? '',
      botUserId: bot.id,
      settings: { ...(options.timeZone ? { timeZone: options.timeZone } : {}), ...options.settings },
    });
    return { account, bot: bot.id, customer, agent: agent.id, ticketId, integration };
  }

  function clientFor(s: Setup, timeZone: string): HdeClient {
    return createHdeClient({
      baseUrl: s.account.baseUrl,
      email: s.account.adminEmail,
      apiKey: s.account.apiKey,
      timeZone,
      allowPrivateNetwork: true,
      getRetries: 0,
    });
  }

  describe('reconcile of a reply whose answer was lost', () => {
    it.each([
      ['UTC+2 read as Europe/Kaliningrad', 120, 'Europe/Kaliningrad'],
      ['UTC+5 read as Asia/Yekaterinburg', 300, 'Asia/Yekaterinburg'],
      ['UTC+2 read with the default Moscow zone', 120, 'Europe/Moscow'],
      ['UTC+5 read with the default Moscow zone', 300, 'Europe/Moscow'],
    ])('finds the landed post on an account at %s', async (_label, offset, timeZone) => {
      const s = await setUp({ offset });
      const hde = clientFor(s, timeZone);
      const dialog = await store.dialogs.upsert(s.integration.id, s.ticketId, { customerId: s.customer });
      const entry = await store.ledger.plan({
        integrationId: s.integration.id,
        dialogId: dialog.id,
        ticketId: s.ticketId,
        actionKey: `reply-${n}`,
        kind: 'reply',
        request: { text: '<p>Заказ в пути.</p>' },
      });
      await store.ledger.beginSend(entry.id);
      const spec = replySpec(hde, s.ticketId, s.bot, store.ledger);
      // The POST lands but its answer is lost.
      sim.injectFault(s.account.slug, { method: 'POST', path: '/tickets/:id/posts/', kind: 'reset_after_body', times: 1 });
      await expect(spec.perform(entry.request, {})).rejects.toThrow();
      expect(sim.posts(s.account.slug, s.ticketId).filter((p) => p.user_id === s.bot)).toHaveLength(1);
      const sending = (await store.ledger.get(entry.id))!;
      const result = await spec.reconcile(sending);
      expect(result).toEqual({ found: true, ref: expect.any(String) });
      hde.close();
    });

    it('finds the landed post on an account that appends a signature to every reply, and knows its echo', async () => {
      const s = await setUp({ variant: { postText: 'signature' } });
      const hde = clientFor(s, 'Europe/Moscow');
      const dialog = await store.dialogs.upsert(s.integration.id, s.ticketId, { customerId: s.customer });
      const text = '<p>Здравствуйте!</p><p>Заказ в пути: курьер привезёт его завтра с 10 до 18.</p>';
      const entry = await store.ledger.plan({
        integrationId: s.integration.id,
        dialogId: dialog.id,
        ticketId: s.ticketId,
        actionKey: `reply-sig-${n}`,
        kind: 'reply',
        request: { text },
      });
      await store.ledger.beginSend(entry.id);
      const spec = replySpec(hde, s.ticketId, s.bot, store.ledger);
      sim.injectFault(s.account.slug, { method: 'POST', path: '/tickets/:id/posts/', kind: 'reset_after_body', times: 1 });
      await expect(spec.perform(entry.request, {})).rejects.toThrow();
      const landed = sim.posts(s.account.slug, s.ticketId).filter((p) => p.user_id === s.bot);
      expect(landed).toHaveLength(1);
      expect(landed[0]!.text).not.toBe(text);
      const result = await spec.reconcile((await store.ledger.get(entry.id))!);
      expect(result).toEqual({ found: true, ref: String(landed[0]!.id) });
      // The webhook of that post, signature and all, is our echo.
      await store.ledger.finish(entry.id, 'sent', { hdeRef: String(landed[0]!.id) });
      expect(ledgerKnowsPost(await store.ledger.forDialog(dialog.id), { html: landed[0]!.text })).toBe(true);
      hde.close();
    });

    it('does not take an earlier identical reply, recorded by another send, for this one', async () => {
      const s = await setUp({ offset: 120 });
      const hde = clientFor(s, 'Europe/Kaliningrad');
      const dialog = await store.dialogs.upsert(s.integration.id, s.ticketId, { customerId: s.customer });
      const text = '<p>Доставка 300 ₽.</p>';
      const first = await store.ledger.plan({
        integrationId: s.integration.id,
        dialogId: dialog.id,
        ticketId: s.ticketId,
        actionKey: `a-${n}`,
        kind: 'reply',
        request: { text },
      });
      await store.ledger.beginSend(first.id);
      const spec = replySpec(hde, s.ticketId, s.bot, store.ledger);
      const ref = await spec.perform(first.request, {});
      await store.ledger.finish(first.id, 'sent', { hdeRef: ref });
      const second = await store.ledger.plan({
        integrationId: s.integration.id,
        dialogId: dialog.id,
        ticketId: s.ticketId,
        actionKey: `b-${n}`,
        kind: 'reply',
        request: { text },
      });
      await store.ledger.beginSend(second.id);
      // The second send never reached HDE: the only identical post is the first send's.
      expect(await spec.reconcile((await store.ledger.get(second.id))!)).toEqual({ found: false });
      hde.close();
    });

    it('reads the newest posts whatever order the account lists them in', async () => {
      const s = await setUp({ variant: { listOrder: 'oldest_first' } });
      for (let i = 0; i < 35; i++) sim.postAsCustomer(s.account.slug, s.ticketId, `<p>m${i}</p>`);
      const hde = clientFor(s, 'Europe/Moscow');
      const { post } = await newestPost(hde, s.ticketId);
      expect(post?.text).toBe('<p>m34</p>');
      hde.close();
    });

    it.each(['oldest_first', 'newest_first'] as const)(
      'finds a named post next to the newest page on an account listing %s, and says when it is older than that',
      async (listOrder) => {
        const s = await setUp({ variant: { listOrder } });
        // 31 posts with the opening one: the newest page of an oldest-first account holds one post.
        const ids = [];
        for (let i = 0; i < 30; i++) ids.push(sim.postAsCustomer(s.account.slug, s.ticketId, `<p>m${i}</p>`).id);
        const hde = clientFor(s, 'Europe/Moscow');
        const secondNewest = ids[28]!;
        expect((await recentPost(hde, s.ticketId, secondNewest)).post?.text).toBe('<p>m28</p>');
        // Sixty more: the first ones are now two pages away from the newest, whatever the order.
        for (let i = 30; i < 90; i++) sim.postAsCustomer(s.account.slug, s.ticketId, `<p>m${i}</p>`);
        expect((await recentPost(hde, s.ticketId, ids[0]!)).post).toBeUndefined();
        hde.close();
      },
    );
  });

  describe('agents removing what the bot works on (tickets deleted or merged, posts deleted)', () => {
    /** A reply planned, begun and POSTed, whose answer was lost although HDE stored the post. */
    async function lostReply(s: Setup, hde: HdeClient, text: string) {
      const dialog = await store.dialogs.upsert(s.integration.id, s.ticketId, { customerId: s.customer });
      const entry = await store.ledger.plan({
        integrationId: s.integration.id,
        dialogId: dialog.id,
        ticketId: s.ticketId,
        actionKey: `reply-removed-${n++}`,
        kind: 'reply',
        request: { text },
      });
      await store.ledger.beginSend(entry.id);
      const spec = replySpec(hde, s.ticketId, s.bot, store.ledger, store.events);
      sim.injectFault(s.account.slug, { method: 'POST', path: '/tickets/:id/posts/', kind: 'reset_after_body', times: 1 });
      await expect(spec.perform(entry.request, {})).rejects.toThrow();
      const landed = sim.posts(s.account.slug, s.ticketId).filter((p) => p.user_id === s.bot);
      expect(landed).toHaveLength(1);
      return { spec, entry: (await store.ledger.get(entry.id))!, landed: landed[0]! };
    }

    /** Stores the webhook HDE's rule sent for a post, as the ingress would. */
    async function storeWebhookOf(s: Setup, postId: number): Promise<void> {
      await sim.waitForDispatches();
      const sent = sim.dispatchLog(s.account.slug).find((d) => d.postId === postId);
      expect(sent).toBeDefined();
      const event = eventFromWebhookBody({
        integrationId: s.integration.id,
        body: JSON.parse(sent!.body) as Record<string, unknown>,
        parseStatus: 'ok',
        source: 'webhook',
        receivedAt: new Date(),
        parseDate: () => null,
      });
      await store.events.insert({ ...storedEventOf(event), outcome: 'echo' });
    }

    it('a lost reply an agent deleted before the read-back: its webhook proves it landed, so it is not sent again; without one it is taken for lost', async () => {
      const text = '<p>Здравствуйте!</p><p>Оплатить заказ можно картой, через СБП или наличными при получении.</p>';
      const s = await setUp();
      sim.setDispatcher(s.account.slug, { url: 'http://127.0.0.1:1/unreachable' });
      const hde = clientFor(s, 'Europe/Moscow');
      const { spec, entry, landed } = await lostReply(s, hde, text);
      // An agent deletes the bot's reply: reading the posts can no longer find it.
      sim.deletePost(s.account.slug, s.ticketId, landed.id);
      expect(await spec.reconcile(entry)).toEqual({ found: false });
      await storeWebhookOf(s, landed.id);
      const before = sim.apiLog(s.account.slug).length;
      expect(await spec.reconcile(entry)).toEqual({ found: true, ref: String(landed.id) });
      // The echo settled it without asking HDE.
      expect(sim.apiLog(s.account.slug)).toHaveLength(before);
      hde.close();
    });

    it('an echo another send of the dialog already accounts for is not taken for this one', async () => {
      const text = '<p>Доставка по Москве стоит 290 рублей, экспресс за три часа — 590 рублей.</p>';
      const s = await setUp();
      sim.setDispatcher(s.account.slug, { url: 'http://127.0.0.1:1/unreachable' });
      const hde = clientFor(s, 'Europe/Moscow');
      const first = await lostReply(s, hde, text);
      await storeWebhookOf(s, first.landed.id);
      await store.ledger.finish(first.entry.id, 'sent', { hdeRef: String(first.landed.id) });
      // The same words again, and this time the POST never reached HDE.
      const dialog = (await store.dialogs.getByTicket(s.integration.id, s.ticketId))!;
      const second = await store.ledger.plan({
        integrationId: s.integration.id,
        dialogId: dialog.id,
        ticketId: s.ticketId,
        actionKey: `reply-again-${n++}`,
        kind: 'reply',
        request: { text },
      });
      await store.ledger.beginSend(second.id);
      sim.deletePost(s.account.slug, s.ticketId, first.landed.id);
      expect(await first.spec.reconcile((await store.ledger.get(second.id))!)).toEqual({ found: false });
      hde.close();
    });

    it.each([
      ['deleted', (s: Setup) => sim.deleteTicket(s.account.slug, s.ticketId)],
      [
        'merged into the customer’s other ticket',
        (s: Setup) =>
          sim.mergeTickets(
            s.account.slug,
            s.ticketId,
            sim.openTicket(s.account.slug, { customerId: s.customer, title: 'B', text: 'b' }).id,
          ),
      ],
    ])('a ticket %s answers every call with ticket_gone, which is never retried', async (_label, remove) => {
      const s = await setUp();
      const hde = createHdeClient({
        baseUrl: s.account.baseUrl,
        email: s.account.adminEmail,
        apiKey: s.account.apiKey,
        timeZone: 'Europe/Moscow',
        allowPrivateNetwork: true,
        getRetries: 3,
      });
      const { spec, entry } = await lostReply(s, hde, '<p>Ответ, который мог дойти.</p>');
      remove(s);
      const before = sim.apiLog(s.account.slug).length;
      const calls: Array<() => Promise<unknown>> = [
        () => spec.reconcile(entry),
        () => hde.getTicket(s.ticketId),
        () => hde.createPost(s.ticketId, { text: 'x' }),
        () => hde.listComments(s.ticketId),
      ];
      for (const call of calls) {
        const error: unknown = await call().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(isHdeApiError(error) && { reason: error.reason, retryable: error.retryable }).toEqual({
          reason: 'ticket_gone',
          retryable: false,
        });
      }
      // One request each, none retried (GETs are retried up to three times when they may succeed later).
      expect(sim.apiLog(s.account.slug).length - before).toBe(4);
      hde.close();
    });

    it('a merged ticket left closed by the account refuses a post as a closed ticket does', async () => {
      const s = await setUp({ variant: { mergedTicket: 'closed' } });
      const hde = clientFor(s, 'Europe/Moscow');
      const into = sim.openTicket(s.account.slug, { customerId: s.customer, title: 'B', text: 'b' }).id;
      sim.mergeTickets(s.account.slug, s.ticketId, into);
      expect((await hde.getTicket(s.ticketId)).statusId).toBe('closed');
      const refused: unknown = await hde.createPost(s.ticketId, { text: 'x' }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isHdeApiError(refused) && refused.reason).toBe('closed_ticket');
      // The posts, ours and the customer's, are in the target with their ids.
      expect((await hde.listPosts(into)).items.map((p) => p.text)).toContain('<p>Где мой заказ?</p>');
      hde.close();
    });
  });

  describe('hand-off update', () => {
    it.each(['replace', 'refuse', 'ignore'] as const)('keeps the ticket tags and the reassignment when PUT %s tags', async (putTags) => {
      const s = await setUp({ variant: { putTags } });
      const field = sim.addCustomField(s.account.slug, { name: 'Тема', fieldType: 'text' });
      const hde = clientFor(s, 'Europe/Moscow');
      // The ticket's own tags, set from the UI (the simulator's default variant replaces).
      sim.setVariant(s.account.slug, { putTags: 'replace' });
      await hde.updateTicket(s.ticketId, { tags: ['vip', 'from-site'] });
      sim.setVariant(s.account.slug, { putTags });

      await assignSpec(hde, s.ticketId).perform({ ownerId: s.agent, statusId: 'open' }, {});
      const mark = sim.apiLog(s.account.slug).length;
      const enrich = updateSpec(hde, s.ticketId).perform({ addTags: ['ai-handoff'], customFields: { [String(field.id)]: 'доставка' } }, {});
      await expect(enrich).resolves.toBeNull();

      const ticket = sim.getTicket(s.account.slug, s.ticketId);
      expect(ticket.owner_id).toBe(s.agent);
      expect(ticket.tags).toEqual(expect.arrayContaining(['vip', 'from-site']));
      if (putTags === 'replace') expect(ticket.tags).toEqual(['vip', 'from-site', 'ai-handoff']);
      expect(ticket.custom_fields.find((f) => f.id === field.id)?.field_value).toBe('доставка');
      // The enrichment's tag list is built from a read of the ticket right before the update.
      const calls = sim
        .apiLog(s.account.slug)
        .slice(mark)
        .map((e) => `${e.method} ${e.path.replace(/\/$/, '')}`);
      expect(calls[0]).toBe(`GET /tickets/${s.ticketId}`);
      expect(calls.slice(1).every((c) => c === `PUT /tickets/${s.ticketId}`)).toBe(true);
      expect(calls).toHaveLength(putTags === 'refuse' ? 3 : 2);
      hde.close();
    });

    it('sends no tags at all when the ticket cannot be read first', async () => {
      const s = await setUp();
      const hde = clientFor(s, 'Europe/Moscow');
      sim.injectFault(s.account.slug, { method: 'GET', path: '/tickets/:id/', kind: 'status', status: 500 });
      await expect(updateSpec(hde, s.ticketId).perform({ addTags: ['ai-handoff'] }, {})).rejects.toThrow();
      expect(sim.apiLog(s.account.slug).some((e) => e.method === 'PUT')).toBe(false);
      sim.clearFaults(s.account.slug);
      hde.close();
    });
  });

  describe('least-loaded hand-off', () => {
    it('finds agents behind pages of clients and counts tickets in custom statuses', async () => {
      const s = await setUp();
      const department = sim.createDepartment(s.account.slug, { name: 'Поддержка' });
      // 200 clients first: listed oldest first, they fill more than the five pages read.
      for (let i = 0; i < 200; i++) sim.createCustomer(s.account.slug, { name: `C${i}`, email: `c${i}@${s.account.slug}.example` });
      const busy = sim.createAgent(s.account.slug, {
        name: 'Busy',
        email: `busy@${s.account.slug}.example`,
        departmentIds: [department.id],
      });
      const free = sim.createAgent(s.account.slug, {
        name: 'Free',
        email: `free@${s.account.slug}.example`,
        departmentIds: [department.id],
      });
      sim.addStatus(s.account.slug, { id: 'v-processe', name: 'В работе' });
      const t1 = sim.openTicket(s.account.slug, { customerId: s.customer, title: 'A', text: 'a' });
      const t2 = sim.openTicket(s.account.slug, { customerId: s.customer, title: 'B', text: 'b' });
      sim.assign(s.account.slug, t1.id, free.id);
      sim.setStatus(s.account.slug, t1.id, 'closed');
      sim.assign(s.account.slug, t2.id, busy.id);
      sim.setStatus(s.account.slug, t2.id, 'v-processe');
      const hde = clientFor(s, 'Europe/Moscow');
      expect(await leastLoadedAgent(hde, department.id, [s.bot])).toBe(free.id);
      sim.addStatus(s.account.slug, { id: '6', name: 'Ждёт клиента' });
      sim.setStatus(s.account.slug, t1.id, '6');
      const third = sim.openTicket(s.account.slug, { customerId: s.customer, title: 'C', text: 'c' });
      sim.assign(s.account.slug, third.id, free.id);
      // Free now holds two non-closed tickets (custom status 6 and open), busy one.
      expect(await leastLoadedAgent(hde, department.id, [s.bot])).toBe(busy.id);
      hde.close();
    });
  });

  describe('least-loaded hand-off on an account whose ticket list ignores owner_list', () => {
    it('counts each agent from the open tickets themselves instead of a total that counts everyone', async () => {
      const s = await setUp({ variant: { ownerFilter: 'ignored' } });
      const department = sim.createDepartment(s.account.slug, { name: 'Поддержка' });
      const agent = (name: string) =>
        sim.createAgent(s.account.slug, { name, email: `${name.toLowerCase()}@${s.account.slug}.example`, departmentIds: [department.id] });
      const busy = agent('Busy');
      const free = agent('Free');
      for (const [owner, n] of [
        [busy.id, 3],
        [free.id, 1],
      ] as const)
        for (let i = 0; i < n; i += 1) {
          const t = sim.openTicket(s.account.slug, { customerId: s.customer, title: `T${owner}-${i}`, text: 't' });
          sim.assign(s.account.slug, t.id, owner);
        }
      const hde = clientFor(s, 'Europe/Moscow');
      // Listed first, and with the filter ignored both would show the same total.
      expect(await leastLoadedAgent(hde, department.id, [s.bot])).toBe(free.id);
      hde.close();
    });
  });

  describe('least-loaded hand-off in a large department', () => {
    it('counts the agents from a few listings of open tickets instead of one list per agent', async () => {
      const s = await setUp();
      const department = sim.createDepartment(s.account.slug, { name: 'Колл-центр' });
      const agents = Array.from({ length: PER_AGENT_COUNT_MAX + 5 }, (_, i) =>
        sim.createAgent(s.account.slug, { name: `A${i}`, email: `a${i}@${s.account.slug}.example`, departmentIds: [department.id] }),
      );
      // Every agent but the last holds one open ticket.
      for (const agent of agents.slice(0, -1)) {
        const t = sim.openTicket(s.account.slug, { customerId: s.customer, title: `T${agent.id}`, text: 't' });
        sim.assign(s.account.slug, t.id, agent.id);
      }
      const hde = clientFor(s, 'Europe/Moscow');
      const before = sim.apiLog(s.account.slug).length;
      expect(await leastLoadedAgent(hde, department.id, [s.bot])).toBe(agents.at(-1)!.id);
      const ticketLists = sim
        .apiLog(s.account.slug)
        .slice(before)
        .filter((r) => r.method === 'GET' && /^\/tickets\/?(\?|$)/.test(r.path));
      expect(ticketLists.length).toBeLessThanOrEqual(5);
      hde.close();
    });
  });

  describe('least-loaded hand-off to agents of a staff group the account created', () => {
    it('finds them through GET /groups/ behind pages of clients', async () => {
      const s = await setUp();
      const department = sim.createDepartment(s.account.slug, { name: 'Вторая линия' });
      const group = sim.addUserGroup(s.account.slug, { name: 'Вторая линия' });
      for (let i = 0; i < 200; i++) sim.createCustomer(s.account.slug, { name: `C${i}`, email: `c${i}@${s.account.slug}.example` });
      const expert = sim.createAgent(s.account.slug, {
        name: 'Expert',
        email: `expert@${s.account.slug}.example`,
        departmentIds: [department.id],
        groupId: group.id,
      });
      const hde = clientFor(s, 'Europe/Moscow');
      expect(await leastLoadedAgent(hde, department.id, [s.bot])).toBe(expert.id);
      hde.close();
    });

    it('finds them on an account that does not answer GET /groups/, from the staff listed first', async () => {
      const s = await setUp({ variant: { groupsEndpoint: 'absent' } });
      const department = sim.createDepartment(s.account.slug, { name: 'Вторая линия' });
      const group = sim.addUserGroup(s.account.slug, { name: 'Вторая линия' });
      // Staff are set up before the clients pile up: the first page of users shows the group.
      const expert = sim.createAgent(s.account.slug, {
        name: 'Expert',
        email: `expert@${s.account.slug}.example`,
        departmentIds: [department.id],
        groupId: group.id,
      });
      for (let i = 0; i < 200; i++) sim.createCustomer(s.account.slug, { name: `C${i}`, email: `c${i}@${s.account.slug}.example` });
      const hde = clientFor(s, 'Europe/Moscow');
      expect(await leastLoadedAgent(hde, department.id, [s.bot])).toBe(expert.id);
      expect(sim.apiLog(s.account.slug).some((r) => r.path.startsWith('/groups') && r.status === 404)).toBe(true);
      hde.close();
    });

    it('on such an account, finds a group behind pages of clients through the configured hand-off agent', async () => {
      const s = await setUp({ variant: { groupsEndpoint: 'absent' } });
      const department = sim.createDepartment(s.account.slug, { name: 'Вторая линия' });
      const group = sim.addUserGroup(s.account.slug, { name: 'Вторая линия' });
      for (let i = 0; i < 40; i++) sim.createCustomer(s.account.slug, { name: `C${i}`, email: `c${i}@${s.account.slug}.example` });
      const agent = (name: string) =>
        sim.createAgent(s.account.slug, {
          name,
          email: `${name.toLowerCase()}@${s.account.slug}.example`,
          departmentIds: [department.id],
          groupId: group.id,
        });
      const configured = agent('Lead');
      const other = agent('Other');
      const t = sim.openTicket(s.account.slug, { customerId: s.customer, title: 'T', text: 't' });
      sim.assign(s.account.slug, t.id, configured.id);
      const hde = clientFor(s, 'Europe/Moscow');
      // Without knowing any staff of the group, nobody of it is found.
      expect(await leastLoadedAgent(hde, department.id, [s.bot])).toBeUndefined();
      expect(await leastLoadedAgent(hde, department.id, [s.bot], [configured.id])).toBe(other.id);
      hde.close();
    });
  });

  describe('who wrote a post', () => {
    it('tells our echo from the bot account writing by hand, clients by group, and automations', async () => {
      const s = await setUp();
      const automation = sim.createAgent(s.account.slug, { name: 'Router', email: `router@${s.account.slug}.example` });
      const cc = sim.createCustomer(s.account.slug, { name: 'Second', email: `second@${s.account.slug}.example` });
      const integration = (await store.integrations.update(s.integration.id, { settings: { automationUserIds: [automation.id] } }))!;
      const hde = clientFor(s, 'Europe/Moscow');
      const authors = createPostAuthors({ ledger: store.ledger });
      const dialog = await store.dialogs.upsert(integration.id, s.ticketId, { customerId: s.customer });
      const entry = await store.ledger.plan({
        integrationId: integration.id,
        dialogId: dialog.id,
        ticketId: s.ticketId,
        actionKey: `r-${n}`,
        kind: 'reply',
        request: { text: '<p>Ответ бота</p>' },
      });
      await store.ledger.beginSend(entry.id);
      const post = await hde.createPost(s.ticketId, { text: '<p>Ответ бота</p>', userId: s.bot });
      const facts = { customerId: s.customer, dialogId: dialog.id };

      expect(post.userId).toBe(s.bot);
      expect(await authors.classify(integration, hde, { ...facts, authorId: s.bot, html: '<p>Ответ бота</p>' })).toBe('bot');
      expect(await authors.classify(integration, hde, { ...facts, authorId: s.bot, html: '<p>Пишу сам, как админ</p>' })).toBe('agent');
      expect(await authors.classify(integration, hde, { ...facts, authorId: s.customer, html: 'x' })).toBe('customer');
      expect(await authors.classify(integration, hde, { ...facts, authorId: cc.id, html: 'x' })).toBe('customer');
      expect(await authors.classify(integration, hde, { ...facts, authorId: s.agent, html: 'x' })).toBe('agent');
      expect(await authors.classify(integration, hde, { ...facts, authorId: s.account.adminUserId, html: 'x' })).toBe('agent');
      expect(await authors.classify(integration, hde, { ...facts, authorId: automation.id, html: 'x' })).toBe('automation');
      // The group of a user is read once per integration.
      const before = sim.apiLog(s.account.slug).filter((e) => e.path === `/users/${cc.id}/` || e.path === `/users/${cc.id}`).length;
      await authors.classify(integration, hde, { ...facts, authorId: cc.id, html: 'y' });
      expect(sim.apiLog(s.account.slug).filter((e) => e.path === `/users/${cc.id}/` || e.path === `/users/${cc.id}`).length).toBe(before);
      hde.close();
    });
  });

  describe('bans in other forms', () => {
    const logger = createLogger({ service: 'test', level: 'error' });

    function clients(banPauseMs: number, budgets = createAccountBudgets({ redis, prefix, remainingFloor: 0, banPauseMs })) {
      return createHdeClients({
        integrations: store.integrations,
        budgets,
        banWatch: createBanWatch({ redis, prefix }),
        logger,
        connectTimeoutMs: 2000,
        timeoutMs: 5000,
        allowPrivateNetwork: true,
      });
    }

    async function pausedError(call: Promise<unknown>): Promise<AccountPausedError> {
      const error = await call.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(AccountPausedError);
      return error as AccountPausedError;
    }

    it.each(['json_e403', 'html_403', 'json_401'] as const)(
      'pauses a working key on a %s ban, probes once after the pause, and carries on',
      async (banForm) => {
        // A ban that lasts until lifted: on a loaded machine the reads between the refusal and the
        // probe took longer than a ban of a second or two.
        const s = await setUp({ variant: { banForm }, banSeconds: 600 });
        const hde = await clients(1500).forIntegration(s.integration);
        await hde.listStatuses();
        sim.injectFault(s.account.slug, { path: '/tickets/', kind: 'ban', times: 1 });
        await pausedError(hde.listTickets());
        // Paused: no request reaches HDE.
        const sent = sim.apiLog(s.account.slug).length;
        await pausedError(hde.getTicket(s.ticketId));
        expect(sim.apiLog(s.account.slug).length).toBe(sent);
        // HDE lifts the ban; our pause ends after it.
        sim.liftBan(s.account.slug);
        await new Promise((r) => setTimeout(r, 1700));
        await expect(hde.getTicket(s.ticketId)).resolves.toMatchObject({ id: s.ticketId });
        const after = sim
          .apiLog(s.account.slug)
          .slice(sent)
          .map((e) => `${e.method} ${e.path}`);
        expect(after).toEqual(['GET /statuses/', `GET /tickets/${s.ticketId}/`]);
      },
      20_000,
    );

    it('a working key refused one call (a right the bot account lacks) while HDE answers the others: that call fails, the account is not paused', async () => {
      const s = await setUp({ banSeconds: 600 });
      const budgets = createAccountBudgets({ redis, prefix, remainingFloor: 0, banPauseMs: 600_000 });
      const hde = await clients(600_000, budgets).forIntegration(s.integration);
      await hde.listStatuses();
      sim.injectFault(s.account.slug, { method: 'PUT', path: '/tickets/:id/', kind: 'status', status: 403, times: 2 });
      for (let i = 0; i < 2; i += 1) {
        const refused = await hde.updateTicket(s.ticketId, { ownerId: s.agent }).catch((e: unknown) => e);
        expect(refused).toMatchObject({ reason: 'auth', status: 403 });
      }
      expect(await budgets.pausedUntil(accountKeyOf(s.integration.hdeBaseUrl))).toBe(0);
      await expect(hde.getTicket(s.ticketId)).resolves.toMatchObject({ id: s.ticketId });
      hde.close();
    });

    it("one refusal met twice at once (a job run twice): the second call waits for the first one's probe, and the account is not paused", async () => {
      const s = await setUp({ banSeconds: 600 });
      const budgets = createAccountBudgets({ redis, prefix, remainingFloor: 0, banPauseMs: 600_000 });
      const hde = await clients(600_000, budgets).forIntegration(s.integration);
      await hde.listStatuses();
      const probes = () => sim.apiLog(s.account.slug).filter((e) => e.path === '/statuses/').length;
      const before = probes();
      sim.injectFault(s.account.slug, { method: 'PUT', path: '/tickets/:id/', kind: 'status', status: 403, times: 2 });
      // A slow probe: the second refusal surely arrives while the first call is still probing.
      sim.injectFault(s.account.slug, { method: 'GET', path: '/statuses/', kind: 'latency', ms: 400, times: 1 });
      const refused = await Promise.all([0, 1].map(() => hde.updateTicket(s.ticketId, { ownerId: s.agent }).catch((e: unknown) => e)));
      for (const error of refused) expect(error).toMatchObject({ reason: 'auth', status: 403 });
      expect(await budgets.pausedUntil(accountKeyOf(s.integration.hdeBaseUrl))).toBe(0);
      expect(probes() - before).toBe(1);
      hde.close();
    });

    it('a ban met by two calls at once: both wait, one probe, and the account is paused', async () => {
      // A ban in a form HDE does not document: only the probe tells it from a missing right.
      const s = await setUp({ variant: { banForm: 'html_403' }, banSeconds: 600 });
      const budgets = createAccountBudgets({ redis, prefix, remainingFloor: 0, banPauseMs: 600_000 });
      const hde = await clients(600_000, budgets).forIntegration(s.integration);
      await hde.listStatuses();
      const sent = sim.apiLog(s.account.slug).length;
      sim.injectFault(s.account.slug, { method: 'GET', path: '/statuses/', kind: 'latency', ms: 400, times: 1 });
      sim.injectFault(s.account.slug, { path: '/tickets/', kind: 'ban', times: 1 });
      const errors = await Promise.all([0, 1].map(() => hde.listTickets().catch((e: unknown) => e)));
      for (const error of errors) expect(error).toBeInstanceOf(AccountPausedError);
      expect(await budgets.pausedUntil(accountKeyOf(s.integration.hdeBaseUrl))).toBeGreaterThan(Date.now());
      const calls = sim
        .apiLog(s.account.slug)
        .slice(sent)
        .map((e) => `${e.method} ${e.path}`);
      expect(calls.filter((c) => c === 'GET /statuses/')).toHaveLength(1);
      hde.close();
    });

    it('R8 a 429 without Retry-After: not retried at once, each one in a row pausing the account twice as long, up to the ban pause', async () => {
      const s = await setUp({ variant: { banForm: 'plain_429' }, banSeconds: 600 });
      const budgets = createAccountBudgets({ redis, prefix, remainingFloor: 0, banPauseMs: 150_000 });
      const hde = await clients(150_000, budgets).forIntegration(s.integration);
      await hde.listStatuses();
      sim.injectFault(s.account.slug, { path: '/tickets/', kind: 'ban', times: 1 });
      const account = accountKeyOf(s.integration.hdeBaseUrl);
      const pauses: number[] = [];
      for (let i = 0; i < 4; i += 1) {
        const started = Date.now();
        const sent = sim.apiLog(s.account.slug).length;
        const error = await pausedError(hde.listTickets());
        // One request per call: a 429 that names no wait is not retried at once.
        expect(sim.apiLog(s.account.slug).length - sent).toBe(1);
        pauses.push(Math.round((error.until - started) / 1000));
        // What the error reports is what is stored, to the millisecond, however slow the round trips.
        expect(await budgets.pausedUntil(account)).toBe(error.until);
        // End the pause early, as its time passing would: the account is still banned.
        await redis.del(`{${prefix}}:hde-pause:${account}`, `{${prefix}}:hde-429-until:${account}`);
      }
      expect(pauses).toEqual([60, 120, 150, 150]);
      hde.close();
    }, 20_000);

    it.each(['sent', 'absent'] as const)(
      'another consumer of the account near its limit, X-Rate-Limit-Remaining %s: paused before a ban when the header says so, working without it',
      async (rateHeaders) => {
        // A minute of a real minute here: the other consumer's requests must stay in the window.
        const own = await startHdeSim();
        try {
          const acc = own.createAccount({ slug: `remaining-${rateHeaders}`, rateLimitPerMinute: 20, variant: { rateHeaders } });
          const integration = await store.integrations.create({
            organizationId,
            skillId,
            hdeBaseUrl: acc.baseUrl,
            adminEmail: acc.adminEmail,
            apiKey: acc.apiKey,
            botUserId: acc.adminUserId,
          });
          // Another integration or script on the same account spends 15 of its 20 requests.
          const other = createHdeClient({ baseUrl: acc.baseUrl, email: acc.adminEmail, apiKey: acc.apiKey, allowPrivateNetwork: true });
          for (let i = 0; i < 15; i += 1) await other.listStatuses();
          other.close();
          const budgets = createAccountBudgets({ redis, prefix, remainingFloor: 10, banPauseMs: 60_000 });
          const hde = await clients(60_000, budgets).forIntegration(integration);
          await expect(hde.listStatuses()).resolves.toBeDefined();
          if (rateHeaders === 'sent') {
            // 4 left, under the floor: the account pauses instead of spending the rest into a ban.
            await pausedError(hde.listStatuses());
            expect(own.apiLog(acc.slug)).toHaveLength(16);
          } else {
            // Nothing says how much is left: the product goes on within its own budget.
            await expect(hde.listStatuses()).resolves.toBeDefined();
            expect(own.apiLog(acc.slug)).toHaveLength(17);
          }
          hde.close();
        } finally {
          await own.close();
        }
      },
      20_000,
    );

    it('tells admins when the refusal outlives the pause', async () => {
      const s = await setUp({ variant: { banForm: 'html_403' }, banSeconds: 600 });
      const errors = jest.spyOn(logger, 'error');
      const hde = await clients(500).forIntegration(s.integration);
      await hde.listStatuses();
      sim.injectFault(s.account.slug, { path: '/tickets/', kind: 'ban', times: 1 });
      await pausedError(hde.listTickets());
      expect(errors).not.toHaveBeenCalled();
      await new Promise((r) => setTimeout(r, 700));
      await pausedError(hde.listTickets());
      expect(errors).toHaveBeenCalledWith(
        expect.stringContaining('still refuses'),
        expect.objectContaining({ integrationId: s.integration.id }),
      );
      errors.mockRestore();
    }, 20_000);

    it('reports a key that never worked as an auth error at once', async () => {
      const s = await setUp({ variant: { banForm: 'json_e403' } });
      sim.injectFault(s.account.slug, { path: '*', kind: 'status', status: 403, times: 1 });
      const error = await (await clients(60_000).forIntegration(s.integration)).listStatuses().catch((e: unknown) => e);
      expect(isHdeApiError(error) && error.reason === 'auth').toBe(true);
    });
  });
});
