import type { Server } from 'node:http';
import { Queue } from 'bullmq';
import { createHdeClient } from '@repo/hde-client';
import type { Logger } from '@repo/logger';
import { bullPrefix, createWorkerConnection, QUEUES } from '@repo/queue';
import { createAdminRepos, createStore, migrate } from '@repo/store';
import type { AdminConfig } from './config';
import { createApp } from './app';
import { ensureBootstrapAdmin } from './auth/bootstrap';

/** A running admin app. */
export type RunningAdmin = { url: string; port: number; close(): Promise<void> };

/** Migrates, opens the store and the queues, creates the first admin if configured, and listens. */
export async function startAdmin(config: AdminConfig, options: { logger: Logger }): Promise<RunningAdmin> {
  const { logger } = options;
  if (config.RUN_MIGRATIONS) await migrate(config.DATABASE_URL);
  const store = createStore({ url: config.DATABASE_URL, secretsKey: config.SECRETS_KEY, poolSize: config.DATABASE_POOL_SIZE, applicationName: 'hde-admin' });
  const admin = createAdminRepos(store.db);
  await ensureBootstrapAdmin(admin, logger, { email: config.ADMIN_BOOTSTRAP_EMAIL, password: config.ADMIN_BOOTSTRAP_PASSWORD, organization: config.ADMIN_BOOTSTRAP_ORGANIZATION });

  const connection = createWorkerConnection(config.REDIS_URL);
  connection.on('error', () => undefined);
  const queues = Object.values(QUEUES).map((spec) => {
    const queue = new Queue(spec.name, { connection, prefix: bullPrefix(config.REDIS_PREFIX) });
    queue.on('error', () => undefined);
    return queue;
  });

  const app = createApp({
    store,
    admin,
    logger,
    queues,
    hdeClient: (o) => createHdeClient({ ...o, getRetries: 1, timeoutMs: config.HDE_CALL_TIMEOUT_MS, logger, allowPrivateNetwork: config.HDE_ALLOW_PRIVATE_NETWORK }),
    settings: {
      sessionSecret: config.ADMIN_SESSION_SECRET,
      sessionTtlSeconds: config.ADMIN_SESSION_TTL_SECONDS,
      cookieSecure: config.ADMIN_COOKIE_SECURE,
      loginMaxAttempts: config.ADMIN_LOGIN_MAX_ATTEMPTS,
      loginWindowSeconds: config.ADMIN_LOGIN_WINDOW_SECONDS,
      publicWebhookBaseUrl: config.PUBLIC_WEBHOOK_BASE_URL,
      tokenGraceSeconds: config.TOKEN_ROTATION_GRACE_SECONDS,
      trustProxy: config.TRUST_PROXY,
    },
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(config.ADMIN_PORT, config.ADMIN_HOST, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.ADMIN_PORT;
  logger.info('Admin app listening', { port });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await Promise.all(queues.map((q) => q.close().catch(() => undefined)));
      connection.disconnect();
      await store.close();
    },
  };
}
