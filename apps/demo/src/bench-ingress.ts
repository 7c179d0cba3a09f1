import { randomBytes } from 'node:crypto';
import { parseScriptArgs } from '@repo/config';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import express from 'express';
import Redis from 'ioredis';
import { Pool } from 'pg';
import { z } from 'zod';
import { createStore, migrate } from '@repo/store';
import { dropDatabase, recreateDatabase } from './stack';
import { APP_NODE_ARGS, freePort, REPO_ROOT, until } from './processes';
import { cpuMicrosPerRequest, readCpuTicks } from './cpu-ticks';
import { profileArgs, profileDir } from './bench-prof';
import { spawn, type ChildProcess } from 'node:child_process';
import { demoConfig } from './config';

/** What `--help` prints, and what follows an error in the command line. */
const USAGE = `Usage: npm run bench:ingress -- [options]
Measures our ingress against a naive express + BullMQ ingress (a) in interleaved rounds, closed loop
and open loop, with the same Redis and payloads.
  --rounds N          closed-loop rounds of each (default 3)
  --seconds N         length of a closed-loop round (default 5)
  --concurrency N     connections of the closed loop (default 50)
  --rate N            requests per second of the open loop (default 1000)
  --open-seconds N    length of the open loop (default 10)
  --prof              write a CPU profile of our ingress into var/prof/
  --env K=V           extra environment of our ingress (repeatable)
  --compare PATH      another build's dist/main.js, run beside ours
  --compare-env K=V   extra environment of the compared build only (repeatable)
  --database-url URL  the bench database, created afresh (default postgres://postgres@127.0.0.1:5432/hde_consultant_bench_ingress)
  --redis-url URL     Redis (default redis://127.0.0.1:6379)`;

/**
 * Baseline (a): the naive ingress — express 5, express.json, a zod schema, one BullMQ `add` per
 * request, no database write. Runs as its own process (this file with `--baseline-server`).
 */
async function serveBaseline(port: number, redisUrl: string, prefix: string): Promise<void> {
  const Body = z.looseObject({
    ticket_id: z.string(),
    message: z.string().optional(),
    message_author_id: z.string().optional(),
    customer_id: z.string().optional(),
    post_id: z.string().optional(),
  });
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue('baseline-classify', { connection, prefix: `{${prefix}}` });
  const app = express();
  app.post('/api/bots/helpdeskeddy_bot/webhook/:token', express.json({ limit: '64kb' }), async (req, res) => {
    const parsed = Body.safeParse(req.body);
    if (!parsed.success) return void res.status(400).json({ error: 'bad' });
    const id = `b${parsed.data.ticket_id}-${parsed.data.post_id ?? ''}`;
    await queue.add('classify', { ticketId: parsed.data.ticket_id }, { jobId: id, removeOnComplete: true });
    res.json({ ok: true, event_id: id, status: 'accepted' });
  });
  app.listen(port, '127.0.0.1');
}

/**
 * The floor of the open-loop measurement itself: a bare `node:http` server that reads the body and
 * answers 200 at once, storing and enqueueing nothing. Its latency is this client's and this
 * machine's (scheduling, the client's own garbage collection), which every server's figure includes.
 */
function serveEmpty(port: number): void {
  const answer = JSON.stringify({ status: 'accepted', event_id: 'none' });
  http
    .createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) });
        res.end(answer);
      });
    })
    .listen(port, '127.0.0.1');
}

/** One request's body: the product's template, unique per request, ~300 bytes of Russian text. */
function payload(i: number): string {
  return JSON.stringify({
    message: `<p>Здравствуйте! Подскажите, пожалуйста, сколько стоит доставка заказа №${i} до двери по Москве и можно ли оплатить картой при получении?</p>`,
    message_author_id: '501',
    customer_id: '501',
    ticket_id: String(100_000 + i),
    status_id: 'open',
    user_name: 'Анна',
    last_answer_date: '14:05:09 03.02.2026',
    last_customer_message_date: '14:05:09 03.02.2026',
    chat_id: '{meta_chat_id}',
    post_id: String(i + 1),
  });
}

type Result = { status: number; body: string; ms: number };

/** Sends one POST over a keep-alive agent. */
function post(agent: http.Agent, port: number, pathName: string, body: string): Promise<Result> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: pathName,
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), ms: performance.now() - started }),
        );
      },
    );
    req.on('error', () => resolve({ status: 0, body: '', ms: performance.now() - started }));
    req.end(body);
  });
}

/** The servers this run started, stopped when it fails. */
const children: ChildProcess[] = [];

/** A shared counter of request numbers, so every request in the run has its own ticket and post. */
let next = 0;

type Target = { name: string; port: number; path: string };
type Outcome = { sent: number; ok: number; spooled: number; failed: number; accepted: string[]; latencies: number[]; seconds: number };

function tally(results: Result[], seconds: number, latencies: number[]): Outcome {
  const accepted: string[] = [];
  let spooled = 0;
  let ok = 0;
  for (const r of results) {
    if (r.status !== 200) continue;
    ok += 1;
    if (r.body.includes('"spooled"')) spooled += 1;
    const m = /"event_id":"([^"]+)"/.exec(r.body);
    if (m && r.body.includes('"accepted"')) accepted.push(m[1]!);
  }
  return { sent: results.length, ok, spooled, failed: results.length - ok, accepted, latencies, seconds };
}

/** Closed loop: `concurrency` clients each sending as soon as the previous answer came back. */
async function closedLoop(target: Target, concurrency: number, seconds: number): Promise<Outcome> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const results: Result[] = [];
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) results.push(await post(agent, target.port, target.path, payload(next++)));
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  return tally(
    results,
    elapsed,
    results.map((r) => r.ms),
  );
}

/**
 * Open loop: `send` called at a fixed rate whatever the answers, latency measured from each call's
 * scheduled time (so a stall is not hidden by sending less).
 */
async function atFixedRate<T>(
  rate: number,
  seconds: number,
  send: () => Promise<T>,
): Promise<{ results: T[]; latencies: number[]; seconds: number }> {
  const total = Math.round(rate * seconds);
  const pending: Promise<T>[] = [];
  const latencies: number[] = [];
  const t0 = performance.now();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate) + 1);
    while (sent < due) {
      const scheduled = t0 + (sent / rate) * 1000;
      pending.push(
        send().then((r) => {
          latencies.push(performance.now() - scheduled);
          return r;
        }),
      );
      sent += 1;
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  const results = await Promise.all(pending);
  return { results, latencies, seconds: (performance.now() - t0) / 1000 };
}

/** Webhooks to one server at a fixed rate ({@link atFixedRate}). */
async function openLoop(target: Target, rate: number, seconds: number): Promise<Outcome> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  const run = await atFixedRate(rate, seconds, () => post(agent, target.port, target.path, payload(next++)));
  agent.destroy();
  return tally(run.results, run.seconds, run.latencies);
}

/**
 * What storing each event durably on its own costs at the open loop's rate: a one-row INSERT
 * committed by itself (autocommit, one WAL flush each) straight from this process over a pool of
 * 16, with no HTTP and no Redis: the store half of a naive durable ingress (baseline (b) of the
 * performance issue: (a) plus one INSERT before the 200). Beside our open loop it shows what group
 * commit saves: every flush waits for the one before it, so at a rate near the disk's flushes per
 * second the tail grows.
 */
async function commitPerEvent(
  databaseUrl: string,
  rate: number,
  seconds: number,
): Promise<{ p50_ms: number; p99_ms: number; max_ms: number }> {
  const pool = new Pool({ connectionString: databaseUrl, max: 16 });
  try {
    await pool.query('CREATE TABLE IF NOT EXISTS bench_commit_floor (id bigserial PRIMARY KEY, body jsonb NOT NULL)');
    const body = payload(0);
    const run = await atFixedRate(rate, seconds, () => pool.query('INSERT INTO bench_commit_floor (body) VALUES ($1)', [body]));
    await pool.query('DROP TABLE bench_commit_floor');
    return { p50_ms: round(pct(run.latencies, 50)), p99_ms: round(pct(run.latencies, 99)), max_ms: round(pct(run.latencies, 100)) };
  } finally {
    await pool.end();
  }
}

const pct = (values: number[], p: number): number => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const median = (values: number[]) => pct(values, 50);
const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : 0;
}

/**
 * bench:ingress — our ingress (store in PostgreSQL + enqueue in Redis before the 200) against
 * baseline (a), a naive express + zod + BullMQ `add` ingress that stores nothing, with the same Redis
 * and payloads, in interleaved closed-loop rounds; then an open loop at a fixed rate, beside the same
 * loop against a server that does nothing ({@link serveEmpty}: the measurement's own floor) and
 * one-row commits at that rate, one per event ({@link commitPerEvent}).
 * Checks on every run that every acknowledged event is stored and enqueued. The last line is one
 * JSON object.
 */
async function main(): Promise<void> {
  const values = parseScriptArgs(
    {
      rounds: { type: 'string', default: '3' },
      seconds: { type: 'string', default: '5' },
      concurrency: { type: 'string', default: '50' },
      rate: { type: 'string', default: '1000' },
      'open-seconds': { type: 'string', default: '10' },
      'database-url': { type: 'string' },
      'redis-url': { type: 'string' },
      prof: { type: 'boolean', default: false },
      /** Extra environment of our ingress, `KEY=VALUE`, repeatable (to compare settings side by side). */
      env: { type: 'string', multiple: true, default: [] },
      /** Another build of the ingress (its dist/main.js, e.g. an earlier commit's) run beside ours as `prev`. */
      compare: { type: 'string' },
      /** Extra environment of the compared build only, `KEY=VALUE`, repeatable (the same build with other settings). */
      'compare-env': { type: 'string', multiple: true, default: [] },
      'baseline-server': { type: 'boolean', default: false },
      'empty-server': { type: 'boolean', default: false },
      port: { type: 'string' },
      prefix: { type: 'string' },
    },
    USAGE,
  );
  const redisUrl = values['redis-url'] ?? 'redis://127.0.0.1:6379';
  if (values['baseline-server']) return serveBaseline(Number(values.port), redisUrl, String(values.prefix));
  if (values['empty-server']) return serveEmpty(Number(values.port));

  const rounds = Number(values.rounds);
  const seconds = Number(values.seconds);
  const concurrency = Number(values.concurrency);
  const databaseUrl = values['database-url'] ?? 'postgres://postgres@127.0.0.1:5432/hde_consultant_bench_ingress';
  const prefix = `bench-ingress-${randomBytes(3).toString('hex')}`;
  await recreateDatabase(databaseUrl);
  await migrate(databaseUrl);
  const store = createStore({ url: databaseUrl, secretsKey: randomBytes(32) });
  const org = await store.organizations.createOrganization('Bench');
  const consultant = await store.organizations.createConsultant(org.id, 'Eddy');
  const skill = await store.organizations.createSkill({ organizationId: org.id, consultantId: consultant.id, name: 'Support' });
  const integration = await store.integrations.create({
    organizationId: org.id,
    skillId: skill.id,
    hdeBaseUrl: 'https://bench.helpdeskeddy.com',
    adminEmail: 'bot@bench.test',
    apiKey: 'k',
  });
  const { token } = await store.integrations.issueToken(integration.id);

  const oursPort = await freePort();
  const baselinePort = await freePort();
  const prevPort = values.compare ? await freePort() : undefined;
  const profDir = values.prof ? profileDir('ingress') : undefined;
  const oursEnv = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    INGRESS_PORT: String(oursPort),
    INGRESS_HOST: '127.0.0.1',
    SPOOL_DIR: mkdtempSync(path.join(tmpdir(), 'bench-ingress-spool-')),
    LOG_LEVEL: 'warn',
    RUN_MIGRATIONS: 'false',
    // The limit stays on (its cost is measured) but above what one token sends here.
    WEBHOOK_RATE_LIMIT_PER_SECOND: '1000000',
    // As deployed: the ingress's V8 options (both builds; --env / --compare-env NODE_OPTIONS=… replace them).
    NODE_OPTIONS: APP_NODE_ARGS.ingress.join(' '),
    ...envOf(values.env),
  };
  // With --prof the ingress writes a V8 CPU profile (.cpuprofile) into var/prof/ when it stops.
  const ours = spawn(process.execPath, [...profileArgs(profDir), path.join(REPO_ROOT, 'apps', 'ingress', 'dist', 'main.js')], {
    env: { PATH: demoConfig().PATH, ...oursEnv },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(ours);
  const oursExited = new Promise((resolve) => ours.once('exit', resolve));
  // The same settings, database and queue for the other build, on a port of its own.
  const prev = values.compare
    ? spawn(process.execPath, [path.resolve(values.compare)], {
        env: { PATH: demoConfig().PATH, ...oursEnv, ...envOf(values['compare-env']), INGRESS_PORT: String(prevPort) },
        stdio: ['ignore', 'ignore', 'inherit'],
      })
    : undefined;
  if (prev) children.push(prev);
  const prevExited = prev ? new Promise((resolve) => prev.once('exit', resolve)) : Promise.resolve();
  const baseline = spawn(
    process.execPath,
    [__filename, '--baseline-server', '--port', String(baselinePort), '--redis-url', redisUrl, '--prefix', prefix],
    { stdio: 'ignore' },
  );
  children.push(baseline);
  const emptyPort = await freePort();
  const empty = spawn(process.execPath, [__filename, '--empty-server', '--port', String(emptyPort)], { stdio: 'ignore' });
  children.push(empty);
  const health = (port: number, p: string) => () =>
    new Promise<boolean>((resolve) => {
      const req = http.request(
        { host: '127.0.0.1', port, path: p, method: 'POST', headers: { 'content-type': 'application/json' } },
        (res) => {
          res.resume();
          resolve(res.statusCode !== undefined && res.statusCode < 500);
        },
      );
      req.on('error', () => resolve(false));
      req.end('{"ticket_id":"1","post_id":"0"}');
    });
  const webhookPath = `/api/bots/helpdeskeddy_bot/webhook/${token}`;
  type Key = 'a' | 'ours' | 'prev';
  const targets: Record<Key, Target> = {
    ours: { name: 'ours', port: oursPort, path: webhookPath },
    a: { name: 'a', port: baselinePort, path: webhookPath },
    prev: { name: 'prev', port: prevPort ?? 0, path: webhookPath },
  };
  const keys: Key[] = prev ? ['a', 'ours', 'prev'] : ['a', 'ours'];
  await until(health(oursPort, webhookPath), 'our ingress');
  await until(health(baselinePort, webhookPath), 'baseline (a)');
  await until(health(emptyPort, webhookPath), 'the empty server');
  if (prevPort !== undefined) await until(health(prevPort, webhookPath), 'the ingress compared (prev)');

  // CPU per request of the bench's client (this process), each server, PostgreSQL and Redis.
  const cpuParts = { client: process.pid, ours: ours.pid, a: baseline.pid, ...(prev ? { prev: prev.pid } : {}) };

  // The highest RSS each ingress reaches while the bench runs, sampled every 200 ms (one reading
  // after the load, `rss_mb`, can miss the peak between collections).
  const rssMax = { ours: 0, prev: 0 };
  const rssSampler = setInterval(() => {
    try {
      rssMax.ours = Math.max(rssMax.ours, rssMb(ours.pid!));
      if (prev) rssMax.prev = Math.max(rssMax.prev, rssMb(prev.pid!));
    } catch {
      // A server that exited mid-run has no /proc entry: the run fails on its own terms, not here.
    }
  }, 200);
  rssSampler.unref();

  // Warm-up of each (JIT, connection pools), not counted.
  for (const key of keys) await closedLoop(targets[key], concurrency, 1);

  const rps: Record<Key, number[]> = { a: [], ours: [], prev: [] };
  const p99: Record<Key, number[]> = { a: [], ours: [], prev: [] };
  const accepted: string[] = [];
  let spooled = 0;
  let failed = 0;
  for (let r = 0; r < rounds; r += 1) {
    // Rotate which goes first so none always meets a cooler machine.
    const order = keys.map((_, i) => keys[(i + r) % keys.length]!);
    for (const key of order) {
      const cpuBefore = readCpuTicks(cpuParts);
      const out = await closedLoop(targets[key], concurrency, seconds);
      const cpu = cpuMicrosPerRequest(cpuBefore, readCpuTicks(cpuParts), out.ok);
      rps[key].push(out.ok / out.seconds);
      p99[key].push(pct(out.latencies, 99));
      if (key !== 'a') accepted.push(...out.accepted);
      if (key === 'ours') spooled += out.spooled;
      failed += out.failed;
      process.stdout.write(
        `${JSON.stringify({ round: r + 1, target: key, mode: `closed -c${concurrency}`, req_per_s: round1(out.ok / out.seconds), p50_ms: round(pct(out.latencies, 50)), p99_ms: round(pct(out.latencies, 99)), spooled: out.spooled, failed: out.failed, cpu_us_per_req: cpu })}\n`,
      );
    }
  }

  const rate = Number(values.rate);
  const openEmpty = await openLoop({ name: 'empty', port: emptyPort, path: webhookPath }, rate, Number(values['open-seconds']));
  empty.kill('SIGTERM');
  process.stdout.write(
    `${JSON.stringify({ target: 'empty server', mode: `open ${rate}/s`, sent: openEmpty.sent, p50_ms: round(pct(openEmpty.latencies, 50)), p99_ms: round(pct(openEmpty.latencies, 99)), max_ms: round(pct(openEmpty.latencies, 100)), failed: openEmpty.failed })}\n`,
  );
  let cpuBefore = readCpuTicks(cpuParts);
  const openA = await openLoop(targets.a, rate, Number(values['open-seconds']));
  const openACpu = cpuMicrosPerRequest(cpuBefore, readCpuTicks(cpuParts), openA.ok);
  process.stdout.write(
    `${JSON.stringify({ target: 'a', mode: `open ${rate}/s`, sent: openA.sent, p50_ms: round(pct(openA.latencies, 50)), p99_ms: round(pct(openA.latencies, 99)), max_ms: round(pct(openA.latencies, 100)), failed: openA.failed, cpu_us_per_req: openACpu })}\n`,
  );
  cpuBefore = readCpuTicks(cpuParts);
  const openOurs = await openLoop(targets.ours, rate, Number(values['open-seconds']));
  const openOursCpu = cpuMicrosPerRequest(cpuBefore, readCpuTicks(cpuParts), openOurs.ok);
  accepted.push(...openOurs.accepted);
  process.stdout.write(
    `${JSON.stringify({ target: 'ours', mode: `open ${rate}/s`, sent: openOurs.sent, p50_ms: round(pct(openOurs.latencies, 50)), p99_ms: round(pct(openOurs.latencies, 99)), max_ms: round(pct(openOurs.latencies, 100)), spooled: openOurs.spooled, failed: openOurs.failed, cpu_us_per_req: openOursCpu })}\n`,
  );
  const rss = rssMb(ours.pid!);
  let openPrev: Outcome | undefined;
  if (prev) {
    cpuBefore = readCpuTicks(cpuParts);
    openPrev = await openLoop(targets.prev, rate, Number(values['open-seconds']));
    const cpu = cpuMicrosPerRequest(cpuBefore, readCpuTicks(cpuParts), openPrev.ok);
    accepted.push(...openPrev.accepted);
    process.stdout.write(
      `${JSON.stringify({ target: 'prev', mode: `open ${rate}/s`, sent: openPrev.sent, p50_ms: round(pct(openPrev.latencies, 50)), p99_ms: round(pct(openPrev.latencies, 99)), max_ms: round(pct(openPrev.latencies, 100)), spooled: openPrev.spooled, failed: openPrev.failed, cpu_us_per_req: cpu })}\n`,
    );
  }
  const prevRss = prev ? rssMb(prev.pid!) : undefined;
  clearInterval(rssSampler);
  const perEvent = await commitPerEvent(databaseUrl, rate, Number(values['open-seconds']));
  process.stdout.write(`${JSON.stringify({ target: 'one commit per event', mode: `open ${rate}/s`, ...perEvent })}\n`);

  // Invariant: every event acknowledged as accepted is stored and has its classify job.
  const rows = await store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM webhook_events WHERE id = ANY($1::text[])', [accepted]);
  const queue = new Queue('ticket-classify', { connection: { url: redisUrl } as never, prefix: `{${prefix}}` });
  const redis = new Redis(redisUrl);
  let jobs = 0;
  for (let i = 0; i < accepted.length; i += 1000) {
    const chunk = accepted.slice(i, i + 1000);
    const exists = await Promise.all(chunk.map((id) => redis.exists(`{${prefix}}:ticket-classify:${id}`)));
    jobs += exists.reduce((a, b) => a + b, 0);
  }
  redis.disconnect();
  const lost = accepted.length - Math.min(rows[0]!.n, jobs);

  ours.kill('SIGTERM');
  prev?.kill('SIGTERM');
  await oursExited;
  await prevExited;
  baseline.kill('SIGTERM');
  await queue.obliterate({ force: true }).catch(() => undefined);
  const base = new Queue('baseline-classify', { connection: { url: redisUrl } as never, prefix: `{${prefix}}` });
  await base.obliterate({ force: true }).catch(() => undefined);
  await base.close();
  await queue.close();
  await store.close();
  await dropDatabase(databaseUrl);

  const result = {
    ratio: round(median(rps.ours) / median(rps.a)),
    ours_req_per_s: Math.round(median(rps.ours)),
    a_req_per_s: Math.round(median(rps.a)),
    closed_p99_ms: { ours: round(median(p99.ours)), a: round(median(p99.a)) },
    open_rate: rate,
    open_p99_ms: round(pct(openOurs.latencies, 99)),
    open_p50_ms: round(pct(openOurs.latencies, 50)),
    a_open_p99_ms: round(pct(openA.latencies, 99)),
    empty_open_p99_ms: round(pct(openEmpty.latencies, 99)),
    one_commit_per_event_open_p99_ms: perEvent.p99_ms,
    spooled: spooled + openOurs.spooled,
    failed,
    rss_mb: rss,
    rss_max_mb: rssMax.ours,
    acknowledged: accepted.length,
    stored_and_enqueued: Math.min(rows[0]!.n, jobs),
    lost,
    ...(prev && openPrev
      ? {
          prev: {
            req_per_s: Math.round(median(rps.prev)),
            ours_to_prev: round(median(rps.ours) / median(rps.prev)),
            ratio: round(median(rps.prev) / median(rps.a)),
            open_p99_ms: round(pct(openPrev.latencies, 99)),
            open_p50_ms: round(pct(openPrev.latencies, 50)),
            spooled: openPrev.spooled,
            rss_mb: prevRss,
            rss_max_mb: rssMax.prev,
          },
        }
      : {}),
    ...(profDir ? { profile_dir: profDir } : {}),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  if (lost !== 0) process.exitCode = 1;
}

const round1 = (n: number) => Math.round(n);

/** `KEY=VALUE` arguments as an environment. */
function envOf(pairs: readonly string[]): Record<string, string> {
  return Object.fromEntries(pairs.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:ingress failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  // A failed run must not leave its servers behind (they hold ports and the terminal's output).
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  process.exit(1);
});
