import { randomBytes } from 'node:crypto';
import { parseScriptArgs } from '@repo/config';
import { availableParallelism } from 'node:os';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { WEBHOOK_BODY_TEMPLATE } from '@repo/domain';
import { startHdeSim } from '@repo/hde-sim';
import { deleteRedisKeys, dropDatabase, recreateDatabase } from './stack';
import { starveCpu } from './starve-cpu';
import { profileArgs, profileDir, profileSelf } from './bench-prof';
import { freePort, REPO_ROOT, startApp, until } from './processes';
import { setUpIntegration } from './setup-integration';

/** What `--help` prints, and what follows an error in the command line. */
const USAGE = `Usage: npm run bench:budget -- [options]
Sends a burst of messages through the real ingress and worker to the HDE simulator and compares the
time taken with the time HDE's request budget alone requires.
  --messages N        tickets opened at once (default 2000)
  --limit N           the simulator's requests per minute (default 600)
  --budget N          our budget per minute (default: 97 % of the limit)
  --starve            keep every core busy with spinning processes for the whole run
  --prof              write CPU profiles of the ingress, the worker and this process into var/prof/
  --database-url URL  the bench database, created afresh (default postgres://postgres@127.0.0.1:5432/hde_consultant_bench)
  --redis-url URL     Redis (default redis://127.0.0.1:6379)`;

/** The most requests any 60-second span holds, from sorted request times (ms). */
export function maxInAnyMinute(times: number[], windowMs = 60_000): number {
  let best = 0;
  let start = 0;
  for (let end = 0; end < times.length; end += 1) {
    while (times[end]! - times[start]! >= windowMs) start += 1;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

/**
 * bench:budget — plays customer messages over three simulated HDE accounts at once through the real
 * ingress and worker, and checks the API budget: no duplicate reply, nothing missed, no account over
 * its per-minute limit, and the wall time against the time the limits alone make necessary.
 */
async function main(): Promise<void> {
  const values = parseScriptArgs(
    {
      messages: { type: 'string', default: '2000' },
      limit: { type: 'string', default: '600' },
      budget: { type: 'string' },
      'database-url': { type: 'string' },
      'redis-url': { type: 'string' },
      // Keep every core busy with spinning processes for the whole run.
      starve: { type: 'boolean', default: false },
      // Write CPU profiles of the ingress, the worker and this process into var/prof/.
      prof: { type: 'boolean', default: false },
    },
    USAGE,
  );
  const prof = values.prof ? profileDir('budget') : undefined;
  const self = prof ? profileSelf(prof, 'bench-process') : undefined;
  let stopStarving = () => undefined as void;
  process.once('exit', () => stopStarving());
  const total = Number(values.messages);
  const limit = Number(values.limit);
  // Our budget stays below HDE's limit: the sim counts every request, ours included on other paths.
  const budget = Number(values.budget ?? Math.floor(limit * 0.97));
  const databaseUrl = values['database-url'] ?? 'postgres://postgres@127.0.0.1:5432/hde_consultant_bench';
  const redisUrl = values['redis-url'] ?? 'redis://127.0.0.1:6379';
  await recreateDatabase(databaseUrl);
  const sim = await startHdeSim({ port: 0 });
  const ingressPort = await freePort();
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
  const slugs = ['north', 'south', 'east'];
  const accounts = [];
  for (const slug of slugs) {
    const account = sim.createAccount({ slug, rateLimitPerMinute: limit, adminEmail: `bot@${slug}.example` });
    const setup = await setUpIntegration(account, env, { org: slug, rateLimitPerMinute: budget });
    // The rule body the setup shows (with HDE's post id, so our own posts' echoes stop at the intake).
    sim.setDispatcher(slug, { url: setup.webhookUrl, template: JSON.parse(WEBHOOK_BODY_TEMPLATE) as Record<string, string> });
    const customers = Array.from(
      { length: 20 },
      (_, i) => sim.createCustomer(slug, { name: `Клиент ${i}`, email: `c${i}@${slug}.example` }).id,
    );
    accounts.push({ slug, account, setup, customers });
  }
  // All tickets open at once: the ingress's per-token webhook limit is off, or part of the burst
  // would be refused (HDE does not resend) and this bench measures the HDE budget, not that limit.
  const ingress = startApp(
    'ingress',
    {
      ...env,
      INGRESS_PORT: String(ingressPort),
      INGRESS_HOST: '127.0.0.1',
      RUN_MIGRATIONS: 'false',
      SPOOL_DIR: path.join(REPO_ROOT, 'var', 'bench-spool'),
      WEBHOOK_RATE_LIMIT_PER_SECOND: '0',
    },
    profileArgs(prof),
  );
  await until(async () => (await fetch(`http://127.0.0.1:${ingressPort}/healthz`)).ok, 'the ingress');
  // Starved, a webhook can time out at HDE's dispatcher (HDE does not resend): the sweep, the product's
  // guarantee for such messages, runs as in production, only more often so the bench ends sooner.
  const sweepEnv: Record<string, string> = values.starve
    ? { SWEEP_INTERVAL_MS: '20000', SWEEP_GRACE_MS: '15000' }
    : { SWEEP_INTERVAL_MS: '0' };
  const workerEnv: Record<string, string> = {
    ...env,
    RUN_MIGRATIONS: 'false',
    TURN_DEBOUNCE_MS: '0',
    DELIVER_CONCURRENCY: '32',
    CLASSIFY_CONCURRENCY: '16',
    RETRIEVE_CONCURRENCY: '16',
    DECIDE_CONCURRENCY: '16',
    LOG_LEVEL: 'error',
    ...sweepEnv,
  };
  // A worker that exits (e.g. a start-up check timing out on a starved host) is started again, as a
  // supervisor would.
  let worker = startApp('worker', workerEnv, profileArgs(prof));
  let benchOver = false;
  const supervise = (proc: typeof worker) => {
    proc.child.once('exit', () => {
      if (benchOver) return;
      restarts += 1;
      setTimeout(() => {
        if (benchOver) return;
        worker = startApp('worker', workerEnv, profileArgs(prof));
        supervise(worker);
      }, 1000);
    });
  };
  let restarts = 0;
  supervise(worker);
  await until(() => worker.output().includes('Worker started'), 'the worker', 60_000).catch(() => undefined);

  // Starved from the first message to the last (the apps start first, as a deployment's would).
  if (values.starve) stopStarving = starveCpu();

  // Questions the demo KB answers: each costs one HDE request (the reply), as the budget rule says.
  const questions = [
    'Какие способы оплаты у вас есть?',
    'Сколько стоит доставка по Москве?',
    'Сколько действует гарантия на смартфон?',
    'Как отследить мой заказ?',
    'Как восстановить пароль от личного кабинета?',
  ];
  const tickets: Array<{ slug: string; id: number; bot: number }> = [];
  const started = Date.now();
  for (let i = 0; i < total; i += 1) {
    const a = accounts[i % accounts.length]!;
    const ticket = sim.openTicket(a.slug, {
      customerId: a.customers[i % a.customers.length]!,
      title: `Вопрос ${i}`,
      text: questions[i % questions.length]!,
    });
    tickets.push({ slug: a.slug, id: ticket.id, bot: a.setup.botUserId });
  }
  const answeredCount = () => tickets.filter((t) => sim.posts(t.slug, t.id).some((p) => p.user_id === t.bot)).length;
  // Wait until everything is answered, or nothing has moved for a minute (five when starved).
  let last = -1;
  let lastChange = Date.now();
  await until(
    () => {
      const n = answeredCount();
      if (n !== last) {
        last = n;
        lastChange = Date.now();
      }
      return n === total || Date.now() - lastChange > (values.starve ? 300_000 : 60_000);
    },
    'every message to be answered',
    15 * 60_000,
  ).catch(() => undefined);
  const seconds = (Date.now() - started) / 1000;
  await sim.waitForDispatches();

  let replies = 0;
  let duplicates = 0;
  let missed = 0;
  for (const t of tickets) {
    const n = sim.posts(t.slug, t.id).filter((p) => p.user_id === t.bot).length;
    replies += n;
    if (n === 0) missed += 1;
    if (n > 1) duplicates += n - 1;
  }
  const maxCalls: Record<string, number> = {};
  let calls = 0;
  let boundSeconds = 0;
  for (const a of accounts) {
    const log = sim.apiLog(a.slug).filter((e) => e.at >= started);
    calls += log.length;
    maxCalls[a.slug] = maxInAnyMinute(log.map((e) => e.at).sort((x, y) => x - y));
    // The time HDE's limit alone makes necessary for the requests this account needed.
    boundSeconds = Math.max(boundSeconds, (log.length / limit) * 60);
  }
  benchOver = true;
  await worker.stop();
  await ingress.stop();
  if (missed > 0 || duplicates > 0) {
    const dir = path.join(REPO_ROOT, 'var');
    writeFileSync(path.join(dir, 'bench-ingress.log'), ingress.output());
    writeFileSync(path.join(dir, 'bench-worker.log'), worker.output());
    const failedDispatches = slugs.flatMap((s) =>
      sim
        .dispatchLog(s)
        .filter((d) => d.status !== 200)
        .map((d) => `${s} ${d.ticketId} ${d.status} ${d.error}`),
    );
    writeFileSync(path.join(dir, 'bench-dispatch-failures.log'), failedDispatches.join('\n'));
  }
  stopStarving();
  await self?.stop();
  await sim.close();
  await dropDatabase(databaseUrl);
  await deleteRedisKeys(redisUrl, redisPrefix);
  process.stdout.write(
    `${JSON.stringify({ accounts: slugs.length, budget_per_minute: budget, starved_cores: values.starve ? availableParallelism() : 0, note: 'one new ticket per message, all opened at once' })}\n`,
  );
  process.stdout.write(
    `${JSON.stringify({
      messages: total,
      replies,
      duplicate_replies: duplicates,
      missed,
      worker_restarts: restarts,
      hde_calls_per_message: Math.round((calls / total) * 1000) / 1000,
      max_calls_in_any_60s: maxCalls,
      limit,
      seconds: Math.round(seconds * 10) / 10,
      budget_bound_seconds: Math.round(boundSeconds * 10) / 10,
      ratio: Math.round((seconds / boundSeconds) * 1000) / 1000,
      target_ratio: 1.1,
      profiles: prof ?? null,
    })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:budget failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
