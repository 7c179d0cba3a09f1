import type { Server } from 'node:http';
import { Queue } from 'bullmq';
import { createBanWatch, createHdeClient } from '@repo/hde-client';
import type { Logger } from '@repo/logger';
import { bullPrefix, createWorkerConnection, QUEUES } from '@repo/queue';
import { createStartupScope, providerSettings, redisTarget, startReadinessMonitor, within, type StartupScope } from '@repo/config';
import { createAdminRepos, createStore, describeDatabaseError, migrate, verifySecretsKey } from '@repo/store';
import type { AdminConfig } from './config';
import { createApp } from './app';
import { createAdminBudgets } from './services/hde-admin-budget';
import { ensureBootstrapAdmin } from './auth/bootstrap';
import { testBoxProviders } from './services/preview.service';

/** A running admin app. */
export type RunningAdmin = { url: string; port: number; close(): Promise<void> };

/** Migrates, opens the store and the queues, creates the first admin if configured, and listens. */
export async function startAdmin(config: AdminConfig, options: { logger: Logger }): Promise<RunningAdmin> {
  const { logger } = options;
  if (config.RUN_MIGRATIONS) await migrate(config.DATABASE_URL);
  const scope = createStartupScope();
  try {
    return await startOpened(config, logger, scope);
  } catch (error) {
    return scope.fail(describeDatabaseError(error, config.DATABASE_URL));
  }
}

async function startOpened(config: AdminConfig, logger: Logger, scope: StartupScope): Promise<RunningAdmin> {
  const store = scope.track(
    createStore({
      url: config.DATABASE_URL,
      secretsKey: config.SECRETS_KEY,
      previousSecretsKey: config.SECRETS_KEY_PREVIOUS,
      poolSize: config.DATABASE_POOL_SIZE,
      preparedStatements: config.DATABASE_PREPARED_STATEMENTS,
      applicationName: 'hde-admin',
    }),
    (s) => s.close(),
  );
  // A wrong key would show integrations whose every send fails; refuse to start instead.
  await verifySecretsKey(store.db, config.SECRETS_KEY, config.SECRETS_KEY_PREVIOUS);
  const admin = createAdminRepos(store.db);
  await ensureBootstrapAdmin(admin, logger, {
    email: config.ADMIN_BOOTSTRAP_EMAIL,
    password: config.ADMIN_BOOTSTRAP_PASSWORD,
    organization: config.ADMIN_BOOTSTRAP_ORGANIZATION,
  });

  const connection = scope.track(createWorkerConnection(redisTarget(config)), (c) => c.disconnect());
  connection.on('error', () => undefined); // reported once per interval by the readiness monitor
  const queues = Object.values(QUEUES).map((spec) => {
    const queue = scope.track(new Queue(spec.name, { connection, prefix: bullPrefix(config.REDIS_PREFIX) }), (q) => q.close());
    queue.on('error', () => undefined);
    return queue;
  });
  const readiness = scope.track(
    startReadinessMonitor({
      checks: [
        {
          name: 'Redis',
          variable: 'REDIS_URL',
          check: () =>
            within(
              connection.ping().then(() => undefined),
              2000,
              'Redis',
            ),
        },
        {
          name: 'PostgreSQL',
          variable: 'DATABASE_URL',
          check: () =>
            within(
              store.db.query('SELECT 1').then(() => undefined),
              2000,
              'PostgreSQL',
            ),
        },
      ],
      intervalMs: 10_000,
      logger,
    }),
    (m) => m.stop(),
  );
  void readiness.checkNow();

  // The test box runs the worker's pipeline with these: set LLM_* and EMBEDDINGS_* as the worker's.
  const turnProviders = testBoxProviders(providerSettings(config), store, logger, config.KB_LEARN_INTERVAL_MS);
  const app = createApp({
    store,
    admin,
    logger,
    queues,
    // The worker records a ban that outlived its pause here; the overview tells admins.
    banWatch: createBanWatch({ redis: connection, prefix: config.REDIS_PREFIX }),
    // Every HDE read of the admin app counts against the account's limit together with the worker's calls.
    hdeBudgets: createAdminBudgets({ redis: connection, prefix: config.REDIS_PREFIX, remainingFloor: config.HDE_REMAINING_FLOOR }),
    readiness: () => readiness.checkNow(),
    turnProviders,
    hdeClient: (o) =>
      createHdeClient({
        ...o,
        getRetries: 1,
        timeoutMs: config.HDE_CALL_TIMEOUT_MS,
        logger,
        allowPrivateNetwork: config.HDE_ALLOW_PRIVATE_NETWORK,
      }),
    settings: {
      sessionSecret: config.ADMIN_SESSION_SECRET,
      sessionTtlSeconds: config.ADMIN_SESSION_TTL_SECONDS,
      cookieSecure: config.ADMIN_COOKIE_SECURE,
      loginMaxAttempts: config.ADMIN_LOGIN_MAX_ATTEMPTS,
      loginWindowSeconds: config.ADMIN_LOGIN_WINDOW_SECONDS,
      publicWebhookBaseUrl: config.PUBLIC_WEBHOOK_BASE_URL,
      tokenGraceSeconds: config.TOKEN_ROTATION_GRACE_SECONDS,
      trustProxy: config.TRUST_PROXY,
      testBoxPerMinute: config.ADMIN_TEST_BOX_PER_MINUTE,
      kbLearnEveryMs: config.KB_LEARN_INTERVAL_MS,
      queueOperators: new Set(
        config.ADMIN_QUEUE_OPERATORS.length > 0
          ? config.ADMIN_QUEUE_OPERATORS
          : config.ADMIN_BOOTSTRAP_EMAIL
            ? [config.ADMIN_BOOTSTRAP_EMAIL.toLowerCase()]
            : [],
      ),
    },
  });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.ADMIN_PORT, config.ADMIN_HOST, () => resolve(s));
    // A client that sends its headers a byte at a time (slowloris) is cut off; a knowledge-base
    // upload over a slow line still has two minutes.
    s.headersTimeout = 20_000;
    s.requestTimeout = 120_000;
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.ADMIN_PORT;
  logger.info('Admin app listening', { port, testBoxProviders: turnProviders.description });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    async close() {
      readiness.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await Promise.all(queues.map((q) => q.close().catch(() => undefined)));
      connection.disconnect();
      await store.close();
    },
  };
}
