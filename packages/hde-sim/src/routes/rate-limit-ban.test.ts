import { startHdeSim, type HdeSim } from '../sim';
import { apiClient } from '../test-support/http';

const BAN_BODY = { errors: [{ code: 'e-401', title: 'Access denied', details: 'API limit exceeded, access banned' }] };

describe('API rate limit and ban', () => {
  let sim: HdeSim;

  // 300 ms "minutes": a 3-request limit bans for banSeconds * 300/60000 s.
  beforeAll(async () => {
    sim = await startHdeSim({ minuteMs: 300 });
  });
  afterAll(() => sim.close());

  it('bans the whole account with 403 on the first request over the limit', async () => {
    const account = sim.createAccount({ slug: 'rl1', rateLimitPerMinute: 3, banSeconds: 1200 });
    const api = apiClient(account);
    const remaining: (string | null)[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await api.get('/tickets/');
      expect(res.status).toBe(200);
      remaining.push(res.headers.get('x-rate-limit-remaining'));
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const over = await api.get('/tickets/');
    expect(over.status).toBe(403);
    expect(over.json).toEqual(BAN_BODY);
    expect(over.headers.get('x-rate-limit')).toBe('3');
    expect(over.headers.get('x-rate-limit-remaining')).toBe('0');

    const agent = sim.createAgent('rl1', { name: 'A', email: 'a@example.com', apiKey: 'k' });
    expect((await apiClient(account, { email: agent.email, key: 'k' }).get('/users/')).status).toBe(403);
    expect(sim.apiLog('rl1').map((e) => e.status)).toEqual([200, 200, 200, 403, 403]);
  });

  it('lifts the ban after banSeconds scaled by minuteMs', async () => {
    // banSeconds 1 → 1000 ms * 300/60000 = 5 ms of real time.
    const account = sim.createAccount({ slug: 'rl2', rateLimitPerMinute: 1, banSeconds: 1 });
    const api = apiClient(account);
    expect((await api.get('/tickets/')).status).toBe(200);
    expect((await api.get('/tickets/')).status).toBe(403);
    await new Promise((r) => setTimeout(r, 20));
    expect((await api.get('/tickets/')).status).toBe(200);
  });

  it('limits each account on its own', async () => {
    const a = sim.createAccount({ slug: 'rl3', rateLimitPerMinute: 1 });
    const b = sim.createAccount({ slug: 'rl4', rateLimitPerMinute: 1 });
    await apiClient(a).get('/tickets/');
    expect((await apiClient(a).get('/tickets/')).status).toBe(403);
    expect((await apiClient(b).get('/tickets/')).status).toBe(200);
  });
});
