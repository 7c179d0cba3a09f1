import { startHdeSim, type HdeSim } from '../sim';
import type { AccountInfo } from '../sim-types';
import { apiClient, basic } from '../test-support/http';

describe('API v2 tickets', () => {
  let sim: HdeSim;
  let account: AccountInfo;
  let api: ReturnType<typeof apiClient>;
  let customerId: number;
  let agentId: number;

  beforeAll(async () => {
    sim = await startHdeSim();
  });
  afterAll(() => sim.close());

  let n = 0;
  beforeEach(() => {
    account = sim.createAccount({ slug: `t${n++}` });
    api = apiClient(account);
    sim.createDepartment(account.slug, { name: 'Support' });
    customerId = sim.createCustomer(account.slug, { name: 'Anna', email: 'anna@example.com' }).id;
    agentId = sim.createAgent(account.slug, { name: 'Oleg', email: 'oleg@example.com' }).id;
  });

  const open = (title = 'Help') => sim.openTicket(account.slug, { customerId, title, text: '<p>hi</p>' });

  it('refuses missing or wrong credentials with 401 in the errors envelope', async () => {
    const noAuth = await fetch(`${account.apiUrl}/tickets/`);
    expect(noAuth.status).toBe(401);
    expect(await noAuth.json()).toEqual({
      errors: [{ code: 'e-401', title: 'Unauthorized', details: expect.any(String) }],
    });
    const wrong = await apiClient(account, { email: account.adminEmail, key: 'nope' }).get('/tickets/');
    expect(wrong.status).toBe(401);
  });

  it("accepts any staff user's key but not a client's", async () => {
    const agent = sim.createAgent(account.slug, { name: 'Ira', email: 'ira@example.com', apiKey: 'ira-key' });
    expect((await apiClient(account, { email: agent.email, key: 'ira-key' }).get('/tickets/')).status).toBe(200);
    const client = sim.createCustomer(account.slug, { name: 'C', email: 'c@example.com' });
    expect((await apiClient(account, { email: client.email, key: client.api_key }).get('/tickets/')).status).toBe(401);
  });

  it('sends the rate-limit headers on every response, errors included', async () => {
    const ok = await api.get('/tickets/');
    expect(ok.headers.get('x-rate-limit')).toBe('300');
    expect(ok.headers.get('x-rate-limit-remaining')).toBe('299');
    const unauthorized = await fetch(`${account.apiUrl}/tickets/`, { headers: { authorization: basic('x@y', 'z') } });
    expect(unauthorized.headers.get('x-rate-limit-remaining')).toBe('298');
  });

  it('returns data keyed by ticket id with 30 per page and pagination', async () => {
    for (let i = 0; i < 31; i++) open(`T${i}`);
    const first = await api.get('/tickets/');
    expect(first.status).toBe(200);
    expect(Array.isArray(first.json.data)).toBe(false);
    const ids = Object.keys(first.json.data);
    expect(ids).toHaveLength(30);
    for (const id of ids) expect(first.json.data[id].id).toBe(Number(id));
    expect(first.json.pagination).toEqual({ total: 31, per_page: 30, current_page: 1, total_pages: 2 });
    const second = await api.get('/tickets?page=2');
    expect(Object.keys(second.json.data)).toHaveLength(1);
    expect(second.json.pagination.current_page).toBe(2);
  });

  it('keeps the requested order on the wire although JSON.parse sorts integer keys', async () => {
    const a = open('A');
    const b = open('B');
    const res = await api.get('/tickets/?order_by=id{desc}');
    expect(res.text.indexOf(`"${b.id}":`)).toBeLessThan(res.text.indexOf(`"${a.id}":`));
    const asc = await api.get('/tickets/?order_by=id{asc}');
    expect(asc.text.indexOf(`"${a.id}":`)).toBeLessThan(asc.text.indexOf(`"${b.id}":`));
  });

  it('answers an empty list with data: [] as PHP does', async () => {
    const res = await api.get('/tickets/');
    expect(res.json).toEqual({ data: [], pagination: { total: 0, per_page: 30, current_page: 1, total_pages: 0 } });
  });

  it('returns one ticket in the HDE shape, with and without trailing slash', async () => {
    const t = open();
    for (const path of [`/tickets/${t.id}/`, `/tickets/${t.id}`]) {
      const res = await api.get(path);
      expect(res.status).toBe(200);
      expect(res.json.data).toMatchObject({
        id: t.id,
        status_id: 'open',
        owner_id: 0,
        user_id: customerId,
        user_name: 'Anna',
        source: 'email',
        department_name: 'Support',
        custom_fields: [],
        tags: [],
      });
      expect(res.json.data.date_created).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      expect(res.json.data.unique_id).toMatch(/^[A-Z]{3}-\d+$/);
    }
    expect((await api.get('/tickets/99999/')).status).toBe(404);
  });

  it('filters by status, owner, client and update date', async () => {
    const a = open('A');
    const b = open('B');
    sim.setStatus(account.slug, a.id, 'closed');
    sim.assign(account.slug, b.id, agentId);
    const ids = async (q: string) => Object.keys((await api.get(`/tickets/?${q}`)).json.data).map(Number);
    expect(await ids('status_list=open,process')).toEqual([b.id]);
    expect(await ids(`owner_list=${agentId}`)).toEqual([b.id]);
    expect((await ids(`user_list=${customerId}`)).sort()).toEqual([a.id, b.id].sort());
    const future = new URLSearchParams({ from_date_updated: '2999-01-01 00:00:00' }).toString();
    expect((await api.get(`/tickets/?${future}`)).json.data).toEqual([]);
    const past = new URLSearchParams({ from_date_updated: '2000-01-01 00:00:00', order_by: 'date_updated{desc}' });
    expect((await ids(past.toString())).sort()).toEqual([a.id, b.id].sort());
    expect((await api.get('/tickets/?from_date_updated=yesterday')).status).toBe(400);
  });

  it('updates status, owner, department, custom fields and replaces tags', async () => {
    const t = open();
    const field = sim.addCustomField(account.slug, { name: 'Topic', fieldType: 'text' });
    const select = sim.addCustomField(account.slug, {
      name: 'Category',
      fieldType: 'select',
      options: [{ id: 146, name: 'Billing' }],
    });
    const res = await api.put(`/tickets/${t.id}/`, {
      status_id: 'process',
      owner_id: agentId,
      priority_id: 1,
      type_id: 0,
      custom_fields: { [String(field.id)]: 'refund', [String(select.id)]: '146' },
      tags: ['bot', 'faq'],
    });
    expect(res.status).toBe(200);
    expect(res.json.data).toMatchObject({
      status_id: 'process',
      owner_id: agentId,
      owner_name: 'Oleg',
      priority_id: 1,
      tags: ['bot', 'faq'],
    });
    expect(res.json.data.custom_fields).toEqual([
      { id: field.id, field_type: 'text', field_value: 'refund' },
      { id: select.id, field_type: 'select', field_value: { id: 146, name: { ru: 'Billing', en: 'Billing', ua: 'Billing' } } },
    ]);
    const retag = await api.put(`/tickets/${t.id}`, { tags: ['human'] });
    expect(retag.json.data.tags).toEqual(['human']);
    expect(sim.getTicket(account.slug, t.id).tags).toEqual(['human']);
  });

  it('refuses invalid updates with 400 and changes nothing', async () => {
    const t = open();
    const bad = await api.put(`/tickets/${t.id}/`, { status_id: 'closed', owner_id: customerId });
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0]).toMatchObject({ code: 'e-400' });
    expect(sim.getTicket(account.slug, t.id).status_id).toBe('open');
    expect((await api.put(`/tickets/${t.id}/`, { status_id: 'nope' })).status).toBe(400);
    expect((await api.put(`/tickets/${t.id}/`, { custom_fields: { '77': 'x' } })).status).toBe(400);
  });

  it('accepts custom statuses added to the account', async () => {
    sim.addStatus(account.slug, { id: 'v-processe', name: 'В процессе' });
    const t = open();
    expect((await api.put(`/tickets/${t.id}/`, { status_id: 'v-processe' })).json.data.status_id).toBe('v-processe');
    const statuses = await api.get('/statuses/');
    expect(statuses.json.data.map((s: { id: string }) => s.id)).toEqual(['open', 'process', 'closed', 'v-processe']);
  });

  it('creates tickets through the API, auto-creating a client by e-mail', async () => {
    const res = await api.post('/tickets/', { title: 'From API', description: '<p>text</p>', user_email: 'new@example.com', tags: ['x'] });
    expect(res.status).toBe(200);
    expect(res.json.data).toMatchObject({ title: 'From API', user_email: 'new@example.com', tags: ['x'], status_id: 'open' });
    const posts = sim.posts(account.slug, res.json.data.id);
    expect(posts).toHaveLength(1);
    expect(posts[0]?.user_id).toBe(res.json.data.user_id);
    expect((await api.post('/tickets/', { title: 'x', description: 'y' })).status).toBe(400);
  });

  it('answers unknown routes and accounts with 404 in the errors envelope', async () => {
    const res = await api.get('/nothing/');
    expect(res.status).toBe(404);
    expect(res.json.errors[0].code).toBe('e-404');
    const unknown = await fetch(`${sim.url}/a/missing/api/v2/tickets/`);
    expect(unknown.status).toBe(404);
  });
});
