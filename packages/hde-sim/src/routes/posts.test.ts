import { startHdeSim, type HdeSim } from '../sim';
import type { AccountInfo } from '../sim-types';
import { apiClient } from '../test-support/http';

const POST_DATE = /^\d{2}:\d{2}:\d{2} \d{2}\.\d{2}\.\d{4}$/;

describe('API v2 posts and comments', () => {
  let sim: HdeSim;
  let account: AccountInfo;
  let api: ReturnType<typeof apiClient>;
  let customerId: number;
  let ticketId: number;

  beforeAll(async () => {
    sim = await startHdeSim();
  });
  afterAll(() => sim.close());

  let n = 0;
  beforeEach(() => {
    account = sim.createAccount({ slug: `p${n++}` });
    api = apiClient(account);
    customerId = sim.createCustomer(account.slug, { name: 'Anna', email: 'anna@example.com' }).id;
    ticketId = sim.openTicket(account.slug, { customerId, title: 'Help', text: '<p>first</p>' }).id;
  });

  it('lists posts newest first, 30 per page, with HDE post dates', async () => {
    for (let i = 1; i <= 31; i++) sim.postAsCustomer(account.slug, ticketId, `<p>m${i}</p>`);
    const page1 = await api.get(`/tickets/${ticketId}/posts/`);
    expect(Array.isArray(page1.json.data)).toBe(true);
    expect(page1.json.data).toHaveLength(30);
    expect(page1.json.data[0]).toMatchObject({ ticket_id: ticketId, user_id: customerId, text: '<p>m31</p>', files: [] });
    expect(page1.json.data[0].date_created).toMatch(POST_DATE);
    expect(page1.json.pagination).toEqual({ total: 32, per_page: 30, current_page: 1, total_pages: 2 });
    const page2 = await api.get(`/tickets/${ticketId}/posts/?page=2`);
    expect(page2.json.data.map((p: { text: string }) => p.text)).toEqual(['<p>m1</p>', '<p>first</p>']);
    const ids = page1.json.data.map((p: { id: number }) => p.id);
    expect([...ids].sort((a: number, b: number) => b - a)).toEqual(ids);
  });

  it('posts as the API user unless user_id is given, from JSON or form bodies', async () => {
    const own = await api.post(`/tickets/${ticketId}/posts/`, { text: '<p>bot answer</p>' });
    expect(own.status).toBe(200);
    expect(own.json.data).toMatchObject({ ticket_id: ticketId, user_id: account.adminUserId, text: '<p>bot answer</p>' });
    expect(own.json.data.date_created).toMatch(POST_DATE);
    const agent = sim.createAgent(account.slug, { name: 'Ira', email: 'ira@example.com' });
    const asAgent = await api.postForm(`/tickets/${ticketId}/posts`, { text: '<p>form</p>', user_id: String(agent.id) });
    expect(asAgent.json.data.user_id).toBe(agent.id);
    expect(sim.posts(account.slug, ticketId).map((p) => p.user_id)).toEqual([customerId, account.adminUserId, agent.id]);
  });

  it('does not change the ticket status when the API posts', async () => {
    await api.post(`/tickets/${ticketId}/posts/`, { text: 'answer' });
    expect(sim.getTicket(account.slug, ticketId).status_id).toBe('open');
  });

  it('refuses posts without text and posts to closed tickets with 400', async () => {
    const empty = await api.post(`/tickets/${ticketId}/posts/`, { text: '  ' });
    expect(empty.status).toBe(400);
    sim.setStatus(account.slug, ticketId, 'closed');
    const closed = await api.post(`/tickets/${ticketId}/posts/`, { text: 'late answer' });
    expect(closed.status).toBe(400);
    expect(closed.json.errors[0]).toMatchObject({ code: 'e-400', details: expect.stringContaining('closed') });
    expect(sim.posts(account.slug, ticketId)).toHaveLength(1);
  });

  it('reopens a closed ticket when the client writes again from the channel', () => {
    sim.setStatus(account.slug, ticketId, 'closed');
    sim.postAsCustomer(account.slug, ticketId, 'still broken');
    expect(sim.getTicket(account.slug, ticketId).status_id).toBe('open');
  });

  it('keeps internal comments apart from posts, visible to staff', async () => {
    const res = await api.post(`/tickets/${ticketId}/comments/`, { text: 'handoff summary' });
    expect(res.status).toBe(200);
    expect(res.json.data).toMatchObject({ ticket_id: ticketId, user_id: account.adminUserId, text: 'handoff summary', visible: 'staff' });
    expect(res.json.data.date_created).toMatch(POST_DATE);
    const list = await api.get(`/tickets/${ticketId}/comments/`);
    expect(list.json.data).toHaveLength(1);
    expect(list.json.pagination.total).toBe(1);
    expect(sim.comments(account.slug, ticketId)).toHaveLength(1);
    expect((await api.get(`/tickets/${ticketId}/posts/`)).json.data).toHaveLength(1);
  });

  it('answers 404 for posts of an unknown ticket', async () => {
    expect((await api.get('/tickets/424242/posts/')).status).toBe(404);
    expect((await api.post('/tickets/424242/posts/', { text: 'x' })).status).toBe(404);
  });
});
