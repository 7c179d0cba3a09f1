import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startHdeSim } from './sim';
import { apiClient, basic } from './test-support/http';

describe('startHdeSim / close', () => {
  it('ends hanging requests and aborts webhook attempts on close', async () => {
    // A receiver that never answers keeps the attempt in flight until close.
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const hookUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`;

    const sim = await startHdeSim();
    const account = sim.createAccount({ slug: 'c' });
    const customerId = sim.createCustomer('c', { name: 'Anna', email: 'a@example.com' }).id;
    sim.setDispatcher('c', { url: hookUrl });
    const ticket = sim.openTicket('c', { customerId, title: 'Q', text: 'q' });

    // The API answers although the webhook it triggered is still pending.
    const posted = await apiClient(account).post(`/tickets/${ticket.id}/posts/`, { text: 'answer' });
    expect(posted.status).toBe(200);
    expect(sim.dispatchLog('c').every((e) => e.status === null)).toBe(true);

    sim.injectFault('c', { path: '/tickets/', kind: 'hang' });
    const hanging = fetch(`${account.apiUrl}/tickets/`, { headers: { authorization: basic(account.adminEmail, account.apiKey) } });
    const outcome = hanging.then(
      () => 'answered',
      () => 'failed',
    );
    await new Promise((r) => setTimeout(r, 50));

    await sim.close();
    expect(await outcome).toBe('failed');
    expect(sim.dispatchLog('c').every((e) => e.error !== null)).toBe(true);
    silent.closeAllConnections();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('listens on the requested host and exposes its url', async () => {
    const sim = await startHdeSim({ port: 0, host: '127.0.0.1' });
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const account = sim.createAccount({ slug: 'u' });
    expect(account.baseUrl).toBe(`${sim.url}/a/u`);
    expect(account.apiUrl).toBe(`${sim.url}/a/u/api/v2`);
    await sim.close();
  });
});
