import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { Pool } from 'pg';
import { startHdeSim, type FaultKind, type FaultSpec, type HdeSim } from '@repo/hde-sim';
import { starveCpu } from './starve-cpu';
import { freePort, REPO_ROOT, startApp, until, type AppProcess } from './processes';
import { setUpIntegration } from './setup-integration';
import { dropDatabase, recreateDatabase } from './stack';
import { startTcpProxy, viaProxy } from './tcp-proxy';

/** Faults the chaos loop can inject. */
export type ChaosKind =
  | 'kill_worker'
  | 'restart_redis'
  | 'partition_redis'
  | 'postgres_outage'
  | 'postgres_reset'
  | 'hde_5xx'
  | 'hde_hang'
  | 'hde_reset'
  | 'hde_slow'
  | 'starve_cpu';

/** Every fault kind, in the order the chaos loop cycles through them. */
export const CHAOS_KINDS: readonly ChaosKind[] = [
  'kill_worker',
  'hde_5xx',
  'postgres_reset',
  'restart_redis',
  'hde_hang',
  'partition_redis',
  'kill_worker',
  'postgres_outage',
  'hde_reset',
  'starve_cpu',
  'hde_slow',
];

/** Options of {@link runSoak}. */
export type SoakOptions = {
  messages: number;
  /** New tickets opened per second. */
  ratePerSecond: number;
  /** Share of messages that ask for a human (hand-off). */
  handoffShare: number;
  /** Pause between two faults of the chaos loop, ms. */
  chaosEveryMs: number;
  /** How long an outage (PostgreSQL, CPU starvation) lasts, ms. */
  outageMs: number;
  /**
   * How long the workers and the ingress are cut off from Redis (default: `outageMs`, at most 8 s).
   * Longer than the workers' job lock (10 s here), the jobs they hold are taken over by the stalled
   * check once Redis is back while the cut-off worker may still be working on them.
   */
  partitionMs?: number;
  /** Fault kinds to cycle through (default: all of {@link CHAOS_KINDS}). */
  chaos?: readonly ChaosKind[];
  /** Chaos rounds to run at least before the chaos loop may stop; messages keep coming until then (default 0). */
  minChaosRounds?: number;
  /** Give up waiting for the last messages after this long without progress, ms. */
  settleTimeoutMs: number;
  /** PostgreSQL server to create the soak database on. */
  adminDatabaseUrl: string;
  log?: (line: string) => void;
};

/** The soak's verdict: the final JSON line. */
export type SoakResult = {
  messages: number;
  answered_once: number;
  handoffs_once: number;
  duplicates: number;
  lost: number;
  visibly_failed: number;
  /** Worker exits the chaos loop did not cause (each one's output is kept under `var/`). */
  worker_crashes?: number;
  /** Workers that exited at start because Redis or PostgreSQL was unreachable (by design; restarted). */
  worker_start_failures?: number;
  /** API requests the simulator's injected faults affected, by kind, over every account. */
  hde_fault_hits?: Partial<Record<FaultKind, number>>;
};

const QUESTIONS = [
  'Какие способы оплаты у вас есть?',
  'Сколько стоит доставка по Москве?',
  'Сколько действует гарантия на смартфон?',
  'Как отследить мой заказ?',
  'Как восстановить пароль от личного кабинета?',
];
const HANDOFF = 'позовите живого оператора пожалуйста';

/** A private redis-server the soak can kill and start again on the same data directory. */
async function privateRedis(dir: string) {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always'],
      { stdio: 'ignore' },
    );
    const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    await until(
      async () => {
        try {
          await probe.connect();
          return (await probe.ping()) === 'PONG';
        } catch {
          probe.disconnect();
          return false;
        }
      },
      'redis-server to start',
      20_000,
    );
    probe.disconnect();
  };
  const kill = async () => {
    const c = child;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGKILL');
    });
  };
  await start();
  return { port, url: `redis://127.0.0.1:${port}`, start, kill };
}

type Ticket = { slug: string; id: number; bot: number; agent: number; integrationId: string; wantsHuman: boolean };

/**
 * Plays `messages` customer messages over three simulated HDE accounts through the real ingress and
 * two worker processes while a chaos loop kills workers (`kill -9`), restarts Redis, cuts
 * PostgreSQL and Redis connections, makes HDE hang, fail and reset, and starves the CPU; then waits
 * for the pipeline to settle and checks every acknowledged message: exactly one reply or one
 * hand-off, or visibly failed.
 */
export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const log = options.log ?? (() => undefined);
  const tag = randomBytes(3).toString('hex');
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), `soak-${tag}-`));
  const dbUrl = new URL(options.adminDatabaseUrl);
  dbUrl.pathname = `/soak_${tag}`;
  const databaseUrl = dbUrl.toString();
  await recreateDatabase(databaseUrl);
  const redis = await privateRedis(dataDir);
  const pgProxy = await startTcpProxy({ host: dbUrl.hostname || '127.0.0.1', port: Number(dbUrl.port || 5432) });
  const redisProxy = await startTcpProxy({ host: '127.0.0.1', port: redis.port });
  const sim: HdeSim = await startHdeSim({ port: 0 });
  const ingressPort = await freePort();
  const base: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redis.url,
    REDIS_PREFIX: `soak-${tag}`,
    SECRETS_KEY: randomBytes(32).toString('hex'),
    PUBLIC_WEBHOOK_BASE_URL: `http://127.0.0.1:${ingressPort}`,
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
    HDE_ALLOW_PRIVATE_NETWORK: 'true',
  };
  // The apps reach PostgreSQL and Redis through proxies the chaos loop cuts.
  const appEnv = {
    ...base,
    DATABASE_URL: viaProxy(databaseUrl, pgProxy),
    REDIS_URL: viaProxy(redis.url, redisProxy),
    RUN_MIGRATIONS: 'false',
  };
  const stopStarving: Array<() => void> = [];
  const processes: AppProcess[] = [];
  // Where the output of a process that exited by itself is kept (git-ignored).
  const logDir = path.join(REPO_ROOT, 'var', `soak-${tag}`);
  let crashes = 0;
  let startFailures = 0;
  let stopping = false;
  let supervisor: NodeJS.Timeout | undefined;
  const heldByChaos = new Set<number>();
  const observer = new Pool({ connectionString: databaseUrl, max: 2 });
  try {
    const accounts: Array<{ slug: string; integrationId: string; bot: number; agent: number; customers: number[] }> = [];
    for (const slug of ['north', 'south', 'east']) {
      const account = sim.createAccount({ slug, rateLimitPerMinute: 3000, adminEmail: `bot@${slug}.example` });
      const department = sim.createDepartment(slug, { name: { ru: 'Поддержка', en: 'Support' } });
      const agent = sim.createAgent(slug, {
        name: 'Мария',
        lastname: 'Сидорова',
        email: `maria@${slug}.example`,
        departmentIds: [department.id],
      });
      const setup = await setUpIntegration(account, base, {
        org: slug,
        rateLimitPerMinute: 2400,
        handoffDepartmentId: department.id,
        handoffAgentId: agent.id,
      });
      sim.setDispatcher(slug, { url: setup.webhookUrl });
      const customers = Array.from(
        { length: 30 },
        (_, i) => sim.createCustomer(slug, { name: `Клиент ${i}`, email: `c${i}@${slug}.example` }).id,
      );
      accounts.push({ slug, integrationId: setup.integrationId, bot: setup.botUserId, agent: agent.id, customers });
    }

    const ingress = startApp('ingress', {
      ...appEnv,
      INGRESS_PORT: String(ingressPort),
      INGRESS_HOST: '127.0.0.1',
      SPOOL_DIR: path.join(dataDir, 'spool'),
    });
    processes.push(ingress);
    await until(async () => (await fetch(`http://127.0.0.1:${ingressPort}/healthz`)).ok, 'the ingress', 90_000).catch((error: unknown) => {
      throw new Error(`${error instanceof Error ? error.message : String(error)}; the ingress said: ${ingress.output().slice(-2000)}`);
    });
    const workerEnv = {
      ...appEnv,
      // Info, so "Worker started" shows when a (re)started worker is serving.
      LOG_LEVEL: 'info',
      TURN_DEBOUNCE_MS: '200',
      JOB_LOCK_MS: '10000',
      STALLED_INTERVAL_MS: '5000',
      HDE_TIMEOUT_MS: '5000',
      HDE_CONNECT_TIMEOUT_MS: '2000',
      SWEEP_INTERVAL_MS: '15000',
      SWEEP_GRACE_MS: '10000',
      TURN_LEASE_MS: '60000',
      DELIVER_CONCURRENCY: '16',
      HDE_BAN_PAUSE_MS: '10000',
    };
    const workers: Array<AppProcess | undefined> = [undefined, undefined];
    // Workers the chaos loop kills on purpose; any other exit is a crash, counted and its log kept.
    const killedOnPurpose = new WeakSet<AppProcess>();
    const startWorker = async (i: number) => {
      const w = startApp('worker', workerEnv);
      processes.push(w);
      workers[i] = w;
      w.child.once('exit', (code, signal) => {
        if (killedOnPurpose.has(w) || stopping) return;
        // A worker that cannot reach Redis or PostgreSQL at start says so and exits by design (its
        // supervisor restarts it); an exit after it started is a crash.
        const started = !w.output().includes('Worker failed to start');
        if (started) crashes += 1;
        else startFailures += 1;
        const file = path.join(logDir, `worker-${started ? 'crash' : 'start-failure'}-${crashes + startFailures}.log`);
        void fs
          .mkdir(logDir, { recursive: true })
          .then(() => fs.writeFile(file, w.output()))
          .catch(() => undefined);
        log(`worker ${i} ${started ? 'crashed' : 'could not start'} (code ${code ?? '-'}, signal ${signal ?? '-'}); its output: ${file}`);
      });
      await until(() => w.output().includes('Worker started') || w.child.exitCode !== null, 'a worker to start', 60_000).catch(
        () => undefined,
      );
      if (w.child.exitCode !== null) {
        // Started during an outage and gave up: try again shortly (a supervisor would).
        workers[i] = undefined;
      }
    };
    await Promise.all([startWorker(0), startWorker(1)]);
    // A supervisor, as compose's restart policy is in production: a worker that exited is started again.
    let restarting = false;
    supervisor = setInterval(() => {
      if (restarting || stopping) return;
      restarting = true;
      void (async () => {
        for (const i of [0, 1]) {
          if (heldByChaos.has(i)) continue;
          const w = workers[i];
          if (!w || w.child.exitCode !== null || w.child.signalCode !== null) await startWorker(i);
        }
      })().finally(() => (restarting = false));
    }, 2000);

    // The chaos loop: one fault at a time, each undone before the next.
    let chaosOn = true;
    let round = 0;
    // The kinds of HDE fault the chaos loop has injected (see `playing` below).
    const injectedHdeFaults = new Set<FaultKind>();
    const chaosKinds = options.chaos ?? CHAOS_KINDS;
    const chaos = (async () => {
      while (chaosOn) {
        await sleep(options.chaosEveryMs);
        if (!chaosOn) break;
        const kind = chaosKinds[round % chaosKinds.length]!;
        const slug = accounts[round % accounts.length]!.slug;
        round += 1;
        log(`chaos ${round}: ${kind}`);
        try {
          await injectChaos(kind, slug);
          // Only now did the fault happen (a failed injection says so below instead).
          log(`chaos ${round} done: ${kind}`);
        } catch (error) {
          log(`chaos ${kind} failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    })();
    async function injectChaos(kind: ChaosKind, slug: string) {
      const hde = (spec: FaultSpec) => {
        injectedHdeFaults.add(spec.kind);
        sim.injectFault(slug, spec);
      };
      switch (kind) {
        case 'kill_worker': {
          const i = round % 2;
          heldByChaos.add(i);
          try {
            if (workers[i]) killedOnPurpose.add(workers[i]);
            await workers[i]?.stop('SIGKILL');
            workers[i] = undefined;
            await sleep(1000);
            await startWorker(i);
          } finally {
            heldByChaos.delete(i);
          }
          break;
        }
        case 'restart_redis':
          await redis.kill();
          await sleep(1000);
          await redis.start();
          break;
        case 'partition_redis':
          redisProxy.setRefusing(true);
          await sleep(options.partitionMs ?? Math.min(options.outageMs, 8000));
          redisProxy.setRefusing(false);
          break;
        case 'postgres_outage':
          pgProxy.setRefusing(true);
          await sleep(options.outageMs);
          pgProxy.setRefusing(false);
          break;
        case 'postgres_reset':
          pgProxy.resetAll();
          break;
        case 'hde_5xx':
          hde({ method: 'POST', path: '/tickets/:id/posts/', kind: 'status', status: 502, times: 3, commit: true });
          hde({ method: 'GET', path: '/tickets/:id/posts/', kind: 'status', status: 500, times: 3 });
          break;
        case 'hde_hang':
          hde({ method: 'POST', path: '/tickets/:id/posts/', kind: 'hang', times: 2, commit: true });
          hde({ method: 'PUT', path: '/tickets/:id/', kind: 'hang', times: 1 });
          break;
        case 'hde_reset':
          hde({ method: 'POST', path: '/tickets/:id/posts/', kind: 'reset_after_body', times: 3 });
          break;
        case 'hde_slow':
          hde({ method: '*', path: '/tickets/*', kind: 'latency', ms: 1500, times: 30 });
          break;
        case 'starve_cpu': {
          const stop = starveCpu();
          stopStarving.push(stop);
          await sleep(options.outageMs);
          stop();
          break;
        }
      }
    }

    // Play the messages: one new ticket each, spread over the accounts.
    const tickets: Ticket[] = [];
    const handoffEvery = options.handoffShare > 0 ? Math.max(1, Math.round(1 / options.handoffShare)) : 0;
    const started = Date.now();
    // With minChaosRounds, messages keep coming until every fault was injected and every HDE fault
    // injected so far has affected a request (the last one injected may otherwise find the traffic
    // already drained), at most 4× the messages.
    const unhitHdeFault = () => {
      const hits = faultHits(accounts.map((a) => a.slug));
      return [...injectedHdeFaults].some((kind) => (hits[kind] ?? 0) === 0);
    };
    const playing = (i: number) =>
      i < options.messages ||
      ((round < (options.minChaosRounds ?? 0) || (options.minChaosRounds !== undefined && unhitHdeFault())) && i < options.messages * 4);
    for (let i = 0; playing(i); i += 1) {
      const a = accounts[i % accounts.length]!;
      const wantsHuman = handoffEvery > 0 && i % handoffEvery === handoffEvery - 1;
      const ticket = sim.openTicket(a.slug, {
        customerId: a.customers[i % a.customers.length]!,
        title: `Вопрос ${i}`,
        text: wantsHuman ? HANDOFF : QUESTIONS[i % QUESTIONS.length]!,
      });
      tickets.push({ slug: a.slug, id: ticket.id, bot: a.bot, agent: a.agent, integrationId: a.integrationId, wantsHuman });
      const due = started + ((i + 1) * 1000) / options.ratePerSecond;
      if (due > Date.now()) await sleep(due - Date.now());
      if (i % 1000 === 999) log(`played ${i + 1}`);
    }
    log(`played ${tickets.length} in ${Math.round((Date.now() - started) / 1000)} s`);

    // Chaos goes on while the backlog drains, then stops; the pipeline must then settle by itself.
    let verdict = await judge(tickets);
    let lastProgress = Date.now();
    let lastSettled = verdict.answered_once + verdict.handoffs_once + verdict.visibly_failed;
    for (;;) {
      await sleep(5000);
      if (chaosOn && round >= (options.minChaosRounds ?? 0) && verdict.lost <= tickets.length * 0.05) {
        chaosOn = false;
        await chaos;
        for (const s of accounts) sim.clearFaults(s.slug);
        pgProxy.setRefusing(false);
        redisProxy.setRefusing(false);
        log('chaos stopped');
      }
      verdict = await judge(tickets);
      const settled = verdict.answered_once + verdict.handoffs_once + verdict.visibly_failed;
      if (settled !== lastSettled) {
        lastSettled = settled;
        lastProgress = Date.now();
        log(`settled ${settled}/${tickets.length} (lost so far ${verdict.lost}, duplicates ${verdict.duplicates})`);
      }
      if (!chaosOn && verdict.lost === 0) {
        // Let in-flight echoes and sweeps finish, then judge once more (late duplicates would show).
        await sleep(10_000);
        return finalVerdict(tickets, accounts);
      }
      // The settle timeout runs from when chaos stopped: until then the faults themselves hold things up.
      if (chaosOn) lastProgress = Date.now();
      if (Date.now() - lastProgress > options.settleTimeoutMs) {
        chaosOn = false;
        await chaos;
        return finalVerdict(tickets, accounts);
      }
    }
  } finally {
    stopping = true;
    clearInterval(supervisor);
    for (const stop of stopStarving) stop();
    await Promise.all(processes.map((p) => p.stop('SIGKILL')));
    await observer.end().catch(() => undefined);
    await sim.close();
    await pgProxy.close();
    await redisProxy.close();
    await redis.kill();
    await dropDatabase(databaseUrl).catch(() => undefined);
    await fs.rm(dataDir, { recursive: true, force: true });
  }

  /** Logs, for each ticket with more than one bot post, what the pipeline recorded (ids and states only). */
  async function explainDuplicates(tickets: Ticket[]): Promise<void> {
    for (const t of tickets) {
      const posts = sim.posts(t.slug, t.id).filter((p) => p.user_id === t.bot);
      if (posts.length < 2) continue;
      const events = await observer.query(
        'SELECT id, source, outcome, received_at, processed_at FROM webhook_events WHERE integration_id = $1 AND ticket_id = $2 ORDER BY received_at',
        [t.integrationId, t.id],
      );
      const turns = await observer.query(
        'SELECT x.turn_id, x.message_ids, x.stage, x.action FROM decisions x JOIN dialogs d ON d.id = x.dialog_id WHERE d.integration_id = $1 AND d.ticket_id = $2 ORDER BY x.id',
        [t.integrationId, t.id],
      );
      const ledger = await observer.query(
        'SELECT action_key, state, attempts, hde_ref, error FROM send_ledger WHERE integration_id = $1 AND ticket_id = $2 ORDER BY id',
        [t.integrationId, t.id],
      );
      log(
        `duplicate ${t.slug}#${t.id}: posts ${JSON.stringify(posts.map((p) => ({ id: p.id, at: p.date_created })))} events ${JSON.stringify(events.rows)} turns ${JSON.stringify(turns.rows)} ledger ${JSON.stringify(ledger.rows)}`,
      );
    }
  }

  /** The last judgement, with why any duplicate happened, the workers' exits and the faults' hits. */
  async function finalVerdict(tickets: Ticket[], accounts: ReadonlyArray<{ slug: string }>): Promise<SoakResult> {
    const final = await judge(tickets);
    await explainDuplicates(tickets);
    return {
      ...final,
      worker_crashes: crashes,
      worker_start_failures: startFailures,
      hde_fault_hits: faultHits(accounts.map((a) => a.slug)),
    };
  }

  /** Requests the simulator's injected faults affected, by kind, summed over the accounts. */
  function faultHits(slugs: readonly string[]): Partial<Record<FaultKind, number>> {
    const total: Partial<Record<FaultKind, number>> = {};
    for (const slug of slugs) {
      for (const [kind, n] of Object.entries(sim.faultHits(slug)) as Array<[FaultKind, number]>) total[kind] = (total[kind] ?? 0) + n;
    }
    return total;
  }

  /** Sorts every ticket into exactly one outcome, from what HDE holds and what we recorded. */
  async function judge(tickets: Ticket[]): Promise<SoakResult> {
    const { rows } = await observer.query<{ integration_id: string; ticket_id: number }>(
      `SELECT DISTINCT d.integration_id, d.ticket_id FROM dialogs d WHERE EXISTS (SELECT 1 FROM messages m WHERE m.dialog_id = d.id AND m.author_kind = 'customer' AND m.status = 'failed')
       UNION SELECT DISTINCT integration_id, ticket_id FROM send_ledger WHERE state IN ('failed', 'quarantined')`,
    );
    const failed = new Set(rows.map((r) => `${r.integration_id}:${r.ticket_id}`));
    const result: SoakResult = { messages: tickets.length, answered_once: 0, handoffs_once: 0, duplicates: 0, lost: 0, visibly_failed: 0 };
    for (const t of tickets) {
      const posts = sim.posts(t.slug, t.id).filter((p) => p.user_id === t.bot).length;
      const handedOff = sim.getTicket(t.slug, t.id).owner_id === t.agent;
      if (posts > 1) result.duplicates += 1;
      else if (handedOff) result.handoffs_once += 1;
      else if (posts === 1 && !t.wantsHuman) result.answered_once += 1;
      else if (failed.has(`${t.integrationId}:${t.id}`)) result.visibly_failed += 1;
      else result.lost += 1;
    }
    return result;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
