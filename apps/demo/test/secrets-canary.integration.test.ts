import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { QUEUES, bullPrefix } from '@repo/queue';
import { testRedisUrl, waitFor } from '@repo/testing';
import { apiClient, TestClient } from '../../admin/test/http-client';
import { freePort, type AppProcess } from '../src/processes';
import { startTcpProxy, viaProxy, type TcpProxy } from '../src/tcp-proxy';
import type { DemoAdmin } from '../src/stack';
import { botPosts, ingressBase, spoolDirOf, startTestStack, uniqueDatabaseUrl, type TestStack } from './helpers';

/**
 * The product's promise about secrets and customers' words, tried end to end. Unique canary values —
 * the HDE API key (and one HDE refuses), the webhook token, SECRETS_KEY, ADMIN_SESSION_SECRET, the
 * admin's password, session id and personal API token, a wrong sign-in password, the LLM and
 * embeddings keys, METRICS_TOKEN, the DATABASE_URL password, and marker words in customers' messages
 * and name — go through every path that touches them, with every app at `debug`: answers, hand-offs,
 * an operator request, an unparseable, a salvaged and a form webhook, a message only the sweep
 * finds, one spooled while Redis refuses the ingress, HDE answering 500 until the job's retries are
 * spent, HDE 400s repeating the posted text, an HDE timeout, a model whose errors repeat the prompt
 * and the key, the admin's test box (page and API), a refused key change and the webhook log. Then
 * every place the product keeps or shows something is searched for every canary, in plain text,
 * base64 and hex: the apps' stdout/stderr (shutdown included), every Redis key and value of the run
 * (BullMQ job data, failedReason, stacktrace, returnvalue, events streams), both `/metrics`, the
 * ingress's spool folder, PostgreSQL (customers' text belongs there, no secret in plain text) and
 * the admin's pages (no key or token printed back). Customers' text may be in PostgreSQL, the
 * admin's pages, HDE and the configured model only, and in the spool while Redis is down.
 */

/** One canary: a value that must not show up where the test looks, and a name to report it by. */
type Canary = { name: string; value: string };

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
/** A marker word inside an ordinary customer message: letters and digits, one token to every tokenizer. */
const marker = (label: string) => `cnry${label}${hex(5)}`;

const SECRETS = {
  hdeApiKey: `hde-api-key-canary-${hex(12)}`,
  llmApiKey: `sk-llm-canary-${hex(12)}`,
  embeddingsApiKey: `sk-emb-canary-${hex(12)}`,
  sessionSecret: `admin-session-canary-${hex(16)}`,
  adminPassword: `admin-password-canary-${hex(8)}`,
  /** A password typed at the sign-in form that is not the admin's. */
  wrongPassword: `wrong-password-canary-${hex(8)}`,
  /** A key an admin tries in place of the integration's, which HDE refuses. */
  refusedApiKey: `refused-api-key-canary-${hex(12)}`,
  metricsToken: `metrics-token-canary-${hex(12)}`,
  /** PostgreSQL under trust authentication takes any password: one in DATABASE_URL costs nothing. */
  databasePassword: `db-password-canary-${hex(8)}`,
};

const WORDS = {
  answered: marker('answered'),
  llm: marker('llm'),
  complaint: marker('complaint'),
  operator: marker('operator'),
  server500: marker('fivehundred'),
  echo400: marker('echo'),
  timeout: marker('timeout'),
  unparseable: marker('unparseable'),
  testBox: marker('testbox'),
  testBoxApi: marker('testboxapi'),
  salvaged: marker('salvaged'),
  readBack: marker('readback'),
  swept: marker('swept'),
  customerName: marker('name'),
  spooled: marker('spooled'),
};

/** Every encoding a value may hide in: plain text, base64 runs (HTTP Basic, spool records) and hex runs (bytea). */
function readable(text: string): string {
  const views = [text];
  for (const run of text.match(/[A-Za-z0-9+/_-]{16,}={0,2}/g) ?? []) {
    views.push(Buffer.from(run.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('latin1'));
  }
  for (const run of text.match(/(?:[0-9a-f]{2}){12,}/gi) ?? []) views.push(Buffer.from(run, 'hex').toString('latin1'));
  return views.join('\n').toLowerCase();
}

/** The canaries found in `text`, as `where: name` lines. */
function leaksIn(where: string, text: string, canaries: readonly Canary[]): string[] {
  const seen = readable(text);
  return canaries.filter((c) => seen.includes(c.value.toLowerCase())).map((c) => `${where}: ${c.name}`);
}

/**
 * An OpenAI-compatible provider that refuses every request with a 400 whose error repeats the
 * request — the prompt with the customer's words, and the Authorization header — as validation
 * errors of some providers and proxies do; a chat request about the LLM marker's message is answered
 * with that message repeated back as the answer.
 */
async function startEchoingProvider() {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      seen.push(raw);
      if (raw.includes(WORDS.llm)) {
        // An answer that repeats the customer's message, cited: it fails the grounding check.
        const user = (JSON.parse(raw) as { messages?: Array<{ role: string; content: string }> }).messages?.find((m) => m.role === 'user');
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content: `Вы спросили: ${user?.content ?? ''} [1]` } }] }),
        );
        return;
      }
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: {
            message: `Invalid request to ${req.url}: ${raw} (authorization ${req.headers.authorization ?? 'none'})`,
            type: 'invalid_request_error',
          },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, close: () => closeServer(server) };
}

/** A rule of the HDE proxy: requests about one ticket's posts or comments get an error repeating the request. */
type EchoRule = { ticketId: number; resource: 'posts' | 'comments'; status: number; methods: 'POST' | 'any' };

/**
 * A proxy in front of the simulator, which the integration is set up with: it passes everything on,
 * except requests an {@link EchoRule} names, which get HDE's error envelope whose entry repeats what
 * was posted and the Authorization header (the simulator's own errors never repeat the request).
 */
async function startHdeProxy(simPort: number) {
  const rules: EchoRule[] = [];
  const echoed: Array<{ ticketId: number; resource: string; method: string; status: number }> = [];
  const sockets = new Set<Socket>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const at = /\/api\/v2\/tickets\/(\d+)\/(posts|comments)\/?(?:\?|$)/.exec(req.url ?? '');
      const rule = rules.find(
        (r) => at && r.ticketId === Number(at[1]) && r.resource === at[2] && (r.methods === 'any' || r.methods === req.method),
      );
      if (rule) {
        echoed.push({ ticketId: rule.ticketId, resource: rule.resource, method: req.method ?? '', status: rule.status });
        const details = `Could not save ${req.method} ${req.url}: ${body.toString('utf8')} (authorization ${req.headers.authorization ?? 'none'})`;
        res.writeHead(rule.status, { 'content-type': 'application/json' });
        // Every field of the entry repeats it, as a proxy's or a validator's error may. The HDE
        // client keeps only a code shaped as HDE's (`e-400`) on its error, and the logger writes an
        // error's name, message and stack only: either keeps the credentials it repeats out of the
        // worker's "Job failed" lines.
        res.end(JSON.stringify({ errors: [{ code: details, title: details, details }] }));
        return;
      }
      const upstream = httpRequest(
        { host: '127.0.0.1', port: simPort, method: req.method, path: req.url, headers: req.headers },
        (answer: IncomingMessage) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      // A client that gives up (the worker's HDE timeout) ends the simulator's hanging request too.
      res.on('close', () => upstream.destroy());
      upstream.on('error', () => res.destroy());
      upstream.end(body);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    rules,
    echoed,
    close: async () => {
      for (const s of sockets) s.destroy();
      await closeServer(server);
    },
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Every value of a Redis key as text, read the way its type is read. */
async function readKey(redis: Redis, key: string): Promise<{ type: string; text: string }> {
  const type = await redis.type(key);
  switch (type) {
    case 'string':
      return { type, text: (await redis.getBuffer(key))?.toString('utf8') ?? '' };
    case 'hash':
      return { type, text: JSON.stringify(await redis.hgetall(key)) };
    case 'list':
      return { type, text: JSON.stringify(await redis.lrange(key, 0, -1)) };
    case 'set':
      return { type, text: JSON.stringify(await redis.smembers(key)) };
    case 'zset':
      return { type, text: JSON.stringify(await redis.zrange(key, 0, -1, 'WITHSCORES')) };
    case 'stream':
      return { type, text: JSON.stringify(await redis.xrange(key, '-', '+')) };
    case 'none':
      // Expired between SCAN and TYPE (a lock, a budget slot).
      return { type, text: '' };
    default:
      throw new Error(`Redis key ${key} has a type the scan cannot read: ${type}`);
  }
}

/** Every key matching `pattern`, by SCAN. */
async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys;
}

/** Every file under a folder, with its contents (none when the folder does not exist). */
async function filesUnder(dir: string): Promise<Array<{ file: string; text: string }>> {
  const entries = await fs.readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  const out: Array<{ file: string; text: string }> = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out.push({ file, text: await fs.readFile(file, 'utf8') });
  }
  return out;
}

describe('secrets and customer text canaries, end to end', () => {
  let t: TestStack;
  let provider: Awaited<ReturnType<typeof startEchoingProvider>>;
  let proxy: Awaited<ReturnType<typeof startHdeProxy>>;
  /** The ingress's way to Redis, cut for a while so it spools. */
  let redisProxy: TcpProxy;
  let admin: DemoAdmin;
  let lead: TestClient;
  let redis: Redis;
  let workerMetricsUrl: string;
  /** Every secret of the run: never anywhere outside the process environment and HDE. */
  let secrets: Canary[];
  /** Every marker word of a customer's message: in PostgreSQL, the admin's pages and HDE only. */
  const customerText: Canary[] = Object.entries(WORDS).map(([name, value]) => ({ name: `customer text (${name})`, value }));
  /** Each ticket of the scenario by the path it takes. */
  const tickets = new Map<string, number>();
  let unparseableEventId = '';

  beforeAll(async () => {
    provider = await startEchoingProvider();
    const simPort = await freePort();
    proxy = await startHdeProxy(simPort);
    const redisTarget = new URL(testRedisUrl());
    redisProxy = await startTcpProxy({ host: redisTarget.hostname, port: Number(redisTarget.port || 6379) });
    const metricsPort = await freePort();
    workerMetricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    const databaseUrl = new URL(uniqueDatabaseUrl('canary'));
    databaseUrl.password = SECRETS.databasePassword;
    t = await startTestStack({
      label: 'canary',
      databaseUrl: databaseUrl.toString(),
      simPort,
      hdeOrigin: proxy.origin,
      account: { apiKey: SECRETS.hdeApiKey },
      ingressEnv: { LOG_LEVEL: 'debug', METRICS_TOKEN: SECRETS.metricsToken, REDIS_URL: viaProxy(testRedisUrl(), redisProxy) },
      workerEnv: {
        LOG_LEVEL: 'debug',
        WORKER_METRICS_PORT: String(metricsPort),
        // A reply POST that hangs is given up on soon, and read back soon after.
        HDE_TIMEOUT_MS: '1500',
        // The sweep runs every second and takes a message a webhook did not bring after one more.
        SWEEP_INTERVAL_MS: '1000',
        SWEEP_GRACE_MS: '1000',
        LLM_BASE_URL: provider.url,
        LLM_API_KEY: SECRETS.llmApiKey,
        LLM_MODEL: 'canary-model',
        LLM_TIMEOUT_MS: '3000',
        LLM_READS_REQUESTS: 'true',
        EMBEDDINGS_BASE_URL: provider.url,
        EMBEDDINGS_API_KEY: SECRETS.embeddingsApiKey,
        EMBEDDINGS_BACKFILL_INTERVAL_MS: '1000',
      },
      adminEnv: { LOG_LEVEL: 'debug', ADMIN_SESSION_SECRET: SECRETS.sessionSecret, ADMIN_BOOTSTRAP_PASSWORD: SECRETS.adminPassword },
    });
    // Answers are written by the model (which fails, echoing the prompt) before the quote is sent. A
    // low threshold: a marker word the knowledge base has never seen would otherwise make every
    // question a hand-off, and confidence is not what this test is about.
    await t.observe.patchSkillSettings(t.stack.skillId, { answerMode: 'llm', confidenceThreshold: 0.05 });
    admin = await t.stack.startAdmin();
    lead = new TestClient(admin.url);
    expect((await lead.login(admin.email, admin.password)).status).toBe(303);
    redis = new Redis(t.redisUrl);
    const token = new URL(t.stack.webhookUrl).pathname.split('/').at(-1)!;
    secrets = [
      { name: 'HDE API key', value: SECRETS.hdeApiKey },
      { name: 'refused HDE API key', value: SECRETS.refusedApiKey },
      { name: 'webhook token', value: token },
      { name: 'SECRETS_KEY', value: t.stack.env.SECRETS_KEY! },
      { name: 'ADMIN_SESSION_SECRET', value: SECRETS.sessionSecret },
      { name: 'admin password', value: SECRETS.adminPassword },
      { name: 'wrong sign-in password', value: SECRETS.wrongPassword },
      { name: 'LLM_API_KEY', value: SECRETS.llmApiKey },
      { name: 'EMBEDDINGS_API_KEY', value: SECRETS.embeddingsApiKey },
      { name: 'METRICS_TOKEN', value: SECRETS.metricsToken },
      { name: 'DATABASE_URL password', value: SECRETS.databasePassword },
      // The signed-in admin's session id (the cookie), a bearer secret as well.
      { name: 'admin session id', value: lead.cookie('hde_sid')! },
    ];
    expect(secrets.every((s) => s.value.length >= 16)).toBe(true);
  }, 120_000);

  afterAll(async () => {
    redis?.disconnect();
    await t?.close();
    await proxy?.close();
    await redisProxy?.close();
    await provider?.close();
  }, 60_000);

  /** A ticket opened by a customer under a name; `before` runs right after, before any webhook is sent. */
  function open(name: string, customerId: number, text: string, before?: (ticketId: number) => void): number {
    const { stack } = t;
    const ticket = stack.sim.openTicket(stack.account.slug, { customerId, title: 'Вопрос', text });
    before?.(ticket.id);
    tickets.set(name, ticket.id);
    return ticket.id;
  }
  const ticketOf = (name: string): number => tickets.get(name)!;
  const customer = (i: number): number => t.stack.people.customers[i]!.id;

  /** Opens a ticket while the dispatcher sends its webhook in another form (or none), and waits until it is settled. */
  async function withDispatcher(form: Omit<Parameters<TestStack['stack']['sim']['setDispatcher']>[1], 'url'>, openIt: () => number) {
    const { stack, observe } = t;
    stack.sim.setDispatcher(stack.account.slug, { url: stack.webhookUrl, ...form });
    try {
      const id = openIt();
      await waitFor(async () => (await observe.decisions(id)).length > 0, { what: `a decision on ticket ${id}`, timeoutMs: 30_000 });
      await observe.waitSettled(stack.sim, id, 30_000);
    } finally {
      stack.sim.setDispatcher(stack.account.slug, { url: stack.webhookUrl });
    }
  }

  it('drives answers, hand-offs, faults, failed jobs, the sweep, the model and the admin app with canary values', async () => {
    const { stack, observe } = t;
    const slug = stack.account.slug;
    // A customer whose name is a marker too (the webhook's `user_name`).
    const named = stack.sim.createCustomer(slug, {
      name: WORDS.customerName,
      lastname: 'Клиентова',
      email: `${WORDS.customerName}@mail.example`,
    });
    open('answered', named.id, `Какие способы оплаты у вас есть? Код клиента ${WORDS.answered}.`);
    open('llm', customer(1), `Как отследить мой заказ? Код клиента ${WORDS.llm}.`);
    open('complaint', customer(2), `Это возмутительно, я очень недоволен вашим магазином! Код клиента ${WORDS.complaint}.`);
    open('operator', customer(3), `позовите живого оператора пожалуйста, код клиента ${WORDS.operator}`);
    // The hand-off's note (the customer's words) gets 500, repeating it, and so does every read back.
    open('server500', customer(4), `позовите живого оператора пожалуйста, код клиента ${WORDS.server500}`, (id) =>
      proxy.rules.push({ ticketId: id, resource: 'comments', status: 500, methods: 'any' }),
    );
    // The notice and the note get 400 whose body repeats the posted text.
    open('echo400', customer(5), `позовите живого оператора пожалуйста, код клиента ${WORDS.echo400}`, (id) => {
      proxy.rules.push({ ticketId: id, resource: 'posts', status: 400, methods: 'POST' });
      proxy.rules.push({ ticketId: id, resource: 'comments', status: 400, methods: 'POST' });
    });
    // The reply POST hangs past HDE_TIMEOUT_MS once: read back, found absent, sent again.
    open('timeout', customer(6), `Сколько действует гарантия на смартфон? Код клиента ${WORDS.timeout}.`, (id) =>
      stack.sim.injectFault(slug, { method: 'POST', path: `/tickets/${id}/posts/`, kind: 'hang', times: 1 }),
    );

    // A webhook HDE broke (an unescaped quote, no ticket id): answered 400, stored for review.
    const broken = `{"message": "Где мой "заказ"? Код клиента ${WORDS.unparseable}", "ticket_id": }`;
    const refused = await fetch(stack.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: broken });
    expect(refused.status).toBe(400);
    const refusal = (await refused.json()) as { stored: boolean; event_id: string };
    expect(refusal.stored).toBe(true);
    unparseableEventId = refusal.event_id;

    // The failing hand-off's deliver job retries with exponential backoff (minutes in all); its
    // delayed retries are promoted, as an operator may in Bull Board, so they run now.
    const connection = redis.duplicate();
    const deliver = new Queue(QUEUES.deliver.name, { connection, prefix: bullPrefix(t.redisPrefix) });
    try {
      const failed = await waitFor(
        async () => {
          await deliver.promoteJobs();
          const jobs = await deliver.getJobs(['failed']);
          return jobs.length > 0 ? jobs : undefined;
        },
        { what: 'the deliver job of the failing hand-off to fail for good', timeoutMs: 90_000, intervalMs: 500 },
      );
      expect(failed[0]!.attemptsMade).toBeGreaterThan(1);
      expect(failed[0]!.failedReason).toMatch(/HTTP 500/);
      expect(failed[0]!.stacktrace ?? []).not.toHaveLength(0);
    } finally {
      await deliver.close();
      connection.disconnect();
    }
    for (const id of tickets.values()) await observe.waitSettled(stack.sim, id, 60_000);

    // One at a time, as the dispatcher's form is the account's: a body HDE broke with an unescaped
    // quote (salvaged); a form body whose `{answer_last}` HDE left unexpanded (the text is read from
    // HDE); no webhook at all (the sweep finds the message).
    await withDispatcher({ escapeJson: false }, () =>
      open('salvaged', customer(7), `Какие "способы" оплаты у вас есть? Код клиента ${WORDS.salvaged}.`),
    );
    await withDispatcher({ format: 'form', unexpandedTags: ['answer_last'] }, () =>
      open('readBack', customer(0), `Как отследить мой заказ? Код клиента ${WORDS.readBack}.`),
    );
    await withDispatcher({ enabled: false }, () =>
      open('swept', customer(1), `Какие способы оплаты у вас есть? Код клиента ${WORDS.swept}.`),
    );

    // Redis refuses the ingress: the webhook is answered 200 from the spool (which holds it, as it
    // must, until Redis is back), then replayed, answered and dropped from the spool.
    const spool = spoolDirOf(t.redisPrefix);
    const spoolHolds = async (word: string) => (await filesUnder(spool)).some((f) => readable(f.text).includes(word));
    redisProxy.setRefusing(true);
    try {
      open('spooled', customer(2), `Сколько стоит доставка по Москве? Код клиента ${WORDS.spooled}.`);
      await waitFor(() => spoolHolds(WORDS.spooled), { what: 'the webhook to be spooled', timeoutMs: 30_000 });
    } finally {
      redisProxy.setRefusing(false);
    }
    await waitFor(async () => (await observe.sentReplies(ticketOf('spooled'))) === 1, {
      what: 'the spooled message answered',
      timeoutMs: 60_000,
    });
    await observe.waitSettled(stack.sim, ticketOf('spooled'), 30_000);
    await waitFor(async () => !(await spoolHolds(WORDS.spooled)), { what: 'the spool to drop the replayed webhook', timeoutMs: 30_000 });

    // Each path did what the scenario needs it to (otherwise the scan below would prove little).
    const decisions = async (name: string) =>
      (await observe.decisions(ticketOf(name))).map((d) => ({ action: d.action, reasons: d.reasons }));
    for (const name of ['answered', 'timeout', 'salvaged', 'readBack', 'swept', 'spooled']) {
      expect([name, await decisions(name)]).toEqual([name, [expect.objectContaining({ action: 'answer' })]]);
      expect([name, botPosts(stack, ticketOf(name))]).toEqual([name, [expect.anything()]]);
    }
    expect((await decisions('llm'))[0]).toMatchObject({ action: 'answer', reasons: expect.arrayContaining(['llm_ungrounded']) });
    expect(provider.seen.some((body) => body.includes(WORDS.llm))).toBe(true);
    expect(await decisions('complaint')).toEqual([{ action: 'handoff', reasons: expect.arrayContaining(['complaint']) }]);
    expect(await decisions('operator')).toEqual([{ action: 'handoff', reasons: ['operator_requested'] }]);
    expect(await observe.dialogState(ticketOf('operator'))).toBe('handed_off');
    expect((await observe.decisions(ticketOf('server500')))[0]).toMatchObject({ action: 'handoff', stage: 'failed' });
    expect(proxy.echoed.filter((e) => e.ticketId === ticketOf('server500') && e.status === 500).length).toBeGreaterThan(2);
    expect(proxy.echoed.filter((e) => e.ticketId === ticketOf('echo400')).map((e) => e.resource)).toEqual(['posts', 'comments']);
    expect(stack.sim.faultHits(slug).hang).toBe(1);
    const sources = await t.pg.query<{ ticket_id: number; source: string; parse_status: string }>(
      'SELECT ticket_id::int AS ticket_id, source, parse_status FROM webhook_events WHERE integration_id = $1 AND ticket_id = ANY($2::bigint[])',
      [stack.integrationId, [ticketOf('salvaged'), ticketOf('swept')]],
    );
    expect(sources.rows.filter((r) => r.ticket_id === ticketOf('salvaged')).map((r) => r.parse_status)).toContain('salvaged');
    expect(sources.rows.filter((r) => r.ticket_id === ticketOf('swept')).map((r) => r.source)).toEqual(['sweep']);

    // The admin's test box, on the page and through the JSON API with a personal token, with the
    // worker's model (which fails, repeating the question).
    const asked = await lead.post(
      `/skills/${stack.skillId}/kb/test`,
      { message: `Какие способы оплаты у вас есть? Код клиента ${WORDS.testBox}.` },
      `/skills/${stack.skillId}/kb`,
    );
    expect(asked.status).toBe(200);
    expect(asked.text).toContain('data-testid="test-result"');
    const { rows: users } = await t.pg.query<{ id: string }>('SELECT id::text FROM users WHERE email = $1', [admin.email]);
    const issued = await lead.post('/api-tokens', { name: 'canary script', userId: users[0]!.id }, '/api-tokens');
    const apiToken = /data-testid="api-token">([^<]+)</.exec(issued.text)?.[1];
    expect(apiToken).toBeDefined();
    secrets.push({ name: 'admin API token', value: apiToken! });
    const api = apiClient(admin.url, apiToken!);
    const preview = await api('POST', `/skills/${stack.skillId}/preview`, {
      message: `Как отследить мой заказ? Код клиента ${WORDS.testBoxApi}.`,
    });
    expect(preview.status).toBe(200);
    // Only an answer goes to the model: when a word is not seen, say what the test box decided instead.
    const decided = {
      [WORDS.testBox]: /data-testid="test-result">([\s\S]*?)data-testid="test-reasons">([^<]*)/
        .exec(asked.text)
        ?.slice(1)
        .join(' ')
        .replace(/<[^>]*>/g, ' ')
        .replace(/\s+/g, ' '),
      [WORDS.testBoxApi]: JSON.stringify((preview.body as { decision?: unknown; hits?: unknown }).decision ?? preview.body),
    };
    for (const word of [WORDS.testBox, WORDS.testBoxApi])
      expect(provider.seen.some((body) => body.includes(word)) ? 'seen' : `not seen: ${decided[word]}`).toBe('seen');

    // A key HDE refuses, on the integration page and through the API: refused, never shown back.
    const page = await lead.post(
      `/integrations/${stack.integrationId}/api-key`,
      { apiKey: SECRETS.refusedApiKey },
      `/integrations/${stack.integrationId}`,
    );
    expect(page.status).toBe(400);
    const put = await api('PUT', `/integrations/${stack.integrationId}/api-key`, { apiKey: SECRETS.refusedApiKey });
    expect([put.status, put.body.error]).toEqual([400, 'api_key_rejected']);
    expect(leaksIn('admin answers to a refused key', `${page.text}\n${JSON.stringify(put.body)}`, secrets)).toEqual([]);
    // A wrong password at the sign-in form.
    const stranger = new TestClient(admin.url);
    expect((await stranger.login(admin.email, SECRETS.wrongPassword)).status).not.toBe(303);

    // The webhook log lists the refused body, and its raw view shows it to the admin.
    const log = await lead.get(`/integrations/${stack.integrationId}/webhooks`);
    expect(log.status).toBe(200);
    expect(log.text).toContain(unparseableEventId);
    const raw = await lead.get(`/integrations/${stack.integrationId}/webhooks/${unparseableEventId}/raw`);
    expect(raw.text).toContain(WORDS.unparseable);
  }, 150_000);

  it('keeps every canary out of Redis: keys, job data, failedReason, stacktrace, returnvalue, events streams', async () => {
    const leaks: string[] = [];
    const types = new Set<string>();
    const fields = new Set<string>();
    for (const key of await scanKeys(redis, `*${t.redisPrefix}*`)) {
      const { type, text } = await readKey(redis, key);
      types.add(type);
      if (type === 'hash') for (const field of Object.keys(await redis.hgetall(key))) fields.add(field);
      leaks.push(...leaksIn(`Redis ${type} ${key}`, `${key}\n${text}`, [...secrets, ...customerText]));
    }
    // No key of any other deployment or of none names a canary either.
    for (const key of await scanKeys(redis, '*')) leaks.push(...leaksIn(`Redis key name ${key}`, key, [...secrets, ...customerText]));
    expect(leaks).toEqual([]);
    // The scan read what it claims to: jobs, a failed one with its reason and stack, and the events streams.
    expect([...types]).toEqual(expect.arrayContaining(['hash', 'zset', 'stream']));
    expect([...fields]).toEqual(expect.arrayContaining(['data', 'returnvalue', 'failedReason', 'stacktrace']));
  });

  it('keeps every canary out of the ingress’s and the worker’s /metrics and out of the spool', async () => {
    const ingressMetrics = await (
      await fetch(`${ingressBase(t.stack)}/metrics`, { headers: { authorization: `Bearer ${SECRETS.metricsToken}` } })
    ).text();
    const workerMetrics = await (await fetch(workerMetricsUrl)).text();
    expect(ingressMetrics).toContain('hde_');
    expect(workerMetrics).toContain('hde_');
    const leaks = [
      ...leaksIn('ingress /metrics', ingressMetrics, [...secrets, ...customerText]),
      ...leaksIn('worker /metrics', workerMetrics, [...secrets, ...customerText]),
    ];
    // The folder the ingress spooled to during the outage: replayed records have left it.
    expect((await fs.stat(spoolDirOf(t.redisPrefix))).isDirectory()).toBe(true);
    for (const { file, text } of await filesUnder(spoolDirOf(t.redisPrefix))) {
      leaks.push(...leaksIn(`spool ${file}`, text, [...secrets, ...customerText]));
    }
    expect(leaks).toEqual([]);
  });

  it('keeps the HDE API key encrypted and no secret in plain text in PostgreSQL (customers’ text belongs there)', async () => {
    const { rows: keys } = await t.pg.query<{ api_key_enc: string }>('SELECT api_key_enc FROM integrations WHERE id = $1', [
      t.stack.integrationId,
    ]);
    expect(keys).toHaveLength(1);
    expect(keys[0]!.api_key_enc.length).toBeGreaterThan(0);
    expect(leaksIn('integrations.api_key_enc', keys[0]!.api_key_enc, secrets)).toEqual([]);

    const { rows: tables } = await t.pg.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    const leaks: string[] = [];
    let sawCustomerText = false;
    for (const { name } of tables) {
      const { rows } = await t.pg.query<{ row: string }>(`SELECT t::text AS row FROM "${name}" t`);
      for (const { row } of rows) {
        leaks.push(...leaksIn(`PostgreSQL ${name}`, row, secrets));
        if (row.includes(WORDS.answered)) sawCustomerText = true;
      }
    }
    expect(leaks).toEqual([]);
    // The premise: the dialog is kept, so the scan did read the tables that hold it.
    expect(sawCustomerText).toBe(true);
  });

  it('prints no key, token or secret on the admin’s pages', async () => {
    const { rows: dialogs } = await t.pg.query<{ id: string }>('SELECT id::text FROM dialogs WHERE integration_id = $1', [
      t.stack.integrationId,
    ]);
    expect(dialogs.length).toBeGreaterThanOrEqual(tickets.size);
    const pages = [
      '/overview',
      '/dialogs',
      ...dialogs.map((d) => `/dialogs/${d.id}`),
      '/integrations',
      `/integrations/${t.stack.integrationId}`,
      `/integrations/${t.stack.integrationId}/webhooks`,
      `/integrations/${t.stack.integrationId}/webhooks/${unparseableEventId}/raw`,
      `/skills/${t.stack.skillId}/kb`,
      '/settings',
      `/settings/skills/${t.stack.skillId}`,
      '/api-tokens',
      '/users',
      '/account',
    ];
    const leaks: string[] = [];
    for (const page of pages) {
      const res = await lead.get(page);
      expect([page, res.status]).toEqual([page, 200]);
      leaks.push(...leaksIn(`admin page ${page}`, res.text, secrets));
    }
    expect(leaks).toEqual([]);
  });

  it('logs no canary: the ingress’s, the worker’s and the admin app’s output at debug level, shutdown included', async () => {
    const processes: AppProcess[] = [t.stack.ingress, t.stack.worker!, admin.process];
    // Stopped as a deployment stops them, so what they print while shutting down is read too.
    for (const p of processes) await p.stop('SIGTERM');
    const leaks: string[] = [];
    for (const p of processes) {
      const output = p.output();
      // The premise: the output is the app's log (the ingress has no debug lines of its own).
      expect(output).toContain(`"service":"${p.name}"`);
      leaks.push(...leaksIn(`${p.name} output`, output, [...secrets, ...customerText]));
    }
    // The premise: the worker logged at debug, and logged the failing hand-off's job failures with their errors.
    expect(t.stack.worker!.output()).toContain('"level":"debug"');
    expect(t.stack.worker!.output()).toContain('HDE GET /tickets/:id/comments/ failed: server (HTTP 500)');
    expect(leaks).toEqual([]);
  });
});
