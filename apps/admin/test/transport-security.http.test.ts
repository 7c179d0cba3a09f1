import { startFixture, type Fixture } from './fixture';
import { TestClient } from './http-client';

// HSTS goes only with responses to HTTPS requests (the same detection as ADMIN_COOKIE_SECURE=auto);
// Bull Board's write API refuses an origin it cannot check with 403, never a 500.
describe('transport security of the admin app', () => {
  let fx: Fixture;
  let proxied: { url: string; close(): Promise<void> };
  let admin: TestClient;

  beforeAll(async () => {
    fx = await startFixture({ cookieSecure: 'auto' });
    proxied = await fx.startApp({ cookieSecure: 'auto', trustProxy: true });
    const user = await fx.createUser('ops@example.test', 'admin');
    admin = new TestClient(fx.url);
    expect((await admin.login(user.email, user.password)).status).toBe(303);
  }, 60_000);

  afterAll(async () => {
    await proxied?.close();
    await fx?.close();
  });

  const hsts = async (url: string, headers: Record<string, string> = {}) =>
    (await fetch(`${url}/login`, { headers, redirect: 'manual' })).headers.get('strict-transport-security');

  it('sends Strict-Transport-Security when a trusted proxy says the request came over HTTPS', async () => {
    expect(await hsts(proxied.url, { 'x-forwarded-proto': 'https' })).toMatch(/^max-age=\d{7,}/);
  });

  it('never sends it over plain http, nor on an untrusted X-Forwarded-Proto', async () => {
    expect(await hsts(proxied.url)).toBeNull();
    expect(await hsts(proxied.url, { 'x-forwarded-proto': 'http' })).toBeNull();
    expect(await hsts(fx.url)).toBeNull();
    // Without TRUST_PROXY anyone could send the header: it is not believed.
    expect(await hsts(fx.url, { 'x-forwarded-proto': 'https' })).toBeNull();
  });

  it('answers 403, not 500, to a Bull Board write with Origin: null or an unparsable origin', async () => {
    for (const origin of ['null', 'not a url']) {
      const res = await admin.request('PUT', '/admin/queues/api/queues/ticket-classify/pause', { headers: { origin } });
      expect(res.status).toBe(403);
    }
    expect(await fx.queues.find((q) => q.name === 'ticket-classify')!.isPaused()).toBe(false);
    // A same-origin write still works.
    const same = await admin.request('PUT', '/admin/queues/api/queues/ticket-classify/pause', { headers: { origin: fx.url } });
    expect(same.status).toBe(200);
    expect(await fx.queues.find((q) => q.name === 'ticket-classify')!.isPaused()).toBe(true);
    await fx.queues.find((q) => q.name === 'ticket-classify')!.resume();
  });
});
