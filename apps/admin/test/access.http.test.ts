import { QUEUES } from '@repo/queue';
import { startFixture, type Fixture } from './fixture';
import { apiClient, TestClient } from './http-client';

/**
 * Every access rule through HTTP: sign-in, sessions, CSRF, roles, the integration setup flow, dialog
 * visibility (option on/off, grants, other organizations), draft approval, KB rights, the JSON API.
 */
describe('admin app access rules', () => {
  let fx: Fixture;
  let adminUser: { id: string; email: string; password: string };
  let memberA: { id: string; email: string; password: string };
  let memberB: { id: string; email: string; password: string };
  let admin: TestClient;
  let a: TestClient;
  let b: TestClient;
  let skillId: string;
  let integrationId: string;
  let webhookToken: string;
  let dialogId: number;
  let ticketId: number;
  let account: ReturnType<Fixture['sim']['createAccount']>;

  beforeAll(async () => {
    fx = await startFixture();
    adminUser = await fx.createUser('boss@example.test', 'admin');
    memberA = await fx.createUser('alice@example.test', 'member');
    memberB = await fx.createUser('bob@example.test', 'member');
    admin = new TestClient(fx.url);
    a = new TestClient(fx.url);
    b = new TestClient(fx.url);
    expect((await admin.login(adminUser.email, adminUser.password)).status).toBe(303);
    expect((await a.login(memberA.email, memberA.password)).status).toBe(303);
    expect((await b.login(memberB.email, memberB.password)).status).toBe(303);
    account = fx.sim.createAccount({ slug: 'acme' });
  });
  afterAll(async () => {
    await fx?.close();
  });

  describe('sign-in and sessions', () => {
    it('sends anonymous pages to the sign-in page and anonymous API calls get 401', async () => {
      const anon = new TestClient(fx.url);
      const page = await anon.get('/dialogs');
      expect(page.status).toBe(303);
      expect(page.location).toBe('/login?next=%2Fdialogs');
      expect((await anon.get('/admin/queues')).status).toBe(303);
      expect((await fetch(`${fx.url}/api/admin/v1/dialogs`)).status).toBe(401);
    });

    it('sets a secure, HTTP-only, SameSite=Strict session cookie', async () => {
      const c = new TestClient(fx.url);
      await c.login(adminUser.email, adminUser.password);
      const cookie = c.lastSetCookie.find((l) => l.startsWith('__Host-hde_sid='));
      expect(cookie).toBeDefined();
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/Secure/i);
      expect(cookie).toMatch(/SameSite=Strict/i);
    });

    it('refuses a wrong password and an unknown e-mail alike', async () => {
      const c = new TestClient(fx.url);
      const wrong = await c.login(adminUser.email, 'not-the-password');
      const unknown = await c.login('nobody@example.test', 'whatever-password');
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect((await c.get('/dialogs')).status).toBe(303);
    });

    it('refuses a sign-in without the form token', async () => {
      const c = new TestClient(fx.url);
      await c.get('/login');
      const res = await c.request('POST', '/login', { form: { email: adminUser.email, password: adminUser.password } });
      expect(res.status).toBe(403);
    });

    it('limits sign-in attempts', async () => {
      const limited = await fx.startApp({ loginMaxAttempts: 3 });
      const c = new TestClient(limited.url);
      const statuses: number[] = [];
      for (let i = 0; i < 5; i += 1) statuses.push((await c.login(memberA.email, 'wrong-password-x')).status);
      expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
      expect(statuses[3]).toBe(429);
      // Even the right password is refused while limited.
      expect((await c.login(memberA.email, memberA.password)).status).toBe(429);
      await limited.close();
    });

    it('rejects a form without a valid CSRF token', async () => {
      const res = await admin.request('POST', '/settings/consultants', { form: { name: 'X', _csrf: 'forged' } });
      expect(res.status).toBe(403);
      const none = await admin.request('POST', '/settings/consultants', { form: { name: 'X' } });
      expect(none.status).toBe(403);
    });

    it('signs out: the old session cookie stops working', async () => {
      const c = new TestClient(fx.url);
      await c.login(memberA.email, memberA.password);
      const sid = c.cookie('__Host-hde_sid')!;
      expect((await c.post('/logout', {}, '/dialogs')).status).toBe(303);
      const replay = await fetch(`${fx.url}/dialogs`, { headers: { cookie: `__Host-hde_sid=${sid}` }, redirect: 'manual' });
      expect(replay.status).toBe(303);
    });

    it('switches the language', async () => {
      const c = new TestClient(fx.url);
      await c.login(memberA.email, memberA.password);
      expect((await c.get('/dialogs')).text).toContain('Диалоги');
      await c.get('/locale?l=en&back=/dialogs');
      expect((await c.get('/dialogs')).text).toContain('Dialogs');
    });
  });

  describe('setup: consultant → skill → HelpDeskEddy integration', () => {
    it('lets only admins create consultants and skills', async () => {
      expect((await a.post('/settings/consultants', { name: 'Nope' })).status).toBe(403);
      const created = await admin.post('/settings/consultants', { name: 'Support bot' });
      expect(created.status).toBe(303);
      const consultantPath = created.location!;
      const skill = await admin.post(`${consultantPath}/skills`, { name: 'FAQ', language: 'ru' });
      expect(skill.status).toBe(303);
      skillId = skill.location!.split('/').pop()!;
      expect((await a.post(`${consultantPath}/skills`, { name: 'Nope' })).status).toBe(403);
    });

    it('explains wrong HDE credentials and creates nothing', async () => {
      const res = await admin.post(`/settings/skills/${skillId}/integrations`, {
        domain: account.baseUrl,
        email: account.adminEmail,
        apiKey: 'wrong-key',
      });
      expect(res.status).toBe(400);
      expect(res.text).toContain('HDE');
      expect(await fx.store.integrations.list(fx.orgId)).toHaveLength(0);
    });

    it('checks the credentials, finds the bot user, and shows the token once with the dispatcher steps', async () => {
      expect((await a.get(`/settings/skills/${skillId}/integrations/new`)).status).toBe(403);
      expect(
        (
          await a.post(`/settings/skills/${skillId}/integrations`, {
            domain: account.baseUrl,
            email: account.adminEmail,
            apiKey: account.apiKey,
          })
        ).status,
      ).toBe(403);
      const res = await admin.post(`/settings/skills/${skillId}/integrations`, {
        domain: account.baseUrl,
        email: account.adminEmail,
        apiKey: account.apiKey,
      });
      expect(res.status).toBe(200);
      const url = /data-testid="webhook-url">([^<]+)</.exec(res.text)![1]!;
      expect(url).toMatch(/^https:\/\/bot\.example\.test\/api\/bots\/helpdeskeddy_bot\/webhook\/hdeb_/);
      webhookToken = url.split('/').pop()!;
      expect(res.text).toContain('{answer_last}');
      expect(res.text).toContain('Отправить вебхук');
      expect(res.text).toContain('мессенджер');
      const [integration] = await fx.store.integrations.list(fx.orgId);
      integrationId = integration!.id;
      expect(integration!.botUserId).toBe(account.adminUserId);
      expect((await fx.store.integrations.findByToken(webhookToken))?.integrationId).toBe(integrationId);
      // The key is stored encrypted and never shown again; the token is not on the settings page.
      const settings = await admin.get(`/integrations/${integrationId}`);
      expect(settings.status).toBe(200);
      expect(settings.text).not.toContain(webhookToken);
      expect(settings.text).not.toContain(account.apiKey);
    });

    it('keeps integration settings, tokens and access admins-only', async () => {
      expect((await a.get(`/integrations/${integrationId}`)).status).toBe(403);
      expect((await a.post(`/integrations/${integrationId}/settings`, { name: 'x', replyMode: 'public' }, '/dialogs')).status).toBe(403);
      expect((await a.post(`/integrations/${integrationId}/tokens`, {}, '/dialogs')).status).toBe(403);
      expect((await a.post(`/integrations/${integrationId}/access`, { userId: memberA.id }, '/dialogs')).status).toBe(403);
    });

    it('rotates a token with a grace period (old and new both work) and revokes one', async () => {
      const res = await admin.post(`/integrations/${integrationId}/tokens`, {}, `/integrations/${integrationId}`);
      const fresh = /data-testid="webhook-url">([^<]+)</.exec(res.text)![1]!.split('/').pop()!;
      expect((await fx.store.integrations.findByToken(webhookToken))?.integrationId).toBe(integrationId);
      expect((await fx.store.integrations.findByToken(fresh))?.integrationId).toBe(integrationId);
      const tokens = await fx.store.integrations.listTokens(integrationId);
      const old = tokens.find((k) => webhookToken.endsWith(k.hint.slice(-4)) && k.expires_at !== null)!;
      expect(
        (await admin.post(`/integrations/${integrationId}/tokens/${old.id}/revoke`, {}, `/integrations/${integrationId}`)).status,
      ).toBe(303);
      expect(await fx.store.integrations.findByToken(webhookToken)).toBeUndefined();
      expect((await fx.store.integrations.findByToken(fresh))?.integrationId).toBe(integrationId);
    });

    it('saves reply mode, scope, hand-off target, working hours, enrichment and visibility', async () => {
      const sales = fx.sim.createDepartment('acme', { name: 'Продажи' });
      const res = await admin.post(
        `/integrations/${integrationId}/settings`,
        {
          name: 'HDE acme',
          replyMode: 'note',
          scopeDepartmentIds: '3, 4',
          handoffDepartmentId: String(sales.id),
          handoffAgentId: '',
          whTimezone: 'Europe/Moscow',
          whDays: '1,2,3,4,5',
          whFrom: '09:00',
          whTo: '18:00',
          enrichment: '[{"when":{"topic":"billing"},"tags":["оплата"]}]',
          handoffTarget: 'least_loaded',
          handoffTag: 'bot-handoff',
          scopeSources: 'telegram',
          enabled: '1',
        },
        `/integrations/${integrationId}`,
      );
      expect(res.status).toBe(303);
      const i = (await fx.store.integrations.get(integrationId))!;
      expect(i.replyMode).toBe('note');
      expect(i.handoffDepartmentId).toBe(sales.id);
      expect(i.dialogsVisibleToAll).toBe(false);
      expect(i.settings).toMatchObject({
        scope: { departmentIds: [3, 4] },
        workingHours: { timezone: 'Europe/Moscow', from: '09:00' },
        enrichment: [{ when: { topic: 'billing' }, tags: ['оплата'] }],
        handoff: { target: 'least_loaded', tag: 'bot-handoff' },
      });
      expect(i.settings).toMatchObject({ scope: { sources: ['telegram'] } });
    });
  });

  describe('dialogs: visibility', () => {
    beforeAll(async () => {
      const customer = fx.sim.createCustomer('acme', { name: 'Ivan', email: 'ivan@example.test' });
      const ticket = fx.sim.openTicket('acme', { customerId: customer.id, title: 'Оплата', text: 'Как оплатить заказ?' });
      ticketId = ticket.id;
      const dialog = await fx.store.dialogs.upsert(integrationId, ticketId, { customerId: customer.id, customerName: 'Ivan' });
      dialogId = dialog.id;
      const m = await fx.store.dialogs.recordMessage({
        dialogId,
        eventId: 'e0123456789abcdef',
        authorKind: 'customer',
        authorId: customer.id,
        text: 'Как оплатить заказ?',
        status: 'pending',
      });
      await fx.store.turnState.claim(dialogId, 't-abc-1');
      const classification = {
        intent: 'question' as const,
        intentConfidence: 0.9,
        language: 'ru' as const,
        tone: 'neutral' as const,
        cleanText: 'Как оплатить заказ?',
      };
      await fx.store.decisions.recordRetrieved({ dialogId, turnId: 't-abc-1', messageIds: [m.id], classification, kbHits: [] });
      await fx.store.decisions.update('t-abc-1', {
        stage: 'delivered',
        action: 'answer',
        reasons: ['kb_confident'],
        confidence: 0.8,
        replyHtml: '<p>Оплатить можно картой на сайте.</p>',
        citations: [1],
        kbHits: [{ articleId: 1, passageId: 1, title: 'Оплата', passage: 'Оплатить можно картой', score: 0.8 }],
      });
    });

    it('shows the dialog to admins with its decision and HDE link', async () => {
      const list = await admin.get('/dialogs');
      expect(list.text).toContain(`/dialogs/${dialogId}`);
      const page = await admin.get(`/dialogs/${dialogId}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain('В базе знаний найден уверенный ответ');
      expect(page.text).not.toContain('kb_confident');
      expect(page.text).toContain(`/ru/ticket/list/filter/id/1/ticket/${ticketId}`);
      expect(page.text).toContain('Как оплатить заказ?');
    });

    it('hides the dialog from members without access while the option is off', async () => {
      expect((await a.get(`/dialogs/${dialogId}`)).status).toBe(404);
      expect((await a.get('/dialogs')).text).not.toContain(`/dialogs/${dialogId}`);
      expect((await a.get(`/overview?integration=${integrationId}`)).status).toBe(404);
      expect((await a.post(`/dialogs/${dialogId}/turns/t-abc-1/rate`, { rating: 'good' }, '/dialogs')).status).toBe(404);
      expect((await a.post(`/dialogs/${dialogId}/turns/t-abc-1/approve`, { text: 'x' }, '/dialogs')).status).toBe(404);
    });

    it('shows it to a member granted access', async () => {
      expect((await b.get(`/dialogs/${dialogId}`)).status).toBe(404);
      expect(
        (await admin.post(`/integrations/${integrationId}/access`, { userId: memberB.id }, `/integrations/${integrationId}`)).status,
      ).toBe(303);
      expect((await b.get(`/dialogs/${dialogId}`)).status).toBe(200);
      expect((await b.get('/dialogs')).text).toContain(`/dialogs/${dialogId}`);
      expect((await a.get(`/dialogs/${dialogId}`)).status).toBe(404);
    });

    it('shows it to every member of the organization when the option is on, and hides it again when off', async () => {
      const form = { name: 'HDE acme', replyMode: 'note', enabled: '1' };
      await admin.post(`/integrations/${integrationId}/settings`, { ...form, dialogsVisibleToAll: '1' }, `/integrations/${integrationId}`);
      expect((await a.get(`/dialogs/${dialogId}`)).status).toBe(200);
      expect((await a.get(`/dialogs?integration=${integrationId}`)).text).toContain(`/dialogs/${dialogId}`);
      await admin.post(`/integrations/${integrationId}/settings`, form, `/integrations/${integrationId}`);
      expect((await a.get(`/dialogs/${dialogId}`)).status).toBe(404);
    });

    it('never shows it to another organization, not even to its admin', async () => {
      const other = await fx.store.organizations.createOrganization('Other');
      const outsider = await fx.createUser('eve@other.test', 'admin', other.id);
      const c = new TestClient(fx.url);
      await c.login(outsider.email, outsider.password);
      expect((await c.get(`/dialogs/${dialogId}`)).status).toBe(404);
      expect((await c.get(`/integrations/${integrationId}`)).status).toBe(404);
      expect((await c.get(`/settings/skills/${skillId}`)).status).toBe(404);
      expect((await c.get('/dialogs')).text).not.toContain(`/dialogs/${dialogId}`);
    });

    it('filters the list by state and text', async () => {
      expect((await admin.get('/dialogs?state=handed_off')).text).not.toContain(`/dialogs/${dialogId}`);
      expect((await admin.get('/dialogs?state=bot&q=оплатить')).text).toContain(`/dialogs/${dialogId}`);
      expect((await admin.get('/dialogs?q=zzzz-nothing')).text).not.toContain(`/dialogs/${dialogId}`);
    });

    it('records a rating from a user who sees the dialog', async () => {
      expect(
        (await b.post(`/dialogs/${dialogId}/turns/t-abc-1/rate`, { rating: 'bad', reason: 'Устарело' }, `/dialogs/${dialogId}`)).status,
      ).toBe(303);
      const ratings = await fx.admin.access.ratingsOfTurns(dialogId, ['t-abc-1', 't-other']);
      expect(ratings).toMatchObject([{ rating: 'bad', reason: 'Устарело', userEmail: memberB.email }]);
    });

    it('approves an edited draft once: planned in the send ledger and queued for the worker', async () => {
      const drafts = async () => ((await admin.get('/dialogs?drafts=1')).text.match(/data-testid="dialog-row"/g) ?? []).length;
      expect(await drafts()).toBe(1);
      const first = await b.post(
        `/dialogs/${dialogId}/turns/t-abc-1/approve`,
        { text: 'Оплатить можно картой.\n\nСпасибо!' },
        `/dialogs/${dialogId}`,
      );
      expect(first.status).toBe(303);
      expect(first.location).toContain('dialog.approved');
      const again = await admin.post(`/dialogs/${dialogId}/turns/t-abc-1/approve`, { text: 'Другой текст' }, `/dialogs/${dialogId}`);
      expect(again.status).toBe(303);
      const ledger = await fx.store.ledger.forDialog(dialogId);
      expect(ledger).toMatchObject([{ actionKey: 'approved-t-abc-1', kind: 'reply', state: 'planned' }]);
      expect(await drafts()).toBe(0);
      expect(String(ledger[0]!.request.text)).toContain('Оплатить можно картой.');
      const deliver = fx.queues.find((q) => q.name === QUEUES.deliver.name)!;
      const jobs = await deliver.getJobs(['waiting', 'delayed', 'prioritized']);
      expect(jobs.map((j) => j.id)).toEqual(['a-t-abc-1']);
      // Posting is the worker's deliver stage (apps/demo/test/approval.integration.test.ts).
      expect(fx.sim.posts('acme', ticketId).some((p) => p.text.includes('Другой текст'))).toBe(false);
    });
  });

  describe('roles for operations pages', () => {
    it('shows Bull Board, users and API tokens to admins only', async () => {
      expect((await a.get('/admin/queues')).status).toBe(403);
      expect((await a.get('/users')).status).toBe(403);
      expect((await a.get('/api-tokens')).status).toBe(403);
      const board = await admin.get('/admin/queues');
      expect(board.status).toBe(200);
      const api = await admin.get('/admin/queues/api/queues');
      expect(api.status).toBe(200);
      const names = (JSON.parse(api.text) as { queues: Array<{ name: string }> }).queues.map((q) => q.name).sort();
      expect(names).toEqual(
        Object.values(QUEUES)
          .map((q) => q.name)
          .sort(),
      );
    });

    it("keeps Bull Board, which shows every organization's jobs, from an organization's own admin", async () => {
      // An admin of this organization who is not one of the deployment's operators.
      const orgAdmin = await fx.createUser('lead@example.test', 'admin');
      const other = await fx.store.organizations.createOrganization('Other company');
      const foreignAdmin = await fx.createUser('lead@other.example', 'admin', other.id);
      for (const user of [orgAdmin, foreignAdmin]) {
        const client = new TestClient(fx.url);
        expect((await client.login(user.email, user.password)).status).toBe(303);
        expect((await client.get('/admin/queues')).status).toBe(403);
        expect((await client.get('/admin/queues/api/queues')).status).toBe(403);
        expect(
          (await client.request('PUT', '/admin/queues/api/queues/ticket-classify/pause', { headers: { origin: fx.url } })).status,
        ).toBe(403);
        expect((await client.get('/dialogs')).text).not.toContain('href="/admin/queues"');
      }
      expect(await fx.queues.find((q) => q.name === 'ticket-classify')!.isPaused()).toBe(false);
      expect((await admin.get('/dialogs')).text).toContain('href="/admin/queues"');
    });

    it("lets no organization admin make themselves an operator through an operator's e-mail", async () => {
      const other = await fx.store.organizations.createOrganization('Squatters');
      const squatter = await fx.createUser('lead@squat.example', 'admin', other.id);
      const client = new TestClient(fx.url);
      expect((await client.login(squatter.email, squatter.password)).status).toBe(303);
      // ops@example.test is an operator with no account yet: taking it would open Bull Board.
      const created = await client.post(
        '/users',
        { email: 'OPS@example.test', name: '', password: 'long-enough-password', role: 'admin' },
        '/users',
      );
      expect(created.status).toBe(403);
      expect(await fx.admin.accounts.findForLogin('ops@example.test')).toBeUndefined();
      // Within the operator's own organization, another admin can neither reset nor re-role them.
      const colleague = await fx.createUser('second@example.test', 'admin');
      const c2 = new TestClient(fx.url);
      expect((await c2.login(colleague.email, colleague.password)).status).toBe(303);
      expect((await c2.post(`/users/${adminUser.id}/reset-password`, {}, '/users')).status).toBe(403);
      expect((await c2.post(`/users/${adminUser.id}`, { role: 'member' }, '/users')).status).toBe(403);
      expect((await c2.post(`/users/${adminUser.id}/delete`, {}, '/users')).status).toBe(403);
      expect((await admin.get('/admin/queues')).status).toBe(200);
    });

    it('refuses cross-site writes to Bull Board', async () => {
      const res = await admin.request('PUT', '/admin/queues/api/queues/ticket-classify/pause', {
        headers: { 'sec-fetch-site': 'cross-site' },
      });
      expect(res.status).toBe(403);
    });

    it('shows the overview to those who see the integration', async () => {
      const res = await admin.get(`/overview?integration=${integrationId}&days=7`);
      expect(res.status).toBe(200);
      expect(res.text).toContain('data-testid="stat-messages"><b>1</b>');
      expect(res.text).toContain('<svg');
      expect((await b.get(`/overview?integration=${integrationId}`)).status).toBe(200);
    });
  });

  describe('knowledge base', () => {
    it('lets members read and test but only admins and owners edit', async () => {
      const created = await admin.post(
        `/skills/${skillId}/kb`,
        { title: 'Оплата заказа', body: 'Оплатить заказ можно банковской картой на сайте или по счёту.', tags: 'оплата' },
        `/skills/${skillId}/kb/new`,
      );
      expect(created.status).toBe(303);
      const articlePath = created.location!.split('?')[0]!;
      expect((await a.get(articlePath)).status).toBe(200);
      expect((await a.get(`/skills/${skillId}/kb?q=Оплата`)).text).toContain('Оплата заказа');
      expect((await a.get(`/skills/${skillId}/kb/new`)).status).toBe(403);
      expect((await a.post(`/skills/${skillId}/kb`, { title: 'x', body: 'y' }, `/skills/${skillId}/kb`)).status).toBe(403);
      expect((await a.post(`${articlePath}/delete`, {}, `/skills/${skillId}/kb`)).status).toBe(403);
      expect((await a.get(`/skills/${skillId}/ratings`)).status).toBe(403);
      // An owner may edit.
      await admin.post(`/settings/skills/${skillId}/owners`, { userId: memberA.id, owner: '1' }, `/settings/skills/${skillId}`);
      expect(
        (
          await a.post(
            articlePath,
            { title: 'Оплата заказа', body: 'Оплатить заказ можно банковской картой на сайте.', tags: 'оплата' },
            `${articlePath}/edit`,
          )
        ).status,
      ).toBe(303);
      expect((await a.get(`/skills/${skillId}/ratings`)).status).toBe(200);
    });

    it('runs the test box without touching HDE', async () => {
      const before = fx.sim.apiLog('acme').length;
      const res = await a.post(`/skills/${skillId}/kb/test`, { message: 'Как оплатить заказ картой?' }, `/skills/${skillId}/kb`);
      expect(res.status).toBe(200);
      expect(res.text).toContain('data-testid="test-result"');
      expect(res.text).toContain('Оплата заказа');
      expect(fx.sim.apiLog('acme').length).toBe(before);
    });

    it('imports articles', async () => {
      const res = await admin.post(
        `/skills/${skillId}/kb/import`,
        { articles: JSON.stringify([{ title: 'Доставка', body: 'Доставка занимает 3 дня.' }]) },
        `/skills/${skillId}/kb`,
      );
      expect(res.status).toBe(200);
      expect((await fx.store.kb.list(skillId)).map((x) => x.title)).toContain('Доставка');
    });
  });

  describe('JSON API with personal tokens', () => {
    let adminApi: ReturnType<typeof apiClient>;
    let memberApi: ReturnType<typeof apiClient>;
    let memberTokenId: string;

    beforeAll(async () => {
      const issued = await fx.admin.accounts.issueApiToken({ userId: adminUser.id, name: 'ci', createdBy: adminUser.id });
      adminApi = apiClient(fx.url, issued.token);
      const res = await adminApi('POST', '/api-tokens', { userId: memberA.id, name: 'alice script' });
      expect(res.status).toBe(201);
      memberTokenId = res.body.id;
      memberApi = apiClient(fx.url, res.body.token);
    });

    it('serves the OpenAPI document', async () => {
      const res = await fetch(`${fx.url}/api/admin/v1/openapi.json`);
      const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
      expect(doc.openapi).toBe('3.1.0');
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining(['/dialogs', '/dialogs/{id}', '/skills/{id}/integrations', '/integrations/{id}/tokens']),
      );
    });

    it('refuses unknown tokens, and session cookies are not enough', async () => {
      expect((await apiClient(fx.url, 'hdea_unknown')('GET', '/me')).status).toBe(401);
      const withCookie = await fetch(`${fx.url}/api/admin/v1/me`, {
        headers: { cookie: `__Host-hde_sid=${admin.cookie('__Host-hde_sid')}` },
      });
      expect(withCookie.status).toBe(401);
    });

    it('applies the same roles as the UI', async () => {
      expect((await memberApi('GET', '/me')).body.role).toBe('member');
      expect((await memberApi('GET', '/integrations')).status).toBe(403);
      expect((await memberApi('PATCH', `/integrations/${integrationId}`, { dialogsVisibleToAll: true })).status).toBe(403);
      expect((await memberApi('POST', `/integrations/${integrationId}/tokens`)).status).toBe(403);
      expect((await memberApi('GET', '/users')).status).toBe(403);
      expect((await memberApi('POST', '/api-tokens', { userId: memberA.id, name: 'x' })).status).toBe(403);
      expect((await adminApi('GET', '/integrations')).status).toBe(200);
    });

    it('applies the same dialog visibility as the UI', async () => {
      await fx.admin.access.revoke(integrationId, memberA.id);
      expect((await memberApi('GET', `/dialogs/${dialogId}`)).status).toBe(404);
      expect((await memberApi('GET', '/dialogs')).body.rows).toHaveLength(0);
      expect((await memberApi('POST', `/dialogs/${dialogId}/turns/t-abc-1/rating`, { rating: 'good' })).status).toBe(404);
      expect((await adminApi('PATCH', `/integrations/${integrationId}`, { dialogsVisibleToAll: true })).status).toBe(200);
      const detail = await memberApi('GET', `/dialogs/${dialogId}`);
      expect(detail.status).toBe(200);
      expect(detail.body.decisions[0].reasons).toEqual(['kb_confident']);
      expect((await memberApi('GET', '/dialogs')).body.rows).toHaveLength(1);
      expect((await adminApi('PATCH', `/integrations/${integrationId}`, { dialogsVisibleToAll: false })).status).toBe(200);
      expect((await memberApi('GET', `/dialogs/${dialogId}`)).status).toBe(404);
    });

    it('sets up an integration through the API, token returned once', async () => {
      const res = await adminApi('POST', `/skills/${skillId}/integrations`, {
        domain: account.baseUrl,
        email: account.adminEmail,
        apiKey: account.apiKey,
      });
      expect(res.status).toBe(201);
      expect(res.body.token).toMatch(/^hdeb_/);
      expect(res.body.webhookUrl).toContain(res.body.token);
      const read = await adminApi('GET', `/integrations/${res.body.integration.id}`);
      expect(JSON.stringify(read.body)).not.toContain(res.body.token);
      expect(JSON.stringify(read.body)).not.toContain(account.apiKey);
    });

    it('runs the preview for members', async () => {
      const res = await memberApi('POST', `/skills/${skillId}/preview`, { message: 'Как оплатить заказ?' });
      expect(res.status).toBe(200);
      expect(res.body.hits[0].title).toBe('Оплата заказа');
      expect(['answer', 'handoff']).toContain(res.body.decision.action);
    });

    it('stops a revoked token', async () => {
      expect((await adminApi('DELETE', `/api-tokens/${memberTokenId}`)).status).toBe(204);
      expect((await memberApi('GET', '/me')).status).toBe(401);
    });
  });
});
