import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { parseHdeDate } from '@repo/hde-client';
import { createLogger, type Logger } from '@repo/logger';
import { createProducer, createProducerConnection } from '@repo/queue';
import { createStartupScope, redisTarget, startReadinessMonitor, type StartupScope } from '@repo/config';
import {
  createConfigCache,
  createEchoRecognizer,
  createIntake,
  createStore,
  describeDatabaseError,
  migrate,
  type IntakeRecord,
} from '@repo/store';
import type { IngressConfig } from './config';
import { createIngressMetrics } from './metrics';
import { openSpool, type ReplayFailure, type Spool, type SpoolRecord } from './spool';
import { checkSpoolWritable } from './spool-writable';
import { createWebhookCore, recordOfWebhook } from './webhook/webhook.route';
import { createTokenResolver } from './webhook/token-cache';
import { createTokenRateLimit } from './webhook/token-rate-limit';
import { createIngressListener, createOpsListener } from './http/ingress-listener';
import { createOpsRoutes } from './http/ops-routes';
import { withTimeout } from './webhook/with-timeout';

/** A running ingress. */
export type RunningIngress = { url: string; opsUrl: string; server: Server; close(): Promise<void>; replaySpool(): Promise<unknown> };

/**
 * Whether a failure to store a spooled record will repeat as is: PostgreSQL's data exceptions
 * (class 22) and integrity violations (class 23), or a record the job schema refuses. Timeouts and
 * connection errors are transient.
 */
export function classifyReplayFailure(error: unknown): ReplayFailure {
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string' && /^2[23][0-9A-Z]{3}$/.test(code)) return { code: `pg_${code}`, deterministic: true };
  if ((error as { name?: string })?.name === 'ZodError') return { code: 'invalid_job', deterministic: true };
  return { code: typeof code === 'string' ? code.slice(0, 40) : ((error as { name?: string })?.name ?? 'error'), deterministic: false };
}

/** Composition root of the ingress: connections, app, spool replay, HTTP server. */
export async function startIngress(config: IngressConfig, options: { logger?: Logger } = {}): Promise<RunningIngress> {
  const logger = options.logger ?? createLogger({ service: 'ingress', level: config.LOG_LEVEL, format: config.LOG_FORMAT });
  if (config.RUN_MIGRATIONS) await migrate(config.DATABASE_URL);
  const scope = createStartupScope();
  try {
    return await startOpened(config, logger, scope);
  } catch (error) {
    return scope.fail(describeDatabaseError(error, config.DATABASE_URL));
  }
}

async function startOpened(config: IngressConfig, logger: Logger, scope: StartupScope): Promise<RunningIngress> {
  const store = scope.track(
    createStore({
      url: config.DATABASE_URL,
      poolSize: config.DATABASE_POOL_SIZE,
      preparedStatements: config.DATABASE_PREPARED_STATEMENTS,
      applicationName: 'ingress',
    }),
    (s) => s.close(),
  );
  // The bot user id of each integration, kept in memory to recognise our own posts' webhooks.
  // Verified webhook tokens are kept in memory (below); a token revoked, re-dated or deleted is
  // announced on the config channel, and every copy is dropped at once.
  const tokens = createTokenResolver(store.integrations, config.TOKEN_CACHE_TTL_MS, config.TOKEN_LOOKUP_TIMEOUT_MS);
  // Said once per loss, not at every failed attempt to listen again.
  let channelLost = false;
  const configCache = scope.track(
    createConfigCache(store, {
      onChange: (key) => {
        if (key === '*') channelLost = false;
        if (key === '*' || key.startsWith('webhook_tokens:')) tokens.clear();
      },
      onError: (error) => {
        if (!channelLost) logger.warn('Config change channel lost: token revocations seen within TOKEN_CACHE_TTL_MS', { error });
        channelLost = true;
      },
    }),
    (c) => c.close(),
  );
  void configCache.start();
  const redis = scope.track(createProducerConnection(redisTarget(config)), (r) => r.disconnect());
  redis.on('error', () => undefined); // reconnects on its own; reported once per interval by the readiness monitor
  const classify = scope.track(createProducer('classify', { connection: redis, prefix: config.REDIS_PREFIX }), (c) => c.close());
  const metrics = createIngressMetrics();
  // The spool keeps webhooks while Redis or PostgreSQL is down, so an unwritable folder is found now,
  // not during an outage: the ingress still accepts webhooks but is not ready, and says why.
  const spoolWritable = await checkSpoolWritable(config.SPOOL_DIR).then(
    () => true,
    (error: unknown) => {
      logger.error('Spool folder not writable; not ready', {
        variable: 'SPOOL_DIR',
        reason: error instanceof Error ? error.message : String(error),
      });
      return false;
    },
  );
  const spool = spoolWritable
    ? await openSpool(config.SPOOL_DIR, logger, {
        classifyFailure: classifyReplayFailure,
        async onQuarantine(record, code) {
          if (record.kind !== 'event') return;
          await store.events.quarantine({
            eventId: record.id,
            integrationId: record.integrationId,
            ticketId: record.ticketId,
            errorCode: code,
            bytes: record.rawBodyBase64 ? Math.floor((record.rawBodyBase64.length * 3) / 4) : 0,
            receivedAt: new Date(record.receivedAt),
          });
        },
      })
    : unwritableSpool();
  scope.track(spool, (sp) => sp.close());
  const intake = createIntake({
    events: store.events,
    enqueue: (jobs) => classify.addBulk(jobs.map((j) => ({ data: j, jobId: j.eventId }))),
    maxBatch: config.INTAKE_MAX_BATCH,
    // Every webhook's wait for PostgreSQL and Redis (a free batch slot included) is bounded: a batch
    // stuck on an unreachable Redis must not hold its callers, they spool and move on.
    batchTimeoutMs: config.ACCEPT_TIMEOUT_MS,
    // classify retries a job whose row is not visible yet, so the two writes may overlap.
    concurrentEnqueue: true,
    // Batches in flight: each holds one pooled connection; the rest serve token lookups and readiness.
    maxInFlight: Math.max(1, Math.min(config.INTAKE_MAX_IN_FLIGHT, config.DATABASE_POOL_SIZE - 2)),
    minParallelBatch: config.INTAKE_MIN_PARALLEL_BATCH,
    recogniseEchoes: createEchoRecognizer({ db: store.db, integration: (id) => configCache.integration(id) }),
  });
  const parseDate = (text: string) => parseHdeDate(text, config.HDE_TZ_OFFSET_MINUTES);
  const rateLimit =
    config.WEBHOOK_RATE_LIMIT_PER_SECOND > 0
      ? createTokenRateLimit({ points: config.WEBHOOK_RATE_LIMIT_PER_SECOND * 60, windowMs: 60_000 })
      : undefined;

  const readiness = scope.track(
    startReadinessMonitor({
      checks: [
        { name: 'Redis', variable: 'REDIS_URL', check: () => withTimeout(redis.ping(), 1000, 'Redis').then(() => undefined) },
        {
          name: 'PostgreSQL',
          variable: 'DATABASE_URL',
          check: () => withTimeout(store.db.query('SELECT 1'), 1000, 'PostgreSQL').then(() => undefined),
        },
        { name: 'spool folder', variable: 'SPOOL_DIR', check: () => checkSpoolWritable(config.SPOOL_DIR) },
      ],
      intervalMs: 10_000,
      logger,
    }),
    (m) => m.stop(),
  );
  const unverifiedBudget =
    config.SPOOL_UNVERIFIED_MAX_BYTES_PER_MINUTE > 0
      ? createTokenRateLimit({ points: config.SPOOL_UNVERIFIED_MAX_BYTES_PER_MINUTE, windowMs: 60_000 })
      : undefined;
  const routeDeps = { tokens, intake, spool, metrics, logger, parseDate, rateLimit, unverifiedBudget };
  const ops = createOpsRoutes({ checkReady: () => readiness.checkNow(), metrics, logger, opsToken: config.METRICS_TOKEN });
  const listener = createIngressListener({
    webhook: createWebhookCore(routeDeps),
    bodyLimitBytes: config.WEBHOOK_BODY_LIMIT_BYTES,
    metrics,
    logger,
    ops: config.METRICS_PORT === undefined ? ops : undefined,
  });

  /** Stores one spooled record through the same intake as a webhook. */
  const deliver = async (record: SpoolRecord): Promise<void> => {
    let toStore: IntakeRecord;
    if (record.kind === 'unverified') {
      const found = await store.integrations.findByTokenHash(Buffer.from(record.tokenHash, 'hex'));
      if (!found) {
        metrics.webhooks.inc({ outcome: 'unknown_token' });
        logger.warn('Spooled webhook dropped: its token is unknown or revoked');
        return;
      }
      toStore = recordOfWebhook(
        found.integrationId,
        Buffer.from(record.rawBodyBase64, 'base64'),
        record.contentType,
        new Date(record.receivedAt),
        parseDate,
        'spool',
      );
    } else {
      toStore = {
        id: record.id,
        integrationId: record.integrationId,
        ticketId: record.ticketId,
        source: 'spool',
        parseStatus: record.parseStatus,
        payload: record.payload,
        rawBody: record.rawBodyBase64 ? Buffer.from(record.rawBodyBase64, 'base64') : null,
        contentType: record.contentType,
        receivedAt: new Date(record.receivedAt),
        enqueue: record.enqueue,
      };
    }
    await withTimeout(intake.submit(toStore), Math.max(config.ACCEPT_TIMEOUT_MS, 5000), 'Storing a spooled event');
  };

  let replaying: Promise<unknown> | undefined;
  const replaySpool = () => {
    replaying ??= spool.replay(deliver).finally(() => {
      replaying = undefined;
      metrics.spoolDepth.set(spool.depth());
    });
    return replaying;
  };
  // Replay what an earlier process left behind, then keep replaying while Redis is reachable.
  const replayTimer = setInterval(
    () => {
      if (redis.status === 'ready') void replaySpool().catch((error: unknown) => logger.error('Spool replay failed', { error }));
    },
    Math.max(config.SPOOL_REPLAY_INTERVAL_MS, 50),
  );
  replayTimer.unref();
  scope.track(replayTimer, (t) => clearInterval(t));

  const listen = async (server: Server, port: number): Promise<string> => {
    server.listen(port, config.INGRESS_HOST);
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    const address = server.address() as AddressInfo;
    const host = config.INGRESS_HOST === '0.0.0.0' ? '127.0.0.1' : config.INGRESS_HOST;
    return `http://${host}:${address.port}`;
  };
  const server = scope.track(createServer(listener), (sv) => sv.close());
  const url = await listen(server, config.INGRESS_PORT);
  // Short header/request timeouts protect the webhook listener from slow clients.
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;
  server.keepAliveTimeout = 65_000;
  let opsServer: Server | undefined;
  let opsUrl = url;
  if (config.METRICS_PORT !== undefined) {
    opsServer = scope.track(createServer(createOpsListener(ops)), (sv) => sv.close());
    opsUrl = await listen(opsServer, config.METRICS_PORT);
  }
  logger.info('Ingress listening', { url, opsUrl });

  return {
    url,
    opsUrl,
    server,
    replaySpool,
    async close() {
      readiness.stop();
      clearInterval(replayTimer);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (opsServer) await new Promise<void>((resolve) => opsServer!.close(() => resolve()));
      if (redis.status === 'ready') await replaySpool().catch(() => undefined);
      await spool.close();
      await classify.close().catch(() => undefined);
      redis.disconnect();
      await configCache.close();
      await store.close();
    },
  };
}

/**
 * Stands in for the spool when its folder cannot be written: webhooks are still accepted while Redis
 * and PostgreSQL are up; during an outage they get 503, so HDE retries them, instead of a silent loss.
 */
function unwritableSpool(): Spool {
  return {
    append: () => Promise.reject(new Error('SPOOL_DIR is not writable')),
    replay: () => Promise.resolve({ replayed: 0, failed: 0, quarantined: 0 }),
    depth: () => 0,
    close: () => Promise.resolve(),
  };
}
