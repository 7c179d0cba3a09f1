import { randomBytes } from 'node:crypto';
import { parseScriptArgs } from '@repo/config';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { MAX_RATE_LIMIT_PER_MINUTE, WEBHOOK_BODY_TEMPLATE } from '@repo/domain';
import { startHdeSim } from '@repo/hde-sim';
import { bullPrefix, QUEUES } from '@repo/queue';
import { runNoopChain } from './bench-noop-chain';
import { cpuMicrosPerRequest, postgresTicksByPid, readCpuTicks } from './cpu-ticks';
import { profileArgs, profileDir, profileSelf } from './bench-prof';
import { deleteRedisKeys, dropDatabase, recreateDatabase } from './stack';
import { freePort, REPO_ROOT, startApp, until } from './processes';
import { setUpIntegration } from './setup-integration';

/** What `--help` prints, and what follows an error in the command line. */
const USAGE = `Usage: npm run bench:pipeline -- [options]
Opens tickets at once in the HDE simulator and measures them end to end through the real ingress,
worker, Redis and PostgreSQL, against a no-op 4-stage BullMQ chain run before and after.
  --tickets N         tickets opened at once (default 2000)
  --concurrency N     the worker's and the chain's concurrency (default 16)
  --pool-size N       the worker's PostgreSQL pool (default: the worker's own)
  --prof              write CPU profiles into var/prof/
  --keep              keep the bench database afterwards
  --database-url URL  the bench database, created afresh (default postgres://postgres@127.0.0.1:5432/hde_consultant_bench_pipeline)
  --redis-url URL     Redis (default redis://127.0.0.1:6379)`;

/** Sums a Prometheus text exposition's samples of `name`, by the value of `label`. */
export function promSamples(text: string, name: string, label: string): Record<string, number> {
  const out: Record<string, number> = {};
  const pattern = new RegExp(`^${name}\\{[^}]*${label}="([^"]*)"[^}]*\\} ([0-9.e+-]+)$`);
  for (const line of text.split('\n')) {
    const match = pattern.exec(line);
    if (match) out[match[1]!] = (out[match[1]!] ?? 0) + Number(match[2]);
  }
  return out;
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * bench:pipeline — end to end, `--tickets` new tickets opened at once in the HDE simulator, each
 * dispatched to the real ingress and answered by the real worker over real Redis and PostgreSQL,
 * against the naive baseline run in the same invocation: a no-op 4-stage BullMQ chain in one process
 * (before and after ours; the mean is the baseline). The account's limit is raised so the HDE
 * budget is not the bottleneck. Checks the invariants every run: exactly one reply per ticket, and
 * every webhook answered 200 stored. The last line is one JSON object.
 */
async function main(): Promise<void> {
  const values = parseScriptArgs(
    {
      tickets: { type: 'string', default: '2000' },
      'database-url': { type: 'string' },
      'redis-url': { type: 'string' },
      prof: { type: 'boolean', default: false },
      concurrency: { type: 'string', default: '16' },
      // The worker's PostgreSQL pool (DATABASE_POOL_SIZE); default: the worker's own default.
      'pool-size': { type: 'string' },
      // Keep the database afterwards, to look into it.
      keep: { type: 'boolean', default: false },
    },
    USAGE,
  );
  const total = Number(values.tickets);
  const concurrency = Number(values.concurrency);
  const databaseUrl = values['database-url'] ?? 'postgres://postgres@127.0.0.1:5432/hde_consultant_bench_pipeline';
  const redisUrl = values['redis-url'] ?? 'redis://127.0.0.1:6379';
  const prof = values.prof ? profileDir('pipeline') : undefined;
  const self = prof ? profileSelf(prof, 'bench-process') : undefined;

  // CPU per chain of the baseline (this process and Redis), to set beside ours per message.
  const baselineCpuBefore = readCpuTicks({ bench_and_sim: process.pid });
  const baselineBefore = await runNoopChain({ redisUrl, jobs: total, concurrency });
  // The chain uses no PostgreSQL: what the server spends meanwhile is other work (`other`).
  const baselineCpu = cpuMicrosPerRequest(
    { ...baselineCpuBefore, postgres: 0 },
    { ...readCpuTicks({ bench_and_sim: process.pid }), postgres: 0 },
    total,
  );

  await recreateDatabase(databaseUrl);
  const sim = await startHdeSim({ port: 0 });
  const ingressPort = await freePort();
  const metricsPort = await freePort();
  const redisPrefix = `bench-${randomBytes(3).toString('hex')}`;
  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: redisPrefix,
    SECRETS_KEY: randomBytes(32).toString('hex'),
    PUBLIC_WEBHOOK_BASE_URL: `http://127.0.0.1:${ingressPort}`,
    LOG_LEVEL: 'warn',
    HDE_ALLOW_PRIVATE_NETWORK: 'true',
  };
  const slug = 'bench';
  // The ingress's per-token limit would refuse part of a 2,000-ticket burst; HDE does not resend.
  // A limit this high is never reached: the pipeline, not HDE's budget, is measured.
  // The integration takes the highest limit setup allows (1,000 a second; a 2,000-ticket run makes
  // about 14,000 calls a minute), the simulated account more still.
  const limit = 1_000_000;
  const account = sim.createAccount({ slug, rateLimitPerMinute: limit, adminEmail: `bot@${slug}.example` });
  const setup = await setUpIntegration(account, env, { org: slug, rateLimitPerMinute: MAX_RATE_LIMIT_PER_MINUTE });
  // The dispatcher rule body the setup tells admins to paste (it carries HDE's post id).
  sim.setDispatcher(slug, { url: setup.webhookUrl, template: JSON.parse(WEBHOOK_BODY_TEMPLATE) as Record<string, string> });
  const customers = Array.from(
    { length: 50 },
    (_, i) => sim.createCustomer(slug, { name: `Клиент ${i}`, email: `c${i}@${slug}.example` }).id,
  );

  const ingress = startApp(
    'ingress',
    {
      ...env,
      INGRESS_PORT: String(ingressPort),
      INGRESS_HOST: '127.0.0.1',
      RUN_MIGRATIONS: 'false',
      SPOOL_DIR: path.join(REPO_ROOT, 'var', 'bench-pipeline-spool'),
      WEBHOOK_RATE_LIMIT_PER_SECOND: '0',
    },
    profileArgs(prof),
  );
  await until(async () => (await fetch(`http://127.0.0.1:${ingressPort}/healthz`)).ok, 'the ingress');
  const worker = startApp(
    'worker',
    {
      ...env,
      RUN_MIGRATIONS: 'false',
      TURN_DEBOUNCE_MS: '0',
      SWEEP_INTERVAL_MS: '0',
      KB_SYNC_INTERVAL_MS: '0',
      // The message path only: no sweep, KB sync or housekeeping stages competing in the measurement.
      WORKER_STAGES: 'classify,retrieve,decide,deliver',
      CLASSIFY_CONCURRENCY: String(concurrency),
      RETRIEVE_CONCURRENCY: String(concurrency),
      DECIDE_CONCURRENCY: String(concurrency),
      DELIVER_CONCURRENCY: String(concurrency * 2),
      LOG_LEVEL: 'error',
      DATABASE_COUNT_QUERIES: 'true',
      WORKER_METRICS_PORT: String(metricsPort),
      ...(values['pool-size'] ? { DATABASE_POOL_SIZE: values['pool-size'] } : {}),
    },
    profileArgs(prof),
  );
  await until(async () => (await fetch(`http://127.0.0.1:${metricsPort}/healthz`)).ok, 'the worker', 30_000);

  // Questions the demo KB answers, so every ticket gets a reply.
  const questions = [
    'Какие способы оплаты у вас есть?',
    'Сколько стоит доставка по Москве?',
    'Сколько действует гарантия на смартфон?',
    'Как отследить мой заказ?',
    'Как восстановить пароль от личного кабинета?',
  ];
  const tickets: number[] = [];
  // Where the CPU of a message goes: the simulator (in this process), the ingress, the worker (its
  // classify threads included), PostgreSQL and Redis; `other` is anything else running on the box.
  const cpuParts = { bench_and_sim: process.pid, ingress: ingress.child.pid, worker: worker.child.pid };
  const cpuBefore = readCpuTicks(cpuParts);
  const postgresBefore = postgresTicksByPid();
  const started = Date.now();
  for (let i = 0; i < total; i += 1) {
    tickets.push(
      sim.openTicket(slug, { customerId: customers[i % customers.length]!, title: `Вопрос ${i}`, text: questions[i % questions.length]! })
        .id,
    );
  }
  const botPosts = (ticketId: number) => sim.posts(slug, ticketId).filter((p) => p.user_id === setup.botUserId).length;
  let answered = 0;
  let lastAnsweredAt = started;
  let lastChange = Date.now();
  await until(
    () => {
      const n = tickets.filter((t) => botPosts(t) > 0).length;
      if (n !== answered) {
        answered = n;
        lastAnsweredAt = Date.now();
        lastChange = Date.now();
      }
      return n === total || Date.now() - lastChange > 60_000;
    },
    'every ticket to be answered',
    15 * 60_000,
  ).catch(() => undefined);
  // Until the last reply; when some never came, the rate counts only the answered tickets.
  const seconds = Math.max(0.001, (lastAnsweredAt - started) / 1000);

  // Let the echo webhooks of our replies arrive and the worker go idle, so every query is counted.
  await sim.waitForDispatches();
  const workerMetrics = async () => (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  let previous = -1;
  await until(
    async () => {
      const text = await workerMetrics();
      const busy = Object.entries(promSamples(text, 'hde_queue_jobs', 'state'))
        .filter(([s]) => s === 'waiting' || s === 'active' || s === 'delayed')
        .reduce((a, [, n]) => a + n, 0);
      const queries = Object.values(promSamples(text, 'hde_db_queries_total', 'stage')).reduce((a, n) => a + n, 0);
      const settled = busy === 0 && queries === previous;
      previous = queries;
      return settled;
    },
    'the worker to go idle',
    60_000,
  ).catch(() => undefined);
  const queriesByStage = promSamples(await workerMetrics(), 'hde_db_queries_total', 'stage');
  // PostgreSQL: only the backends of this run's database (the apps' pools keep theirs open), so other
  // work on the same server does not count; a backend opened during the run counts from zero.
  const cpuAfter = readCpuTicks(cpuParts);
  const postgresAfter = postgresTicksByPid();
  const backends = new Client({ connectionString: databaseUrl });
  await backends.connect();
  const ours = await backends.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
  );
  await backends.end();
  const spentByOurBackends = ours.rows.reduce((sum, { pid }) => {
    const key = String(pid);
    return sum + Math.max(0, (postgresAfter.get(key) ?? 0) - (postgresBefore.get(key) ?? 0));
  }, 0);
  const cpuPerMessage = cpuMicrosPerRequest({ ...cpuBefore, postgres: 0 }, { ...cpuAfter, postgres: spentByOurBackends }, total);
  const redisPort = Number(new URL(redisUrl).port || 6379);
  const classifyQueue = new Queue(QUEUES.classify.name, {
    connection: { host: new URL(redisUrl).hostname, port: redisPort },
    prefix: bullPrefix(env.REDIS_PREFIX!),
  });
  const classifyJobs = await classifyQueue.getJobCountByTypes('completed', 'failed');
  await classifyQueue.close();
  const ingressOutcomes = promSamples(
    await (await fetch(`http://127.0.0.1:${ingressPort}/metrics`)).text(),
    'hde_webhooks_total',
    'outcome',
  );

  // Invariants: exactly one reply per ticket; every webhook the ingress answered 200 is in the inbox.
  let duplicates = 0;
  let missed = 0;
  for (const t of tickets) {
    const n = botPosts(t);
    if (n === 0) missed += 1;
    if (n > 1) duplicates += n - 1;
  }
  const dispatches = sim.dispatchLog(slug);
  const acked = new Set(dispatches.filter((d) => d.status === 200).map((d) => `${d.ticketId}:${d.postId}`));
  const failedDispatches = dispatches.filter((d) => d.status !== 200).length;
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  const stored = await db.query<{ outcome: string | null; n: string }>(
    'SELECT outcome, count(*) AS n FROM webhook_events GROUP BY outcome',
  );
  const storedTotal = stored.rows.reduce((a, r) => a + Number(r.n), 0);
  const unprocessed = Number(stored.rows.find((r) => r.outcome === null)?.n ?? 0);
  await db.end();
  const notStored = Math.max(0, acked.size - storedTotal);

  await worker.stop();
  await ingress.stop();
  if (missed > 0 || duplicates > 0 || notStored > 0) {
    const dir = path.join(REPO_ROOT, 'var');
    writeFileSync(path.join(dir, 'bench-pipeline-ingress.log'), ingress.output());
    writeFileSync(path.join(dir, 'bench-pipeline-worker.log'), worker.output());
  }
  await sim.close();
  if (!values.keep) {
    await dropDatabase(databaseUrl);
    await deleteRedisKeys(redisUrl, redisPrefix);
  }

  const baselineAfter = await runNoopChain({ redisUrl, jobs: total, concurrency });
  await self?.stop();
  const baseline = (baselineBefore.jobsPerSecond + baselineAfter.jobsPerSecond) / 2;
  const queries = Object.values(queriesByStage).reduce((a, n) => a + n, 0);
  const msgsPerSecond = answered / seconds;
  const perStage = Object.fromEntries(Object.entries(queriesByStage).map(([stage, n]) => [stage, round(n / total, 2)]));
  process.stdout.write(
    `${JSON.stringify({
      tickets: total,
      seconds: round(seconds),
      baseline_c_jobs_per_s: [round(baselineBefore.jobsPerSecond), round(baselineAfter.jobsPerSecond)],
      queries_per_message_by_stage: perStage,
      webhooks: ingressOutcomes,
      stored_events: Object.fromEntries(stored.rows.map((r) => [r.outcome ?? 'unprocessed', Number(r.n)])),
      classify_jobs: classifyJobs,
      cpu_us_per_message: cpuPerMessage,
      baseline_c_cpu_us_per_chain: baselineCpu,
      failed_dispatches: failedDispatches,
      acked_not_stored: notStored,
      unprocessed_events: unprocessed,
      profiles: prof ?? null,
    })}\n`,
  );
  process.stdout.write(
    `${JSON.stringify({
      ratio: round(msgsPerSecond / baseline, 3),
      msgs_per_s: round(msgsPerSecond),
      queries_per_message: round(queries / total, 2),
      duplicates,
      missed,
    })}\n`,
  );
  if (duplicates > 0 || missed > 0 || notStored > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:pipeline failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
