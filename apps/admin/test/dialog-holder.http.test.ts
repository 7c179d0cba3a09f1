import { parseIntegrationSettings } from '@repo/domain';
import type { Integration } from '@repo/store';
import { startFixture, type Fixture } from './fixture';
import { apiClient, type TestClient } from './http-client';

// Taking a ticket over from the bot and returning it, on the dialog page and in the JSON API, and
// the after-agent-reply setting on the integration form.
describe('dialog page: take over and return to the bot', () => {
  let fx: Fixture;
  let integration: Integration;
  let lead: TestClient;
  let ticket = 500;

  beforeAll(async () => {
    fx = await startFixture();
    integration = await fx.simIntegration('holder');
    // Members see the integration's dialogs: what a member may read, they may take over (as approve).
    await fx.store.integrations.update(integration.id, { dialogsVisibleToAll: true });
    lead = await fx.signedIn('lead@holder.test', 'member');
  }, 60_000);

  afterAll(async () => {
    await fx?.close();
  });

  async function newDialog(): Promise<number> {
    ticket += 1;
    return (await fx.store.dialogs.upsert(integration.id, ticket, { customerId: 7, customerName: 'Иван' })).id;
  }

  it('takes a ticket over from the bot: state agent, recorded with who and when, nothing posted to HDE', async () => {
    const id = await newDialog();
    const page = await lead.get(`/dialogs/${id}`);
    expect(page.text).toContain('data-testid="take-over-form"');
    expect(page.text).not.toContain('data-testid="return-form"');
    const requestsBefore = fx.sim.apiLog('holder').length;

    const res = await lead.post(`/dialogs/${id}/take-over`, {}, `/dialogs/${id}`);
    expect(res.status).toBe(303);
    expect(res.location).toBe(`/dialogs/${id}?flash=dialog.takenOver`);
    const dialog = (await fx.store.dialogs.get(id))!;
    expect(dialog.state).toBe('agent');
    expect(dialog.handoffReason).toBe('taken_over_in_admin');
    expect(fx.sim.apiLog('holder')).toHaveLength(requestsBefore);

    const after = await lead.get(`/dialogs/${id}`);
    expect(after.text).toContain('data-testid="return-form"');
    expect(after.text).not.toContain('data-testid="take-over-form"');
    expect(after.text).toMatch(/data-testid="holder-change">[\s\S]*lead@holder\.test[\s\S]*взял\(а\) заявку на себя в админке/);
    expect(after.text).toContain('Сотрудник взял заявку в админке');

    // The dialog list filters by it, under its words.
    const list = await lead.get('/dialogs?reason=taken_over_in_admin');
    expect(list.text).toMatch(/<option value="taken_over_in_admin" selected>Сотрудник взял заявку в админке<\/option>/);
    expect(list.text).toContain(`/dialogs/${id}`);
  });

  it('keeps a ticket taken over with the person when a staff reply follows', async () => {
    const id = await newDialog();
    await lead.post(`/dialogs/${id}/take-over`, {}, `/dialogs/${id}`);
    expect(await fx.store.dialogs.setState(id, 'agent', 'agent_replied', new Date())).toBe(true);
    expect((await fx.store.dialogs.get(id))!.handoffReason).toBe('taken_over_in_admin');
  });

  it('returns a ticket to the bot: messages written meanwhile stay unanswered, a closed ticket stays closed', async () => {
    const id = await newDialog();
    await fx.store.dialogs.upsert(integration.id, ticket, { statusId: 'closed' });
    await fx.store.dialogs.setState(id, 'agent', 'agent_replied', new Date());
    await fx.store.dialogs.recordMessage({
      dialogId: id,
      eventId: `e-holder-${id}`,
      authorKind: 'customer',
      text: 'ещё вопрос',
      status: 'pending',
    });

    const res = await lead.post(`/dialogs/${id}/return`, {}, `/dialogs/${id}`);
    expect(res.status).toBe(303);
    expect(res.location).toBe(`/dialogs/${id}?flash=dialog.returned`);
    const dialog = (await fx.store.dialogs.get(id))!;
    expect(dialog).toMatchObject({ state: 'bot', handoffReason: 'returned_in_admin', statusId: 'closed' });
    expect(dialog.returnedAt).toBeInstanceOf(Date);
    expect((await fx.store.dialogs.messages(id)).map((m) => m.status)).toEqual(['ignored']);
    const page = await lead.get(`/dialogs/${id}`);
    expect(page.text).toContain('data-testid="take-over-form"');
    expect(page.text).toContain('вернул(а) заявку боту в админке');
  });

  it('a second click after the ticket changed hands changes nothing and says so', async () => {
    const id = await newDialog();
    await fx.store.dialogs.setState(id, 'handed_off', 'operator_requested');
    const token = await lead.csrf(`/dialogs/${id}`);
    const first = await lead.request('POST', `/dialogs/${id}/return`, { form: { _csrf: token } });
    expect(first.location).toBe(`/dialogs/${id}?flash=dialog.returned`);
    const again = await lead.request('POST', `/dialogs/${id}/return`, { form: { _csrf: token } });
    expect(again.status).toBe(303);
    expect(again.location).toBe(`/dialogs/${id}?flash=error.holderChanged`);
    expect((await fx.store.dialogHolder.changes(id)).map((c) => c.reason)).toEqual(['returned_in_admin']);
  });

  it('refuses a post without the CSRF token, and a user who may not see the dialog', async () => {
    const id = await newDialog();
    expect((await lead.request('POST', `/dialogs/${id}/take-over`, { form: {} })).status).toBe(403);
    const other = await fx.signedIn('outsider@holder.test', 'member');
    await fx.store.integrations.update(integration.id, { dialogsVisibleToAll: false });
    try {
      expect((await other.post(`/dialogs/${id}/take-over`, {}, '/dialogs')).status).toBe(404);
    } finally {
      await fx.store.integrations.update(integration.id, { dialogsVisibleToAll: true });
    }
    expect((await fx.store.dialogs.get(id))!.state).toBe('bot');
  });

  it('offers the same through the JSON API, with the history in the dialog', async () => {
    const user = await fx.createUser('api@holder.test', 'member');
    const api = apiClient(fx.url, (await fx.admin.accounts.issueApiToken({ userId: user.id, name: 'ci', createdBy: user.id })).token);
    const id = await newDialog();
    expect(await api('POST', `/dialogs/${id}/take-over`)).toMatchObject({
      status: 200,
      body: { id, state: 'agent', handoffReason: 'taken_over_in_admin' },
    });
    expect((await api('POST', `/dialogs/${id}/take-over`)).status).toBe(409);
    expect((await api('POST', `/dialogs/${id}/return`)).body).toMatchObject({ state: 'bot', handoffReason: 'returned_in_admin' });
    const detail = await api('GET', `/dialogs/${id}`);
    expect(detail.body.holderActions).toEqual(['take_over']);
    expect(detail.body.holderChanges.map((c: { reason: string; by: { email: string } }) => [c.reason, c.by.email])).toEqual([
      ['taken_over_in_admin', 'api@holder.test'],
      ['returned_in_admin', 'api@holder.test'],
    ]);
  });

  it('saves what the bot does after a staff reply from the integration form (default: silent)', async () => {
    const boss = await fx.signedIn('boss@holder.test', 'admin');
    const form = `/integrations/${integration.id}`;
    const before = await boss.get(form);
    expect(before.text).toMatch(/name="afterAgentReply" value="silent" checked/);
    const res = await boss.post(
      `/integrations/${integration.id}/settings`,
      {
        name: 'Shop',
        replyMode: 'public',
        enabled: '1',
        dialogsVisibleToAll: '1',
        handBackOnReopen: '1',
        afterAgentReply: 'resume_after',
        resumeAfterMinutes: '15',
      },
      form,
    );
    expect(res.status).toBe(303);
    const takeover = parseIntegrationSettings((await fx.store.integrations.get(integration.id))!.settings).takeover;
    expect(takeover).toMatchObject({ afterAgentReply: 'resume_after', resumeAfterMinutes: 15, handBackOnReopen: true });
    expect((await boss.get(form)).text).toMatch(/name="afterAgentReply" value="resume_after" checked/);
    const bad = await boss.post(
      `/integrations/${integration.id}/settings`,
      {
        name: 'Shop',
        replyMode: 'public',
        enabled: '1',
        dialogsVisibleToAll: '1',
        afterAgentReply: 'resume_after',
        resumeAfterMinutes: '0',
      },
      form,
    );
    expect(bad.status).toBe(400);
    expect(parseIntegrationSettings((await fx.store.integrations.get(integration.id))!.settings).takeover.resumeAfterMinutes).toBe(15);
  });
});
