import { startHdeSim, type HdeSim } from '../sim';
import { apiClient, controlClient, startReceiver, type Receiver } from '../test-support/http';

describe('control HTTP API', () => {
  let sim: HdeSim;
  let receiver: Receiver;

  beforeAll(async () => {
    sim = await startHdeSim();
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await sim.close();
    await receiver.close();
  });

  const control = (method: string, path: string, body?: unknown) => controlClient(sim.url)(method, path, body);

  it('drives a whole scenario without the library', async () => {
    const account = await control('POST', '/accounts', { slug: 'ctl', apiKey: 'ctl-key', rateLimitPerMinute: 100 });
    expect(account.status).toBe(200);
    expect(account.json).toMatchObject({ slug: 'ctl', apiKey: 'ctl-key', adminUserId: 1, baseUrl: `${sim.url}/a/ctl` });

    const dep = await control('POST', '/accounts/ctl/departments', { name: 'Support' });
    const agent = await control('POST', '/accounts/ctl/agents', { name: 'Ira', email: 'ira@example.com', departmentIds: [dep.json.id] });
    const customer = await control('POST', '/accounts/ctl/customers', { name: 'Anna', email: 'anna@example.com' });
    expect(agent.json.group.type).toBe('staff');
    expect(customer.json.group.type).toBe('user');

    await control('PUT', '/accounts/ctl/dispatcher', { url: receiver.url });
    const ticket = await control('POST', '/accounts/ctl/tickets', { customerId: customer.json.id, title: 'Q', text: 'q1', chatId: '777' });
    expect(ticket.json).toMatchObject({ status_id: 'open', source: 'telegram' });
    const id = ticket.json.id as number;

    await control('POST', `/accounts/ctl/tickets/${id}/customer-posts`, { text: 'q2' });
    await control('POST', `/accounts/ctl/tickets/${id}/agent-posts`, { agentId: agent.json.id, text: 'a1' });
    expect((await control('PUT', `/accounts/ctl/tickets/${id}/owner`, { ownerId: agent.json.id })).json.owner_id).toBe(agent.json.id);
    expect((await control('PUT', `/accounts/ctl/tickets/${id}/status`, { status: 'process' })).json.status_id).toBe('process');
    expect((await control('GET', `/accounts/ctl/tickets/${id}`)).json.owner_id).toBe(agent.json.id);

    const posts = await control('GET', `/accounts/ctl/tickets/${id}/posts`);
    expect(posts.json.map((p: { text: string; user_id: number }) => [p.text, p.user_id])).toEqual([
      ['q1', customer.json.id],
      ['q2', customer.json.id],
      ['a1', agent.json.id],
    ]);

    expect((await control('POST', '/wait-for-dispatches')).json).toEqual({ idle: true });
    const dispatches = await control('GET', '/accounts/ctl/dispatch-log');
    expect(dispatches.json).toHaveLength(3);
    expect(JSON.parse(dispatches.json[0].body).chat_id).toBe('777');

    const api = apiClient(account.json);
    await api.get('/tickets/');
    const log = await control('GET', '/accounts/ctl/api-log');
    expect(log.json.at(-1)).toMatchObject({ method: 'GET', path: '/tickets/', status: 200, userId: 1 });

    const fault = await control('POST', '/accounts/ctl/faults', { path: '/tickets/', kind: 'status', status: 500 });
    expect(fault.json).toMatchObject({ kind: 'status', status: 500, commit: false });
    expect((await api.get('/tickets/')).status).toBe(500);
    await control('DELETE', '/accounts/ctl/faults');
    expect((await api.get('/tickets/')).status).toBe(200);

    const cat = await control('POST', '/accounts/ctl/kb/categories', { title: 'FAQ' });
    const art = await control('POST', '/accounts/ctl/kb/articles', { categoryId: cat.json.id, title: 'T', body: '<p>b</p>' });
    expect((await control('PUT', `/accounts/ctl/kb/articles/${art.json.id}`, { title: 'T2' })).json.title.ru).toBe('T2');
    expect((await control('DELETE', `/accounts/ctl/kb/articles/${art.json.id}`)).json).toEqual({ deleted: true });
    expect((await api.get('/knowledge_base/articles/')).json.data).toEqual([]);
  });

  it('answers errors with 404, 400 and 409', async () => {
    expect((await control('GET', '/accounts/none/tickets/1')).status).toBe(404);
    await control('POST', '/accounts', { slug: 'ctl-err' });
    expect((await control('POST', '/accounts', { slug: 'ctl-err' })).status).toBe(409);
    const bad = await control('POST', '/accounts/ctl-err/faults', { path: '/x', kind: 'explode' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('INVALID');
    expect((await control('GET', '/nothing')).status).toBe(404);
    expect((await control('POST', '/accounts', {})).status).toBe(400);
    const customer = await control('POST', '/accounts/ctl-err/customers', { name: 'A', email: 'a@example.com' });
    expect((await control('POST', '/accounts/ctl-err/tickets', { customerId: customer.json.id })).status).toBe(400);
  });
});
