import { Client } from 'pg';
import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import bodies from './rule-bodies.json';
import { createFixture, postWebhook, startIngressProcess, until, type Fixture, type IngressProcess } from './harness';

type Row = {
  id: string;
  ticket_id: number | null;
  parse_status: string;
  source: string;
  payload: Record<string, unknown> | null;
  raw_body: Buffer | null;
};

// The built ingress as a process, over HTTP, with real PostgreSQL and Redis.
describe('ingress over HTTP', () => {
  let fx: Fixture;
  let ingress: IngressProcess;
  const metricsToken = randomBytes(16).toString('hex');

  beforeAll(async () => {
    fx = await createFixture('ingress');
    ingress = await startIngressProcess(fx, {
      METRICS_TOKEN: metricsToken,
      WEBHOOK_RATE_LIMIT_PER_SECOND: '1',
      TOKEN_LOOKUP_TIMEOUT_MS: '300',
      ACCEPT_TIMEOUT_MS: '400',
    });
  }, 60_000);

  afterAll(async () => {
    await ingress?.stop();
    await fx?.close();
  });

  const row = async (id: string): Promise<Row | undefined> =>
    (
      await fx.store.db.query<Row>('SELECT id, ticket_id, parse_status, source, payload, raw_body FROM webhook_events WHERE id = $1', [id])
    )[0];

  it('stores the product body with its post id and enqueues classify before answering', async () => {
    const res = await postWebhook(ingress.url, fx.token, bodies.product);
    expect(res.status).toBe(200);
    const id = String(res.json.event_id);
    const stored = await row(id);
    expect(stored).toMatchObject({ ticket_id: 9001, parse_status: 'ok', source: 'webhook' });
    expect(stored!.payload).toMatchObject({
      v: 2,
      postId: 77001,
      authorId: 501,
      messageHtml: '<p>Здравствуйте! Сколько стоит доставка?</p>',
      unexpanded: ['chat_id'],
    });
    expect(await fx.classifyQueue().getJob(id)).toBeDefined();
  });

  it('accepts foreign rule bodies through their documented aliases, and keeps an unclear one for admins', async () => {
    for (const [name, ticket] of [
      ['maxdev_new_message', 9002],
      ['maxdev_new_ticket', 9003],
      ['rosmol_next_reply', 9004],
    ] as const) {
      const res = await postWebhook(ingress.url, fx.token, bodies[name]);
      expect(res.status).toBe(200);
      expect((await row(String(res.json.event_id)))?.ticket_id).toBe(ticket);
    }
    const unclear = await postWebhook(ingress.url, fx.token, bodies.hdebot_client_reply);
    expect(unclear.status).toBe(400);
    const kept = await row(String(unclear.json.event_id));
    expect(kept).toMatchObject({ parse_status: 'unparseable', ticket_id: null });
    expect(kept!.payload).toMatchObject({ problem: 'ticket_id_not_numeric' });
    expect(kept!.raw_body?.toString()).toBe(JSON.stringify(bodies.hdebot_client_reply));
    expect(await fx.classifyQueue().getJob(String(unclear.json.event_id))).toBeUndefined();
  });

  it('treats unexpanded tags as missing and lists them in the webhook log', async () => {
    const res = await postWebhook(ingress.url, fx.token, bodies.unexpanded);
    expect(res.status).toBe(200);
    const log = await fx.store.events.listLog(fx.integrationId, 50);
    const line = log.find((l) => l.id === res.json.event_id);
    expect(line).toMatchObject({ ticketId: 9006, parseStatus: 'ok', hasPostId: false });
    expect(line!.missing).toEqual(['message', 'message_author_id', 'post_id']);
    expect(line!.unexpanded).toEqual(['message', 'message_author_id', 'chat_id', 'post_id']);
  });

  it('makes one event of one post id (a retry with a trailing newline) and two of two posts with the same text', async () => {
    const base = { ...bodies.product, ticket_id: '9100', message: 'да' };
    const a = await postWebhook(ingress.url, fx.token, { ...base, post_id: '8001' });
    const again = await postWebhook(ingress.url, fx.token, { ...base, post_id: '8001', message: 'да\n' });
    const b = await postWebhook(ingress.url, fx.token, { ...base, post_id: '8002' });
    expect(again.json.event_id).toBe(a.json.event_id);
    expect(again.json.status).toBe('duplicate');
    expect(b.json.event_id).not.toBe(a.json.event_id);
    expect(b.json.status).toBe('accepted');
  });

  it('D9 lone surrogate: the message is stored (sanitised) once instead of failing and looping', async () => {
    const raw = `{"ticket_id":"9200","message":"Привет \\ud83d и \\udc00 пока","message_author_id":"7","customer_id":"7","post_id":"8100"}`;
    const res = await postWebhook(ingress.url, fx.token, raw);
    expect(res.status).toBe(200);
    expect(res.json.status).toBe('accepted');
    expect((await row(String(res.json.event_id)))!.payload!.messageHtml).toBe('Привет \uFFFD и \uFFFD пока');
  });

  it('answers 429 with Retry-After past the per-token limit', async () => {
    const answers = await Promise.all(
      Array.from({ length: 90 }, (_, i) => postWebhook(ingress.url, fx.token, { ...bodies.product, ticket_id: String(10_000 + i) })),
    );
    const limited = answers.filter((a) => a.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThan(0);
    expect(limited.length).toBeGreaterThanOrEqual(20);
    expect(Number(limited[0]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('answers 413 past the body limit, and an unknown token exactly like an unknown route', async () => {
    const big = await postWebhook(ingress.url, fx.token, { ...bodies.product, message: 'x'.repeat(70 * 1024) });
    expect(big.status).toBe(413);
    expect(big.json).toEqual({ error: 'payload_too_large', limit_bytes: 65_536 });
    const unknownToken = await postWebhook(ingress.url, randomBytes(24).toString('hex'), bodies.product);
    const res = await fetch(`${ingress.url}/api/bots/no_such_bot/hook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(unknownToken.status).toBe(404);
    expect(res.status).toBe(404);
    expect(unknownToken.json).toEqual(await res.json());
    expect(unknownToken.headers.get('content-type')).toBe(res.headers.get('content-type'));
  });

  it('R11 a revoked token is refused at once, not when its cached copy expires; a rotated one when its grace ends', async () => {
    // The ingress keeps verified tokens for TOKEN_CACHE_TTL_MS (30 s here): a change of a token is
    // announced by PostgreSQL and drops the copies.
    const revoked = await fx.store.integrations.issueToken(fx.integrationId);
    const body = (n: number) => ({ ...bodies.product, post_id: String(88000 + n), message: `<p>Вопрос ${n}</p>` });
    // Polled four times a second: the per-token limit here is one a second on average.
    const refused = async (token: string, n: number) => {
      for (let i = 0; i < 40; i += 1) {
        if ((await postWebhook(ingress.url, token, body(n + i))).status === 404) return true;
        await new Promise((r) => setTimeout(r, 250));
      }
      return false;
    };
    expect((await postWebhook(ingress.url, revoked.token, body(1))).status).toBe(200);
    await fx.store.integrations.revokeToken(revoked.id);
    const refusedAt = Date.now();
    expect(await refused(revoked.token, 100)).toBe(true);
    expect(Date.now() - refusedAt).toBeLessThan(10_000);

    const old = await fx.store.integrations.issueToken(fx.integrationId);
    expect((await postWebhook(ingress.url, old.token, body(3))).status).toBe(200);
    // A rotation with two seconds of grace: the old token works until then, then never again.
    const fresh = await fx.store.integrations.issueToken(fx.integrationId, { graceSeconds: 2 });
    expect((await postWebhook(ingress.url, old.token, body(4))).status).toBe(200);
    expect(await refused(old.token, 200)).toBe(true);
    expect((await postWebhook(ingress.url, fresh.token, body(6))).status).toBe(200);
  });

  it('serves /metrics and /readyz only with the bearer token', async () => {
    expect((await fetch(`${ingress.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${ingress.url}/readyz`)).status).toBe(401);
    const ok = await fetch(`${ingress.url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('hde_webhooks_total');
    expect((await fetch(`${ingress.url}/readyz`, { headers: { authorization: `Bearer ${metricsToken}` } })).status).toBe(200);
  });

  it('D11 token lookup hangs on a locked integrations table: the webhook is spooled, not hung, and stored once the lock is gone', async () => {
    // A token the ingress has never seen, so the lookup must reach the database.
    const { token } = await fx.store.integrations.issueToken(fx.integrationId);
    const locker = new Client({ connectionString: fx.db.url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE integrations IN ACCESS EXCLUSIVE MODE');
      const started = Date.now();
      const res = await postWebhook(ingress.url, token, { ...bodies.product, ticket_id: '9300', post_id: '8300' });
      expect(res.status).toBe(200);
      expect(res.json.status).toBe('spooled');
      expect(Date.now() - started).toBeLessThan(5000);
      await locker.query('COMMIT');
    } finally {
      await locker.end();
    }
    const stored = await until(
      async () => (await fx.store.db.query<Row>(`SELECT * FROM webhook_events WHERE ticket_id = 9300`))[0],
      20_000,
      'the spooled webhook',
    );
    expect(stored).toMatchObject({ source: 'spool', parse_status: 'ok' });
    expect(await fx.classifyQueue().getJob(stored?.id ?? '')).toBeDefined();
  }, 30_000);

  it('R11 bodies with tokens it cannot check are spooled only up to a byte budget per minute, then answered 503', async () => {
    // A second ingress with a small budget (about two bodies' worth) and short-lived token copies.
    const small = await startIngressProcess(fx, {
      TOKEN_LOOKUP_TIMEOUT_MS: '300',
      TOKEN_CACHE_TTL_MS: '200',
      WEBHOOK_BODY_LIMIT_BYTES: '2048',
      SPOOL_UNVERIFIED_MAX_BYTES_PER_MINUTE: '3600',
    });
    const body = (n: number) => ({ ...bodies.product, ticket_id: String(9400 + n), message: `<p>${'я'.repeat(600)}</p>` });
    const { token } = await fx.store.integrations.issueToken(fx.integrationId);
    const locker = new Client({ connectionString: fx.db.url });
    await locker.connect();
    try {
      // The integration's real token is verified once before the database stalls.
      expect((await postWebhook(small.url, token, body(0))).status).toBe(200);
      await new Promise((r) => setTimeout(r, 300));
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE integrations IN ACCESS EXCLUSIVE MODE');
      // Made-up tokens while the database stalls: each lookup times out.
      const statuses: number[] = [];
      for (let i = 1; i <= 4; i += 1) statuses.push((await postWebhook(small.url, randomBytes(24).toString('hex'), body(i))).status);
      expect(statuses).toEqual([200, 200, 503, 503]);
      // The real token, whose copy expired meanwhile, is not charged to that budget.
      const real = await postWebhook(small.url, token, body(5));
      expect(real.status).toBe(200);
      expect(real.json.status).toBe('spooled');
      await locker.query('COMMIT');
    } finally {
      await locker.end();
      await small.stop();
    }
  }, 30_000);

  it('quarantines a spooled record that fails twice with the same deterministic error and shows it in the webhook log', async () => {
    // A record of an older version that the database refuses (an unknown source): it would fail forever.
    const host = hostname().replace(/[^a-zA-Z0-9_.]/g, '_');
    const id = `e${createHash('sha256').update('bad').digest('hex').slice(0, 40)}`;
    const bad = {
      kind: 'event',
      id,
      integrationId: fx.integrationId,
      ticketId: 9400,
      source: 'webhook',
      parseStatus: 'legacy',
      payload: { v: 2 },
      rawBodyBase64: null,
      contentType: 'application/json',
      receivedAt: new Date().toISOString(),
      enqueue: true,
    };
    const good = { ...bad, id: `e${createHash('sha256').update('good').digest('hex').slice(0, 40)}`, parseStatus: 'ok', ticketId: 9401 };
    writeFileSync(path.join(fx.spoolDir, `spool-${host}-4194311-1-1.jsonl`), `${JSON.stringify(bad)}\n${JSON.stringify(good)}\n`);
    const line = await until(
      async () => (await fx.store.events.listLog(fx.integrationId, 100)).find((l) => l.id === id),
      20_000,
      'the quarantine',
    );
    expect(line).toMatchObject({ parseStatus: 'quarantined', source: 'quarantine', ticketId: 9400, outcome: 'pg_23514' });
    expect(await row(good.id)).toBeDefined();
    // Not retried any more.
    await new Promise((r) => setTimeout(r, 600));
    expect(ingress.output().match(/Spool replay failed for event/g)?.length ?? 0).toBeLessThanOrEqual(2);
  }, 30_000);
});
