import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { bullPrefix, deleteKeysMatching, type RedisTargetLike } from '@repo/queue';
import { Client } from 'pg';
import { startHdeSim, type HdeSim, type AccountInfo, type CreateAccountOptions, type HdeSimOptions } from '@repo/hde-sim';
import { freePort, REPO_ROOT, startApp, until, type AppProcess } from './processes';
import { setUpIntegration, type IntegrationSetup } from './setup-integration';

/** Options of {@link startStack}. */
export type StackOptions = {
  /** A database that will be created (dropped first if it exists) for this stack. */
  databaseUrl: string;
  redisUrl: string;
  /** `redisUrl` names the seed nodes of a Redis Cluster (`REDIS_CLUSTER=true` for every app). */
  redisCluster?: boolean;
  redisPrefix: string;
  /** Extra environment of the worker (e.g. short timeouts in tests). */
  workerEnv?: Record<string, string>;
  ingressEnv?: Record<string, string>;
  ingressPort?: number;
  simPort?: number;
  replyMode?: 'public' | 'note' | 'off';
  kbDir?: string;
  /** Start the worker now (tests may start it later). */
  startWorker?: boolean;
  /** Simulator options (e.g. a short `minuteMs` in tests); the demo uses the defaults. */
  sim?: Omit<HdeSimOptions, 'port'>;
  /** Options of the demo account in the simulator (e.g. a short `banSeconds` in tests). */
  account?: Omit<CreateAccountOptions, 'slug' | 'adminEmail'>;
  /**
   * The origin the apps reach HDE at, when a test puts its own HTTP proxy in front of the simulator
   * (to answer what the simulator cannot, e.g. an error body repeating the request); default the
   * simulator's own.
   */
  hdeOrigin?: string;
  /** Extra environment of the admin app (applied last, so it may replace the generated secrets). */
  adminEnv?: Record<string, string>;
};

/** The people of the demo company in the simulator. */
export type DemoPeople = {
  supportDepartmentId: number;
  agentId: number;
  agentName: string;
  customers: Array<{ id: number; name: string }>;
};

/** The admin app started by {@link Stack.startAdmin}, and how to sign in. */
export type DemoAdmin = { url: string; email: string; password: string; process: AppProcess };

/** A running stack: simulator, ingress and worker processes, set up through the CLI. */
export type Stack = {
  sim: HdeSim;
  account: AccountInfo;
  people: DemoPeople;
  integrationId: string;
  skillId: string;
  botUserId: number;
  webhookUrl: string;
  env: Record<string, string>;
  ingress: AppProcess;
  worker: AppProcess | undefined;
  startWorker(extraEnv?: Record<string, string>): Promise<AppProcess>;
  stopWorker(signal?: NodeJS.Signals): Promise<void>;
  startIngress(): Promise<AppProcess>;
  /** Starts the admin app with a demo account (for `npm run demo -- --keep`). */
  startAdmin(port?: number): Promise<DemoAdmin>;
  stop(options?: { dropDatabase?: boolean }): Promise<void>;
};

/** Runs statements about the database named in `url` from the server's `postgres` database. */
async function onServer(url: string, statements: (name: string) => string[]): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  if (!/^[a-z0-9_]+$/i.test(name)) throw new Error('Database name must be letters, digits and _');
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    for (const sql of statements(name)) await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Drops and creates the database named in `url`. */
export function recreateDatabase(url: string): Promise<void> {
  return onServer(url, (name) => [`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`, `CREATE DATABASE "${name}"`]);
}

/** Drops the database named in `url`. */
export function dropDatabase(url: string): Promise<void> {
  return onServer(url, (name) => [`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`]);
}

/** Deletes every key of a deployment's `REDIS_PREFIX`, so a run leaves nothing in a shared Redis. */
export function deleteRedisKeys(target: RedisTargetLike, prefix: string): Promise<void> {
  return deleteKeysMatching(target, `${bullPrefix(prefix)}:*`);
}

function seedCompany(sim: HdeSim, slug: string): DemoPeople {
  const support = sim.createDepartment(slug, { name: { ru: 'Поддержка', en: 'Support' } });
  sim.createDepartment(slug, { name: { ru: 'Первая линия', en: 'First line' } });
  const agent = sim.createAgent(slug, {
    name: 'Мария',
    lastname: 'Сидорова',
    email: 'maria@eddymarket.example',
    departmentIds: [support.id],
  });
  sim.createAgent(slug, { name: 'Олег', lastname: 'Кузнецов', email: 'oleg@eddymarket.example', departmentIds: [support.id] });
  const names = [
    'Анна Смирнова',
    'Иван Петров',
    'Ольга Козлова',
    'Дмитрий Волков',
    'Елена Морозова',
    'Сергей Орлов',
    'Наталья Белова',
    'Павел Зайцев',
  ];
  const customers = names.map((full, i) => {
    const [name, lastname] = full.split(' ') as [string, string];
    const user = sim.createCustomer(slug, { name, lastname, email: `client${i + 1}@mail.example` });
    return { id: user.id, name: full };
  });
  return { supportDepartmentId: support.id, agentId: agent.id, agentName: 'Мария Сидорова', customers };
}

/** The demo company's consultant, skill and hand-off target, as its admin would set them up. */
function demoSetup(people: DemoPeople) {
  return {
    consultant: 'Эдди',
    skill: 'Поддержка покупателей',
    replyMode: 'public' as const,
    handoffDepartmentId: people.supportDepartmentId,
    handoffAgentId: people.agentId,
  };
}

/** Another HDE account of the simulator, set up as its own organisation and integration. */
export type ExtraAccount = IntegrationSetup & { account: AccountInfo; people: DemoPeople };

/**
 * Adds one more company to a running stack (as bench:budget does): an account in the simulator with
 * the demo's people, set up through the CLI `setup` and `import-kb` against the stack's database, its
 * dispatcher pointed at the stack's ingress. The running worker picks the integration up.
 */
export async function addAccount(
  stack: Stack,
  options: Omit<CreateAccountOptions, 'adminEmail'> & { org?: string },
): Promise<ExtraAccount> {
  const { org, ...accountOptions } = options;
  const account = stack.sim.createAccount({ ...accountOptions, adminEmail: `bot@${options.slug}.example` });
  const people = seedCompany(stack.sim, account.slug);
  const setup = await setUpIntegration(account, stack.env, { ...demoSetup(people), org: org ?? options.slug });
  stack.sim.setDispatcher(account.slug, { url: setup.webhookUrl });
  return { ...setup, account, people };
}

/**
 * Starts the whole product against the simulator, the way a company would set it up: the CLI checks
 * the HDE credentials, creates the integration and prints the webhook; the KB is imported from a
 * folder of Markdown files; the dispatcher rule is pointed at the ingress.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  await recreateDatabase(options.databaseUrl);
  const sim = await startHdeSim({ ...options.sim, port: options.simPort ?? 0 });
  // If setup fails half-way, stop what already runs so the caller (the demo, a test) can exit.
  const started: AppProcess[] = [];
  try {
    return await setUpStack(options, sim, started);
  } catch (error) {
    await Promise.all(started.map((p) => p.stop('SIGKILL')));
    await sim.close();
    throw error;
  }
}

/** The LLM_* and EMBEDDINGS_* variables of an environment (the admin's test box reads them too). */
function providerEnvOf(env: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([key]) => key.startsWith('LLM_') || key.startsWith('EMBEDDINGS_')));
}

async function setUpStack(options: StackOptions, sim: HdeSim, started: AppProcess[]): Promise<Stack> {
  const account = sim.createAccount({ ...options.account, slug: 'eddymarket', adminEmail: 'bot@eddymarket.example' });
  const people = seedCompany(sim, account.slug);
  const ingressPort = options.ingressPort ?? (await freePort());
  const spoolDir = path.join(REPO_ROOT, 'var', `spool-${options.redisPrefix}`);
  const env: Record<string, string> = {
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    REDIS_CLUSTER: String(options.redisCluster ?? false),
    REDIS_PREFIX: options.redisPrefix,
    SECRETS_KEY: randomBytes(32).toString('hex'),
    PUBLIC_WEBHOOK_BASE_URL: `http://127.0.0.1:${ingressPort}`,
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
    // The simulator listens on loopback over plain http.
    HDE_ALLOW_PRIVATE_NETWORK: 'true',
  };
  // The integration's HDE address is what setup is given; the simulator's account is the same either way.
  const hdeAccount = options.hdeOrigin ? { ...account, baseUrl: `${options.hdeOrigin}${new URL(account.baseUrl).pathname}` } : account;
  const setup = await setUpIntegration(hdeAccount, env, {
    ...demoSetup(people),
    org: 'ЭддиМаркет',
    ...(options.replyMode ? { replyMode: options.replyMode } : {}),
    ...(options.kbDir ? { kbDir: options.kbDir } : {}),
  });

  const ingressEnv = {
    ...env,
    INGRESS_PORT: String(ingressPort),
    INGRESS_HOST: '127.0.0.1',
    SPOOL_DIR: spoolDir,
    RUN_MIGRATIONS: 'false',
    ...options.ingressEnv,
  };
  const startIngress = async () => {
    const proc = startApp('ingress', ingressEnv);
    started.push(proc);
    await until(async () => (await fetch(`http://127.0.0.1:${ingressPort}/healthz`)).ok, 'the ingress to listen', 20_000);
    return proc;
  };
  const ingress = await startIngress();
  sim.setDispatcher(account.slug, { url: setup.webhookUrl });

  let admin: AppProcess | undefined;
  const stack: Stack = {
    sim,
    account,
    people,
    env,
    integrationId: setup.integrationId,
    skillId: setup.skillId,
    botUserId: setup.botUserId,
    webhookUrl: setup.webhookUrl,
    ingress,
    worker: undefined,
    async startWorker(extraEnv = {}) {
      const worker = startApp('worker', {
        ...env,
        RUN_MIGRATIONS: 'false',
        TURN_DEBOUNCE_MS: '300',
        SWEEP_INTERVAL_MS: '0',
        ...options.workerEnv,
        ...extraEnv,
      });
      started.push(worker);
      await until(() => worker.output().includes('Worker started'), 'the worker to start', 20_000);
      stack.worker = worker;
      return worker;
    },
    async stopWorker(signal = 'SIGTERM') {
      await stack.worker?.stop(signal);
      stack.worker = undefined;
    },
    startIngress,
    async startAdmin(port) {
      const adminPort = port ?? (await freePort());
      const adminEnv: Record<string, string> = {
        ...env,
        RUN_MIGRATIONS: 'false',
        ADMIN_PORT: String(adminPort),
        ADMIN_HOST: '127.0.0.1',
        ADMIN_SESSION_SECRET: randomBytes(32).toString('hex'),
        ADMIN_BOOTSTRAP_EMAIL: 'lead@eddymarket.example',
        ADMIN_BOOTSTRAP_PASSWORD: randomBytes(9).toString('base64url'),
        // The test box runs with the worker's providers, as a deployment's shared .env gives them.
        ...providerEnvOf(options.workerEnv),
        ...options.adminEnv,
      };
      const email = adminEnv.ADMIN_BOOTSTRAP_EMAIL!;
      const password = adminEnv.ADMIN_BOOTSTRAP_PASSWORD!;
      const proc = startApp('admin', adminEnv);
      started.push(proc);
      await until(async () => (await fetch(`http://127.0.0.1:${adminPort}/healthz`)).ok, 'the admin app to listen', 20_000);
      admin = proc;
      return { url: `http://127.0.0.1:${adminPort}`, email, password, process: proc };
    },
    async stop(stopOptions = {}) {
      await admin?.stop();
      await stack.worker?.stop();
      await stack.ingress.stop();
      await sim.close();
      if (stopOptions.dropDatabase) {
        await dropDatabase(options.databaseUrl);
        await deleteRedisKeys({ url: options.redisUrl, cluster: options.redisCluster ?? false }, options.redisPrefix);
        await rm(spoolDir, { recursive: true, force: true });
      }
    },
  };
  if (options.startWorker !== false) await stack.startWorker();
  return stack;
}
