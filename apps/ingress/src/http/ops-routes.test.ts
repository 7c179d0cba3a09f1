import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readiness } from '@repo/config';
import { createLogger } from '@repo/logger';
import { createIngressMetrics } from '../metrics';
import { createOpsRoutes } from './ops-routes';

const DOWN: Readiness = {
  ready: false,
  problems: ['PostgreSQL (DATABASE_URL): password authentication failed for user "hde_prod" at db.internal:5432'],
  down: ['PostgreSQL (DATABASE_URL)'],
};

async function serve(opsToken: string | undefined): Promise<{ url: string; close: () => Promise<void> }> {
  const ops = createOpsRoutes({
    checkReady: async () => DOWN,
    metrics: createIngressMetrics(),
    logger: createLogger({ service: 'test', silent: true }),
    ...(opsToken ? { opsToken } : {}),
  });
  const server = http.createServer((req, res) => {
    if (!ops(req.url ?? '', req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('/readyz', () => {
  it('names what is down to anyone, but keeps the reason (hosts, users) out when no token guards it', async () => {
    const open = await serve(undefined);
    try {
      const res = await fetch(`${open.url}/readyz`);
      expect(res.status).toBe(503);
      const text = await res.text();
      expect(JSON.parse(text)).toEqual({ ok: false, down: ['PostgreSQL (DATABASE_URL)'] });
      expect(text).not.toContain('hde_prod');
      expect(text).not.toContain('db.internal');
    } finally {
      await open.close();
    }
  });

  it('gives the reasons behind the token', async () => {
    const guarded = await serve('ops-secret');
    try {
      expect((await fetch(`${guarded.url}/readyz`)).status).toBe(401);
      const res = await fetch(`${guarded.url}/readyz`, { headers: { authorization: 'Bearer ops-secret' } });
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ ok: false, down: DOWN.down, problems: DOWN.problems });
    } finally {
      await guarded.close();
    }
  });
});
