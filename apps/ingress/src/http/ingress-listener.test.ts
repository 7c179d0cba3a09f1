import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@repo/logger';
import { createIngressMetrics } from '../metrics';
import { createIngressListener, pathOf } from './ingress-listener';
import { jsonAnswer } from './json-answer';

describe('pathOf', () => {
  it('drops the query string and one trailing slash', () => {
    expect(pathOf('/healthz?x=1')).toBe('/healthz');
    expect(pathOf('/healthz/')).toBe('/healthz');
    expect(pathOf('/')).toBe('/');
  });
});

describe('createIngressListener', () => {
  let server: Server;
  let base: string;
  const seen: Array<{ token: string; body: string; contentType: string | null }> = [];

  beforeAll(async () => {
    const listener = createIngressListener({
      webhook: (token, raw, contentType) => {
        seen.push({ token, body: raw.toString(), contentType });
        return Promise.resolve(jsonAnswer(200, { ok: true, event_id: 'e1', status: 'accepted' }));
      },
      bodyLimitBytes: 1024,
      metrics: createIngressMetrics(),
      logger: createLogger({ service: 'ingress-test', level: 'error' }),
      ops: (path, _req, res) => {
        if (path !== '/metrics') return false;
        res.end('metrics');
        return true;
      },
    });
    server = createServer(listener);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const webhook = (token: string, body: string, suffix = '') =>
    fetch(`${base}/api/bots/helpdeskeddy_bot/webhook/${token}${suffix}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });

  it('hands the webhook POST its token, raw body and content type, and sends the JSON answer', async () => {
    const res = await webhook('tok_123', '{"ticket_id":"1"}', '?from=hde');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await res.json()).toEqual({ ok: true, event_id: 'e1', status: 'accepted' });
    expect(seen.at(-1)).toEqual({ token: 'tok_123', body: '{"ticket_id":"1"}', contentType: 'application/json' });
  });

  it('answers 413 with the limit past the body limit, without calling the webhook', async () => {
    const before = seen.length;
    const res = await webhook('tok_123', 'x'.repeat(2048));
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: 'payload_too_large', limit_bytes: 1024 });
    expect(seen.length).toBe(before);
  });

  it('answers health on GET and HEAD, serves ops routes, and gives everything else one 404', async () => {
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ ok: true });
    expect((await fetch(`${base}/healthz/`, { method: 'HEAD' })).status).toBe(200);
    expect(await (await fetch(`${base}/metrics`)).text()).toBe('metrics');
    for (const res of [
      await fetch(`${base}/nothing`),
      await fetch(`${base}/healthz`, { method: 'POST' }),
      await fetch(`${base}/api/bots/helpdeskeddy_bot/webhook/a/b`, { method: 'POST', body: '{}' }),
      await fetch(`${base}/api/bots/helpdeskeddy_bot/webhook/tok_123`),
    ]) {
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: 'not_found' });
    }
  });
});
