import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createLogger, type Logger } from '@repo/logger';
import { createProducer, createProducerConnection } from '@repo/queue';
import { createStore, migrate } from '@repo/store';
import { createApp } from './app';
import type { IngressConfig } from './config';
import { createIngressMetrics } from './metrics';
import { openSpool } from './spool';
import { createEventAcceptor, withTimeout } from './webhook/accept-event';
import { createTokenResolver } from './webhook/token-cache';

/** A running ingress. */
export type RunningIngress = { url: string; server: Server; close(): Promise<void>; replaySpool(): Promise<unknown> };

/** Composition root of the ingress: connections, app, spool replay, HTTP server. */
export async function startIngress(config: IngressConfig, options: { logger?: Logger } = {}): Promise<RunningIngress> {
  const logger = options.logger ?? createLogger({ service: 'ingress', level: config.LOG_LEVEL, format: config.LOG_FORMAT });
  if (config.RUN_MIGRATIONS) await migrate(config.DATABASE_URL);
  const store = createStore({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE, applicationName: 'ingress' });
  const redis = createProducerConnection(config.REDIS_URL);
  redis.on('error', () => undefined); // reconnects on its own; failures surface on add and in /readyz
  const classify = createProducer('classify', { connection: redis, prefix: config.REDIS_PREFIX });
  const metrics = createIngressMetrics();
  const spool = await openSpool(config.SPOOL_DIR, logger);
  const accept = createEventAcceptor({ events: store.events, classify, timeoutMs: config.ACCEPT_TIMEOUT_MS });
  const tokens = createTokenResolver(store.integrations, config.TOKEN_CACHE_TTL_MS);

  const checkReady = async () => {
    await withTimeout(redis.ping(), 1000, 'Redis');
    await withTimeout(store.db.query('SELECT 1'), 1000, 'PostgreSQL');
  };

  const app = createApp({
    tokens, accept, spool, metrics, logger, checkReady,
    bodyLimitBytes: config.WEBHOOK_BODY_LIMIT_BYTES,
    trustProxy: config.TRUST_PROXY,
  });

  let replaying: Promise<unknown> | undefined;
  const replaySpool = () => {
    replaying ??= spool
      .replay((record) => accept(record, 'spool').then(() => undefined))
      .finally(() => {
        replaying = undefined;
        metrics.spoolDepth.set(spool.depth());
      });
    return replaying;
  };
  // Replay what an earlier process left behind, then keep replaying while Redis is reachable.
  const replayTimer = setInterval(() => {
    if (redis.status === 'ready') void replaySpool().catch((error: unknown) => logger.error('Spool replay failed', { error }));
  }, Math.max(config.SPOOL_REPLAY_INTERVAL_MS, 50));
  replayTimer.unref();

  const server = app.listen(config.INGRESS_PORT, config.INGRESS_HOST);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  // Short header/request timeouts protect the webhook listener from slow clients.
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;
  const address = server.address() as AddressInfo;
  const host = config.INGRESS_HOST === '0.0.0.0' ? '127.0.0.1' : config.INGRESS_HOST;
  const url = `http://${host}:${address.port}`;
  logger.info('Ingress listening', { url });

  return {
    url,
    server,
    replaySpool,
    async close() {
      clearInterval(replayTimer);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (redis.status === 'ready') await replaySpool().catch(() => undefined);
      await spool.close();
      await classify.close().catch(() => undefined);
      redis.disconnect();
      await store.close();
    },
  };
}
