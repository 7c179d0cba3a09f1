import Redis from 'ioredis';
import { accountKeyOf, createBanWatch } from '@repo/hde-client';
import { testRedisUrl } from '@repo/testing';
import { apiClient, TestClient } from './http-client';
import { startFixture, type Fixture } from './fixture';

/**
 * The integrations area over HTTP: setup refuses a hand-off that leads nowhere and states the reply
 * mode it chose; the integration page offers HDE's departments and agents by name (plain ids when HDE
 * cannot be reached); the API key is replaced only with a key HDE accepts; an integration is switched
 * off and deleted behind CSRF, never across organizations.
 */
describe('integrations: setup, hand-off target, API key, switch off and delete', () => {
  let fx: Fixture;
  let admin: TestClient;
  let skillId: string;
  let account: ReturnType<Fixture['sim']['createAccount']>;
  let support: { id: number };
  let maria: { id: number };
  let integrationId: string;
  let webhookToken: string;

  beforeAll(async () => {
    fx = await startFixture();
    admin = await fx.signedIn('boss@example.test', 'admin');
    account = fx.sim.createAccount({ slug: 'acme', adminEmail: 'bot@acme.example' });
    support = fx.sim.createDepartment('acme', { name: { ru: 'Поддержка', en: 'Support' } });
    fx.sim.createDepartment('acme', { name: { ru: 'Продажи', en: 'Sales' } });
    maria = fx.sim.createAgent('acme', { name: 'Мария', lastname: 'Иванова', email: 'maria@acme.example', departmentIds: [support.id] });
    const consultant = await fx.store.organizations.createConsultant(fx.orgId, 'Эдди');
    skillId = (await fx.store.organizations.createSkill({ organizationId: fx.orgId, consultantId: consultant.id, name: 'Поддержка' })).id;
  });
  afterAll(async () => {
    await fx?.close();
  });

  const setupForm = (extra: Record<string, string>) => ({
    domain: account.baseUrl,
    email: account.adminEmail,
    apiKey: account.apiKey,
    ...extra,
  });
  const setupPath = () => `/settings/skills/${skillId}/integrations`;
  const page = () => `/integrations/${integrationId}`;

  it('refuses a hand-off without its target, and a department HDE does not have, beside the field', async () => {
    const noDepartment = await admin.post(
      setupPath(),
      setupForm({ handoffTarget: 'department', handoffDepartmentId: '' }),
      `${setupPath()}/new`,
    );
    expect(noDepartment.status).toBe(400);
    expect(noDepartment.text).toContain('data-testid="field-error-handoffDepartmentId"');
    expect(noDepartment.text).toContain('Выберите отдел');
    // The key proved to work: the form now offers HDE's departments and agents by name.
    expect(noDepartment.text).toMatch(/<select\s+id="hd"\s+name="handoffDepartmentId"[^>]*>[\s\S]*Поддержка[\s\S]*<\/select>/);
    expect(noDepartment.text).toMatch(/<select\s+id="ha"\s+name="handoffAgentId"[^>]*>[\s\S]*Мария Иванова[\s\S]*<\/select>/);
    expect(noDepartment.text).not.toContain(account.apiKey);
    const noAgent = await admin.post(setupPath(), setupForm({ handoffTarget: 'agent', handoffAgentId: '' }), `${setupPath()}/new`);
    expect(noAgent.status).toBe(400);
    expect(noAgent.text).toContain('data-testid="field-error-handoffAgentId"');
    const unknown = await admin.post(
      setupPath(),
      setupForm({ handoffTarget: 'department', handoffDepartmentId: '999' }),
      `${setupPath()}/new`,
    );
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('В HDE нет отдела с ID 999');
    expect(await fx.store.integrations.list(fx.orgId)).toHaveLength(0);
  });

  it('offers agents of a staff group the account created, also where HDE does not answer GET /groups/', async () => {
    for (const groupsEndpoint of ['listed', 'absent'] as const) {
      const slug = `groups-${groupsEndpoint}`;
      const other = fx.sim.createAccount({ slug, adminEmail: `bot@${slug}.example`, variant: { groupsEndpoint } });
      const line2 = fx.sim.createDepartment(slug, { name: 'Вторая линия' });
      const group = fx.sim.addUserGroup(slug, { name: 'Вторая линия' });
      fx.sim.createAgent(slug, {
        name: 'Олег',
        lastname: 'Петров',
        email: `oleg@${slug}.example`,
        departmentIds: [line2.id],
        groupId: group.id,
      });
      for (let i = 0; i < 40; i += 1) fx.sim.createCustomer(slug, { name: `Клиент ${i}`, email: `c${i}@${slug}.example` });
      const res = await admin.post(
        setupPath(),
        { domain: other.baseUrl, email: other.adminEmail, apiKey: other.apiKey, handoffTarget: 'agent', handoffAgentId: '' },
        `${setupPath()}/new`,
      );
      expect(res.status).toBe(400);
      expect(res.text).toMatch(/<select\s+id="ha"\s+name="handoffAgentId"[^>]*>[\s\S]*Олег Петров[\s\S]*<\/select>/);
    }
    expect(await fx.store.integrations.list(fx.orgId)).toHaveLength(0);
  });

  it('connects with a department target and says in plain words that replies are drafts', async () => {
    const res = await admin.post(
      setupPath(),
      setupForm({ handoffTarget: 'department', handoffDepartmentId: String(support.id), handoffAgentId: '' }),
      `${setupPath()}/new`,
    );
    expect(res.status).toBe(200);
    const mode = /data-testid="setup-reply-mode"><b>([^<]+)</.exec(res.text)![1]!;
    expect(mode).toContain('Режим ответов: черновики');
    expect(mode).toContain('Черновик ИИ-консультанта — проверьте и отправьте');
    webhookToken = /data-testid="webhook-url">([^<]+)</.exec(res.text)![1]!.split('/').pop()!;
    const [integration] = await fx.store.integrations.list(fx.orgId);
    integrationId = integration!.id;
    expect(integration).toMatchObject({ replyMode: 'note', handoffDepartmentId: support.id, handoffAgentId: null });
    expect(integration!.settings).toMatchObject({ handoff: { target: 'department' } });
  });

  it('offers HDE departments and agents by name and shows the target by name', async () => {
    const res = await admin.get(page());
    expect(res.status).toBe(200);
    const department = /<select id="hd" name="handoffDepartmentId"[^>]*>([\s\S]*?)<\/select>/.exec(res.text)![1]!;
    expect(department).toContain(`<option value="${support.id}" selected>Поддержка</option>`);
    expect(department).toContain('Продажи');
    const agent = /<select id="ha" name="handoffAgentId"[^>]*>([\s\S]*?)<\/select>/.exec(res.text)![1]!;
    expect(agent).toMatch(new RegExp(`<option value="${maria.id}"\\s*>Мария Иванова</option>`));
    // The bot's own account is no hand-off target.
    expect(agent).not.toContain(`value="${account.adminUserId}"`);
    const summary = /data-testid="handoff-summary">([^<]+)</.exec(res.text)![1]!;
    expect(summary).toContain('Поддержка');
    expect(summary).not.toContain(String(support.id));
  });

  it('refuses to save settings whose hand-off leads nowhere, and saves an agent chosen from the list', async () => {
    const base = { name: 'HDE', replyMode: 'note', enabled: '1', handoffDepartmentId: '', handoffAgentId: '' };
    const refused = await admin.post(`${page()}/settings`, { ...base, name: 'Набранное имя', handoffTarget: 'least_loaded' }, page());
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('data-testid="field-error-handoffDepartmentId"');
    // What was typed comes back; nothing was saved.
    expect(refused.text).toContain('value="Набранное имя"');
    expect(refused.text).toMatch(/<option value="least_loaded" selected>/);
    expect((await fx.store.integrations.get(integrationId))!.name).not.toBe('Набранное имя');
    const unknown = await admin.post(`${page()}/settings`, { ...base, handoffTarget: 'department', handoffDepartmentId: '424242' }, page());
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('424242');
    const saved = await admin.post(`${page()}/settings`, { ...base, handoffTarget: 'agent', handoffAgentId: String(maria.id) }, page());
    expect(saved.status).toBe(303);
    expect(await fx.store.integrations.get(integrationId)).toMatchObject({ handoffAgentId: maria.id, handoffDepartmentId: null });
    expect(/data-testid="handoff-summary">([^<]+)</.exec((await admin.get(page())).text)![1]).toContain('Мария Иванова');
  });

  it('replaces the API key only with one HDE accepts, keeps it encrypted and never shows it', async () => {
    const before = (await fx.store.integrations.get(integrationId))!;
    const wrong = await admin.post(`${page()}/api-key`, { apiKey: 'not-the-key' }, page());
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('data-testid="field-error-apiKey"');
    expect(wrong.text).not.toContain('not-the-key');
    expect((await fx.store.integrations.get(integrationId))!.apiKeyVersion).toBe(before.apiKeyVersion);

    // The old key was refused as a suspected ban; a new key starts with a clean slate.
    const redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 3 });
    const watch = createBanWatch({ redis, prefix: fx.prefix });
    await watch.suspect(accountKeyOf(account.baseUrl), integrationId);
    fx.sim.setApiKey('acme', account.adminEmail, 'rotated-key-0002');
    const saved = await admin.post(`${page()}/api-key`, { apiKey: ' rotated-key-0002 ' }, page());
    expect(saved.status).toBe(303);
    expect(await watch.suspected(accountKeyOf(account.baseUrl))).toBeUndefined();
    expect(await watch.hasWorked(integrationId, 'rotated-key-0002')).toBe(false);
    redis.disconnect();
    const after = (await fx.store.integrations.get(integrationId))!;
    expect(after.apiKeyVersion).toBe(before.apiKeyVersion + 1);
    expect(await fx.store.integrations.credentials(integrationId)).toEqual({ email: account.adminEmail, apiKey: 'rotated-key-0002' });
    const raw = await fx.store.db.query<{ api_key_enc: string }>('SELECT api_key_enc FROM integrations WHERE id = $1', [integrationId]);
    expect(raw[0]!.api_key_enc).not.toContain('rotated-key-0002');
    const shown = await admin.get(page());
    expect(shown.text).not.toContain('rotated-key-0002');
    // The new key reads HDE's directory again (the dropdowns still work).
    expect(shown.text).toContain('<select id="hd"');
  });

  it('falls back to plain id inputs with a message when HDE cannot be reached', async () => {
    const consultant = await fx.store.organizations.createConsultant(fx.orgId, 'Второй');
    const skill = await fx.store.organizations.createSkill({ organizationId: fx.orgId, consultantId: consultant.id, name: 'Офлайн' });
    const offline = await fx.store.integrations.create({
      organizationId: fx.orgId,
      skillId: skill.id,
      hdeBaseUrl: 'http://127.0.0.1:9/a/gone',
      adminEmail: 'bot@gone.example',
      apiKey: 'k',
      handoffDepartmentId: 5,
    });
    const res = await admin.get(`/integrations/${offline.id}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('data-testid="directory-unavailable"');
    expect(res.text).toMatch(/<input\s+id="hd"\s+name="handoffDepartmentId"\s+type="number"\s+min="1"\s+value="5"/);
    // Unreachable HDE does not block saving: the id is taken as typed.
    const saved = await admin.post(
      `/integrations/${offline.id}/settings`,
      { name: 'Офлайн', replyMode: 'note', enabled: '1', handoffTarget: 'department', handoffDepartmentId: '6', handoffAgentId: '' },
      `/integrations/${offline.id}`,
    );
    expect(saved.status).toBe(303);
    await fx.store.integrations.delete(offline.id, fx.orgId);
  });

  it('keeps warning on the overview about an old integration whose hand-off has no target', async () => {
    const consultant = await fx.store.organizations.createConsultant(fx.orgId, 'Старый');
    const skill = await fx.store.organizations.createSkill({ organizationId: fx.orgId, consultantId: consultant.id, name: 'Старый' });
    const old = await fx.store.integrations.create({
      organizationId: fx.orgId,
      skillId: skill.id,
      hdeBaseUrl: account.baseUrl,
      adminEmail: account.adminEmail,
      apiKey: account.apiKey,
    });
    expect((await admin.get(`/overview?integration=${old.id}`)).text).toContain('data-testid="handoff-warning"');
    // It can still be renamed without choosing a target first.
    const renamed = await admin.post(
      `/integrations/${old.id}/settings`,
      { name: 'Старый HDE', replyMode: 'note' },
      `/integrations/${old.id}`,
    );
    expect(renamed.status).toBe(303);
    await fx.store.integrations.delete(old.id, fx.orgId);
  });

  it('switches an integration off behind CSRF: webhooks still resolve, the page says it is off', async () => {
    const noCsrf = await admin.request('POST', `${page()}/enabled`, { form: { enabled: '0' } });
    expect(noCsrf.status).toBe(403);
    expect((await fx.store.integrations.get(integrationId))!.enabled).toBe(true);
    const off = await admin.post(`${page()}/enabled`, { enabled: '0' }, page());
    expect(off.status).toBe(303);
    expect((await fx.store.integrations.get(integrationId))!.enabled).toBe(false);
    const shown = await admin.get(page());
    expect(shown.text).toContain('data-testid="integration-disabled"');
    expect(shown.text).toContain('data-testid="enable-integration"');
    expect((await fx.store.integrations.findByToken(webhookToken))?.integrationId).toBe(integrationId);
    expect((await admin.get('/integrations')).text).toMatch(/выключена/);
    expect((await admin.get(`/overview?integration=${integrationId}`)).text).toContain('data-testid="integration-disabled"');
    expect((await admin.post(`${page()}/enabled`, { enabled: '1' }, page())).status).toBe(303);
    expect((await fx.store.integrations.get(integrationId))!.enabled).toBe(true);
    // The disable and delete buttons ask first (the app's confirmation pattern).
    const again = await admin.get(page());
    expect(again.text).toMatch(/action="\/integrations\/[^"]+\/enabled" data-confirm="Выключить интеграцию/);
    expect(again.text).toMatch(/action="\/integrations\/[^"]+\/delete" data-confirm="Удалить интеграцию/);
  });

  it('never lets an admin of another organization switch off or delete it', async () => {
    const other = await fx.store.organizations.createOrganization('Other');
    const stranger = await fx.createUser('stranger@other.example', 'admin', other.id);
    const c = new TestClient(fx.url);
    expect((await c.login(stranger.email, stranger.password)).status).toBe(303);
    expect((await c.post(`${page()}/enabled`, { enabled: '0' }, '/settings')).status).toBe(404);
    expect((await c.post(`${page()}/delete`, {}, '/settings')).status).toBe(404);
    expect((await c.post(`${page()}/api-key`, { apiKey: 'x' }, '/settings')).status).toBe(404);
    const issued = await fx.admin.accounts.issueApiToken({ userId: stranger.id, name: 't', createdBy: stranger.id });
    const api = apiClient(fx.url, issued.token);
    expect((await api('DELETE', `/integrations/${integrationId}`)).status).toBe(404);
    expect((await api('PATCH', `/integrations/${integrationId}`, { enabled: false })).status).toBe(404);
    expect(await fx.store.integrations.delete(integrationId, other.id)).toBe(false);
    expect((await fx.store.integrations.get(integrationId))!.enabled).toBe(true);
  });

  it('offers the key, directory and delete in the JSON API', async () => {
    const me = (await fx.admin.accounts.listUsers(fx.orgId)).find((u) => u.email === 'boss@example.test')!;
    const issued = await fx.admin.accounts.issueApiToken({ userId: me.id, name: 'api', createdBy: me.id });
    const api = apiClient(fx.url, issued.token);
    const directory = await api('GET', `/integrations/${integrationId}/hde-directory`);
    expect(directory.status).toBe(200);
    expect(directory.body.departments.map((d: { name: string }) => d.name)).toEqual(['Поддержка', 'Продажи']);
    const refused = await api('PUT', `/integrations/${integrationId}/api-key`, { apiKey: 'nope' });
    expect(refused).toMatchObject({ status: 400, body: { error: 'api_key_rejected', field: 'apiKey', retryable: false } });
    const handoff = await api('PATCH', `/integrations/${integrationId}`, { handoffTarget: 'department', handoffDepartmentId: null });
    expect(handoff).toMatchObject({ status: 400, body: { error: 'handoff_department_missing', field: 'handoffDepartmentId' } });
    fx.sim.setApiKey('acme', account.adminEmail, 'rotated-key-0003');
    const replaced = await api('PUT', `/integrations/${integrationId}/api-key`, { apiKey: 'rotated-key-0003' });
    expect(replaced.status).toBe(200);
    expect(JSON.stringify(replaced.body)).not.toContain('rotated-key-0003');
  });

  it('deletes an integration with its tokens and dialogs history; its webhook token is then unknown', async () => {
    const dialog = await fx.store.dialogs.upsert(integrationId, 501, { customerId: 1, customerName: 'Ivan' });
    const deleted = await admin.post(`${page()}/delete`, {}, page());
    expect(deleted.status).toBe(303);
    expect(deleted.location).toBe(`/settings/skills/${skillId}?flash=common.saved`);
    expect(await fx.store.integrations.get(integrationId)).toBeUndefined();
    expect(await fx.store.integrations.findByToken(webhookToken)).toBeUndefined();
    expect(await fx.store.integrations.listTokens(integrationId)).toHaveLength(0);
    expect(await fx.store.dialogs.get(dialog.id)).toBeUndefined();
    expect((await admin.get(page())).status).toBe(404);
  });
});
