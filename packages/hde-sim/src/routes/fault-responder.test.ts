import { startHdeSim, type HdeSim } from '../sim';
import type { AccountInfo } from '../sim-types';
import { apiClient, basic } from '../test-support/http';

describe('injected faults', () => {
  let sim: HdeSim;
  let account: AccountInfo;
  let api: ReturnType<typeof apiClient>;
  let ticketId: number;

  beforeAll(async () => {
    sim = await startHdeSim();
  });
  afterAll(() => sim.close());

  let n = 0;
  beforeEach(() => {
    account = sim.createAccount({ slug: `f${n++}` });
    api = apiClient(account);
    const customerId = sim.createCustomer(account.slug, { name: 'Anna', email: 'anna@example.com' }).id;
    ticketId = sim.openTicket(account.slug, { customerId, title: 'Help', text: 'q' }).id;
  });

  const postCount = () => sim.posts(account.slug, ticketId).length;
  const postWithTimeout = (ms: number) =>
    fetch(`${account.apiUrl}/tickets/${ticketId}/posts/`, {
      method: 'POST',
      headers: { authorization: basic(account.adminEmail, account.apiKey), 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'answer' }),
      signal: AbortSignal.timeout(ms),
    });

  it('latency delays the answer by at least ms and then answers normally', async () => {
    sim.injectFault(account.slug, { method: 'GET', path: '/tickets/:id/', kind: 'latency', ms: 150 });
    const started = Date.now();
    const res = await api.get(`/tickets/${ticketId}/`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(145);
    expect(res.status).toBe(200);
    expect(res.json.data.id).toBe(ticketId);
    expect(sim.apiLog(account.slug).at(-1)).toMatchObject({ fault: 'latency', status: 200 });
  });

  it('hang never answers and by default does not apply the write', async () => {
    sim.injectFault(account.slug, { method: 'POST', path: '/tickets/:id/posts/', kind: 'hang' });
    await expect(postWithTimeout(200)).rejects.toThrow();
    expect(postCount()).toBe(1);
    expect(sim.apiLog(account.slug).at(-1)).toMatchObject({ fault: 'hang', status: 0 });
  });

  it('hang with commit applies the write although no answer comes', async () => {
    sim.injectFault(account.slug, { method: 'POST', path: '/tickets/:id/posts/', kind: 'hang', commit: true });
    await expect(postWithTimeout(200)).rejects.toThrow();
    expect(postCount()).toBe(2);
  });

  it('status answers the injected status, with the write applied only when commit is true', async () => {
    sim.injectFault(account.slug, { method: 'POST', path: '/tickets/:id/posts/', kind: 'status', status: 500, times: 1 });
    const lost = await api.post(`/tickets/${ticketId}/posts/`, { text: 'a' });
    expect(lost.status).toBe(500);
    expect(lost.json.errors[0].code).toBe('e-500');
    expect(postCount()).toBe(1);

    sim.injectFault(account.slug, { method: 'POST', path: '/tickets/:id/posts/', kind: 'status', status: 500, commit: true, times: 1 });
    const ambiguous = await api.post(`/tickets/${ticketId}/posts/`, { text: 'b' });
    expect(ambiguous.status).toBe(500);
    expect(postCount()).toBe(2);

    const normal = await api.post(`/tickets/${ticketId}/posts/`, { text: 'c' });
    expect(normal.status).toBe(200);
  });

  it('status 502 looks like the proxy page, 429 carries Retry-After', async () => {
    sim.injectFault(account.slug, { path: '/users/', kind: 'status', status: 502, times: 1 });
    const gateway = await api.get('/users/');
    expect(gateway.status).toBe(502);
    expect(gateway.headers.get('content-type')).toMatch(/text\/html/);
    expect(gateway.text).toContain('502 Bad Gateway');

    sim.injectFault(account.slug, { path: '/users/', kind: 'status', status: 429, ms: 30_000, times: 1 });
    const limited = await api.get('/users/');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('30');
    expect(limited.headers.get('x-rate-limit')).toBe('300');
  });

  it('reset_after_body destroys the connection after applying the write', async () => {
    sim.injectFault(account.slug, { method: 'POST', path: '/tickets/:id/posts', kind: 'reset_after_body', times: 1 });
    await expect(api.post(`/tickets/${ticketId}/posts/`, { text: 'a' })).rejects.toThrow();
    expect(postCount()).toBe(2);
    expect(sim.apiLog(account.slug).at(-1)).toMatchObject({ fault: 'reset_after_body', status: 0 });

    sim.injectFault(account.slug, { method: 'POST', path: '/tickets/:id/posts', kind: 'reset_after_body', commit: false, times: 1 });
    await expect(api.post(`/tickets/${ticketId}/posts/`, { text: 'b' })).rejects.toThrow();
    expect(postCount()).toBe(2);
  });

  it('trickle sends the complete body slowly', async () => {
    sim.injectFault(account.slug, { method: 'GET', path: '/tickets/:id/posts/', kind: 'trickle', ms: 200 });
    const started = Date.now();
    const res = await api.get(`/tickets/${ticketId}/posts/`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(res.status).toBe(200);
    expect(res.json.data[0].text).toBe('q');
  });

  it('ban bans the account now: this and later requests get the 403 ban answer', async () => {
    sim.injectFault(account.slug, { path: '/statuses/', kind: 'ban', times: 1 });
    const banned = await api.get('/statuses/');
    expect(banned.status).toBe(403);
    expect(banned.json.errors[0]).toEqual({ code: 'e-401', title: 'Access denied', details: 'API limit exceeded, access banned' });
    expect((await api.get('/tickets/')).status).toBe(403);
    sim.clearFaults(account.slug);
    expect((await api.get('/tickets/')).status).toBe(403);
  });

  it('affects only matching methods and paths, and only `times` requests', async () => {
    sim.injectFault(account.slug, { method: 'PUT', path: '/tickets/:id/', kind: 'status', status: 503, times: 2 });
    expect((await api.get(`/tickets/${ticketId}/`)).status).toBe(200);
    expect((await api.put(`/tickets/${ticketId}/`, { status_id: 'process' })).status).toBe(503);
    expect((await api.put(`/tickets/${ticketId}/`, { status_id: 'process' })).status).toBe(503);
    expect((await api.put(`/tickets/${ticketId}/`, { status_id: 'process' })).status).toBe(200);
  });
});
