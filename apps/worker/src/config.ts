import { z } from 'zod';
import {
  BoolEnv,
  checkProviderEnv,
  checkRedisEnv,
  CsvList,
  DatabaseEnv,
  DurationMs,
  EmbeddingsEnv,
  KbLearningEnv,
  LlmEnv,
  LogEnv,
  PositiveInt,
  RedisEnv,
  SecretsEnv,
  ShutdownEnv,
} from '@repo/config';
import { STAGES, type QueueKey } from '@repo/queue';

const Stages = CsvList.pipe(z.array(z.enum(STAGES as [QueueKey, ...QueueKey[]])).min(1, 'name at least one stage'));

/** The worker's environment. Only this file reads `process.env`. */
export const WorkerEnv = RedisEnv.extend(DatabaseEnv.shape)
  .extend(LogEnv.shape)
  .extend(SecretsEnv.shape)
  .extend(ShutdownEnv.shape)
  .extend(LlmEnv.shape)
  .extend(EmbeddingsEnv.shape)
  .extend(KbLearningEnv.shape)
  .extend({
    /** Stages this process runs: any of classify,retrieve,decide,deliver,sweep,sync (sync = KB sync from HDE). */
    WORKER_STAGES: Stages.default(STAGES),
    /** Jobs of each stage run at once in this process. */
    CLASSIFY_CONCURRENCY: PositiveInt.default(8),
    RETRIEVE_CONCURRENCY: PositiveInt.default(8),
    DECIDE_CONCURRENCY: PositiveInt.default(8),
    DELIVER_CONCURRENCY: PositiveInt.default(16),
    SWEEP_CONCURRENCY: PositiveInt.default(2),
    /** Wait after a customer message before answering, in ms, so a burst of messages gets one answer. */
    TURN_DEBOUNCE_MS: DurationMs.default(1500),
    /** A turn holding a ticket longer than this (ms) is presumed dead and taken over. */
    TURN_LEASE_MS: DurationMs.default(180_000),
    /** BullMQ lock duration (ms): a job whose worker stops renewing it is retried elsewhere. */
    JOB_LOCK_MS: DurationMs.default(30_000),
    /** How often BullMQ checks for stalled jobs, in ms. */
    STALLED_INTERVAL_MS: DurationMs.default(30_000),
    /** HDE: connect timeout per request, ms. */
    HDE_CONNECT_TIMEOUT_MS: DurationMs.default(5_000),
    /** HDE: total timeout per request (slow bodies included), ms. */
    HDE_TIMEOUT_MS: DurationMs.default(20_000),
    /**
     * HDE: allow plain http and private/loopback addresses in integrations' base URLs (a simulator or an
     * on-premises HDE). Off by default so a tenant-typed URL cannot reach internal services.
     */
    HDE_ALLOW_PRIVATE_NETWORK: BoolEnv.default(false),
    /** HDE: pause an account when `X-Rate-Limit-Remaining` falls to this many requests. */
    HDE_REMAINING_FLOOR: z.coerce.number().int().min(0).default(10),
    /** HDE: how long to pause an account that HDE banned, when HDE does not say, in ms. */
    HDE_BAN_PAUSE_MS: DurationMs.default(20 * 60_000),
    /** Sweep: how often each integration is swept for missed messages, in ms (0 = never). */
    SWEEP_INTERVAL_MS: DurationMs.default(5 * 60_000),
    /** Sweep: how far back it looks for updated tickets, in minutes. */
    SWEEP_LOOKBACK_MINUTES: PositiveInt.default(60),
    /** Sweep: the share of an account's budget one sweep may spend (0..1). */
    SWEEP_BUDGET_SHARE: z.coerce.number().min(0.01).max(1).default(0.2),
    /**
     * Sweep: an event whose processing failed for good this many times with the same error is
     * quarantined (shown as failed, never driven again); a non-retryable error quarantines at once.
     */
    EVENT_QUARANTINE_AFTER: PositiveInt.default(3),
    /** Sweep: a customer message younger than this (ms) is left to its webhook. */
    SWEEP_GRACE_MS: DurationMs.default(60_000),
    /** KB sync: how often integrations with KB sync on copy HDE's knowledge base, in ms (0 = never). */
    KB_SYNC_INTERVAL_MS: DurationMs.default(6 * 3600_000),
    /** KB sync: at most this many article pages per run (each page is one HDE request). */
    KB_SYNC_MAX_PAGES: PositiveInt.default(100),
    /** Retention: how often data past its retention is purged, in ms (0 = never). */
    RETENTION_INTERVAL_MS: DurationMs.default(6 * 3600_000),
    /** Retention: days raw webhook bodies are kept (0 = forever). */
    RETENTION_RAW_BODY_DAYS: z.coerce.number().int().min(0).default(30),
    /** Retention: days dialog messages are kept (0 = forever). */
    RETENTION_MESSAGE_DAYS: z.coerce.number().int().min(0).default(365),
    /** Retention: days an expired admin session is kept (0 = forever). */
    RETENTION_SESSION_DAYS: z.coerce.number().int().min(0).default(7),
    /** Embeddings: how often passages without vectors are embedded, ms (0 = never; retrieval then uses what is there). */
    EMBEDDINGS_BACKFILL_INTERVAL_MS: DurationMs.default(60_000),
    /** Run database migrations at start. */
    RUN_MIGRATIONS: BoolEnv.default(true),
    /**
     * Count the statements each stage sends to PostgreSQL and publish them on /metrics as
     * `hde_db_queries_total` (benchmarks). Off by default: the per-job context costs a little.
     */
    DATABASE_COUNT_QUERIES: BoolEnv.default(false),
    /** How often Redis and PostgreSQL are checked for /readyz, ms; while one is down the log says so once per interval. */
    READINESS_INTERVAL_MS: PositiveInt.default(10_000),
    /** Port of /healthz, /readyz and /metrics (0 = none). */
    WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  })
  .superRefine(checkProviderEnv)
  .superRefine(checkRedisEnv);

/** Parsed worker configuration. */
export type WorkerConfig = z.infer<typeof WorkerEnv>;
