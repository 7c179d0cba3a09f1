import type { Worker } from 'bullmq';
import { classifyOffThread, createTurnProviders } from '@repo/ai';
import { createLogger, type Logger } from '@repo/logger';
import { createProducers, createWorker, createWorkerConnection, QUEUES, type QueueKey } from '@repo/queue';
import { createStartupScope, providerSettings, redisTarget, startReadinessMonitor, within, type StartupScope } from '@repo/config';
import {
  createConfigCache,
  createIntake,
  createStore,
  describeDatabaseError,
  migrate,
  verifySecretsKey,
  withConfigCache,
  type RetentionPolicy,
} from '@repo/store';
import type { WorkerConfig } from './config';
import { createAccountBudgets } from './hde/account-budget';
import { createBanWatch } from '@repo/hde-client';
import { createHdeClients } from './hde/hde-clients';
import { createPostAuthors } from './hde/post-author';
import { createClassifyEventHandler } from './processors/classify-event.processor';
import { createDecideTurnHandler } from './processors/decide-turn.processor';
import { createDeliverTurnHandler } from './processors/deliver-turn.processor';
import { createRetrieveKbHandler } from './processors/retrieve-kb.processor';
import { createSweepIntegrationHandler } from './processors/sweep-integration.processor';
import { createSyncKbHandler } from './processors/sync-kb.processor';
import { createScheduleTickHandler } from './processors/schedule-tick.processor';
import { createRetentionHandler } from './processors/retention.processor';
import { startMetricsServer } from './metrics-server';
import { createTurnControl } from './turns/turn-control';
import { createEventFailureHandler } from './turns/event-failure';
import { createTurnFailureHandler } from './turns/turn-failure';
import { startEmbeddingBackfill } from './kb/embeddings';
import { createWorkerKbSearch } from './kb/kb-search';

/** The retention policy the configuration sets. */
function retentionPolicy(config: WorkerConfig): RetentionPolicy {
  return {
    rawBodyDays: config.RETENTION_RAW_BODY_DAYS,
    messageDays: config.RETENTION_MESSAGE_DAYS,
    expiredSessionDays: config.RETENTION_SESSION_DAYS,
  };
}

/** A running worker process. */
export type RunningWorker = { workers: Worker[]; close(): Promise<void>; hdeStats(): Record<string, number> };

/** Composition root of the worker: connections, stores, HDE clients, and one BullMQ worker per stage. */
export async function startWorker(config: WorkerConfig, options: { logger?: Logger } = {}): Promise<RunningWorker> {
  const logger = options.logger ?? createLogger({ service: 'worker', level: config.LOG_LEVEL, format: config.LOG_FORMAT });
  if (config.RUN_MIGRATIONS) await migrate(config.DATABASE_URL);
  const scope = createStartupScope();
  try {
    return await startOpened(config, logger, scope);
  } catch (error) {
    return scope.fail(describeDatabaseError(error, config.DATABASE_URL));
  }
}

async function startOpened(config: WorkerConfig, logger: Logger, scope: StartupScope): Promise<RunningWorker> {
  const opened = createStore({
    url: config.DATABASE_URL,
    secretsKey: config.SECRETS_KEY,
    previousSecretsKey: config.SECRETS_KEY_PREVIOUS,
    poolSize: config.DATABASE_POOL_SIZE,
    preparedStatements: config.DATABASE_PREPARED_STATEMENTS,
    applicationName: 'worker',
    countQueries: config.DATABASE_COUNT_QUERIES,
  });
  scope.track(opened, (s) => s.close());
  // Integrations and skills are read on every message: kept in memory, dropped when PostgreSQL
  // announces a change (read through while that channel is down).
  const configCache = scope.track(
    createConfigCache(opened, {
      onError: (error) => logger.warn('Config change channel lost: reading integrations from PostgreSQL', { error }),
    }),
    (c) => c.close(),
  );
  await configCache.start();
  const store = withConfigCache(opened, configCache);
  // A wrong key would fail every send with a crypto error; refuse to start instead.
  await verifySecretsKey(store.db, config.SECRETS_KEY, config.SECRETS_KEY_PREVIOUS);
  const redis = scope.track(createWorkerConnection(redisTarget(config)), (r) => r.disconnect());
  redis.on('error', () => undefined); // reported once per interval by the readiness monitor below
  const readiness = scope.track(
    startReadinessMonitor({
      checks: [
        {
          name: 'Redis',
          variable: 'REDIS_URL',
          check: () =>
            within(
              redis.ping().then(() => undefined),
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
      intervalMs: config.READINESS_INTERVAL_MS,
      logger,
    }),
    (m) => m.stop(),
  );
  // Jobs cannot run without Redis: a worker that cannot reach it says so and exits (its supervisor
  // restarts it) instead of reporting "started" and failing every poll.
  const first = await readiness.checkNow();
  if (!first.ready) throw new Error(`Worker cannot start: ${first.problems.join('; ')}`);
  const producers = scope.track(createProducers({ connection: redis, prefix: config.REDIS_PREFIX }), (p) =>
    Promise.all(Object.values(p).map((q) => q.close())),
  );
  const budgets = createAccountBudgets({
    redis,
    prefix: config.REDIS_PREFIX,
    remainingFloor: config.HDE_REMAINING_FLOOR,
    banPauseMs: config.HDE_BAN_PAUSE_MS,
  });
  const hde = createHdeClients({
    integrations: store.integrations,
    budgets,
    logger,
    banWatch: createBanWatch({ redis, prefix: config.REDIS_PREFIX }),
    connectTimeoutMs: config.HDE_CONNECT_TIMEOUT_MS,
    timeoutMs: config.HDE_TIMEOUT_MS,
    allowPrivateNetwork: config.HDE_ALLOW_PRIVATE_NETWORK,
  });
  const turns = createTurnControl({
    dialogs: store.dialogs,
    retrieve: producers.retrieve,
    debounceMs: config.TURN_DEBOUNCE_MS,
    leaseMs: config.TURN_LEASE_MS,
  });
  // The in-process knowledge-base index per skill (rebuilt when the store's version changes), and
  // the optional providers (embeddings, LLM) built in the one place the admin test box uses too.
  const kbSearch = createWorkerKbSearch(store.kb, { learnEveryMs: config.KB_LEARN_INTERVAL_MS });
  const {
    hybrid: retriever,
    embedder,
    composer,
    description: providers,
  } = createTurnProviders(providerSettings(config), {
    lexical: kbSearch,
    vectors: store.kbEmbeddings,
    logger,
  });

  // A turn whose job failed for good must still release its ticket, or the ticket would go silent.
  const onTurnFailure = createTurnFailureHandler({ decisions: store.decisions, ledger: store.ledger, turns });

  // An event whose classify failed for good is counted, and quarantined when it keeps failing the same way.
  const onEventFailure = createEventFailureHandler({
    redrive: store.redrive,
    dialogs: store.dialogs,
    quarantineAfter: config.EVENT_QUARANTINE_AFTER,
    logger,
  });

  // One cache of HDE user groups for classify and the sweep: a user's group is read once per integration.
  const authors = createPostAuthors({ ledger: store.ledger });

  const common = {
    connection: redis,
    prefix: config.REDIS_PREFIX,
    logger,
    lockDurationMs: config.JOB_LOCK_MS,
    stalledIntervalMs: config.STALLED_INTERVAL_MS,
  };
  const builders: Record<QueueKey, () => Worker> = {
    classify: () =>
      createWorker('classify', createClassifyEventHandler({ ...store, hde, turns, authors }), {
        ...common,
        concurrency: config.CLASSIFY_CONCURRENCY,
        onFinalFailure: onEventFailure,
      }),
    retrieve: () =>
      createWorker(
        'retrieve',
        createRetrieveKbHandler({ ...store, kb: kbSearch, retriever, classify: classifyOffThread, decide: producers.decide, turns }),
        { ...common, concurrency: config.RETRIEVE_CONCURRENCY, onFinalFailure: onTurnFailure },
      ),
    decide: () =>
      createWorker('decide', createDecideTurnHandler({ ...store, composer, deliver: producers.deliver, turns }), {
        ...common,
        concurrency: config.DECIDE_CONCURRENCY,
        onFinalFailure: onTurnFailure,
      }),
    deliver: () =>
      createWorker('deliver', createDeliverTurnHandler({ ...store, hde, turns, callTimeoutMs: config.HDE_TIMEOUT_MS }), {
        ...common,
        concurrency: config.DELIVER_CONCURRENCY,
        onFinalFailure: onTurnFailure,
      }),
    sweep: () =>
      createWorker(
        'sweep',
        createSweepIntegrationHandler({
          ...store,
          hde,
          authors,
          classify: producers.classify,
          lookbackMinutes: config.SWEEP_LOOKBACK_MINUTES,
          budgetShare: config.SWEEP_BUDGET_SHARE,
          intake: createIntake({
            events: store.events,
            enqueue: (jobs) => producers.classify.addBulk(jobs.map((j) => ({ data: j, jobId: j.eventId }))),
          }),
          graceMs: config.SWEEP_GRACE_MS,
          turns,
          leaseMs: config.TURN_LEASE_MS,
        }),
        { ...common, concurrency: config.SWEEP_CONCURRENCY },
      ),
    sync: () =>
      createWorker('sync', createSyncKbHandler({ ...store, hde, maxPages: config.KB_SYNC_MAX_PAGES }), { ...common, concurrency: 1 }),
    retention: () =>
      createWorker('retention', createRetentionHandler({ ...store, policy: retentionPolicy(config) }), { ...common, concurrency: 1 }),
    schedule: () =>
      createWorker(
        'schedule',
        createScheduleTickHandler({
          integrations: store.integrations,
          sweep: producers.sweep,
          sync: producers.sync,
          intervalMs: { sweep: config.SWEEP_INTERVAL_MS, sync: config.KB_SYNC_INTERVAL_MS },
        }),
        { ...common, concurrency: 1 },
      ),
  };
  // Each stage's statements are counted under its name (only with DATABASE_COUNT_QUERIES).
  const workers = config.WORKER_STAGES.map((stage) => store.db.labelled(stage, () => builders[stage]()));
  for (const worker of workers) scope.track(worker, (w) => w.close());
  // One BullMQ job scheduler for the whole deployment: upserting it from every process is harmless.
  if (config.WORKER_STAGES.includes('retention') && config.RETENTION_INTERVAL_MS > 0) {
    await producers.retention.queue.upsertJobScheduler(
      'retention',
      { every: config.RETENTION_INTERVAL_MS },
      { name: QUEUES.retention.job, data: {} },
    );
  }
  // Recurring sweep and KB sync: one BullMQ job scheduler each for the whole deployment (upserting it
  // from every process is harmless), fanned out per integration by the schedule stage; 0 removes it.
  const recurring = [
    { id: 'sweep', kind: 'sweep', every: config.SWEEP_INTERVAL_MS },
    { id: 'kb-sync', kind: 'sync', every: config.KB_SYNC_INTERVAL_MS },
  ] as const;
  for (const r of recurring) {
    if (r.every > 0)
      await producers.schedule.queue.upsertJobScheduler(r.id, { every: r.every }, { name: QUEUES.schedule.job, data: { kind: r.kind } });
    else await producers.schedule.queue.removeJobScheduler(r.id);
  }
  // Passages are embedded by the processes that search with them; an advisory lock keeps two such
  // processes from embedding the same passages.
  const backfill =
    embedder && config.WORKER_STAGES.includes('retrieve') && config.EMBEDDINGS_BACKFILL_INTERVAL_MS > 0
      ? startEmbeddingBackfill({
          kbEmbeddings: store.kbEmbeddings,
          embedder,
          batchSize: config.EMBEDDINGS_BATCH_SIZE,
          intervalMs: config.EMBEDDINGS_BACKFILL_INTERVAL_MS,
          logger,
        })
      : undefined;
  const metrics =
    config.WORKER_METRICS_PORT > 0
      ? await startMetricsServer({
          port: config.WORKER_METRICS_PORT,
          queues: Object.values(producers).map((p) => p.queue),
          readiness: () => readiness.current(),
          queryStats: config.DATABASE_COUNT_QUERIES ? () => store.db.queryStats() : undefined,
          failures: async () => ({
            failedMessages: await store.dialogs.countFailedMessages(),
            quarantinedEvents: await store.redrive.countQuarantined(),
          }),
        })
      : undefined;
  logger.info('Worker started', { stages: config.WORKER_STAGES, providers });

  return {
    workers,
    hdeStats: () => hde.stats(),
    async close() {
      readiness.stop();
      await backfill?.stop();
      await metrics?.close();
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all(Object.values(producers).map((p) => p.close()));
      hde.close();
      redis.disconnect();
      await configCache.close();
      await store.close();
    },
  };
}
