import { z } from 'zod';
import { DatabaseEnv, DurationMs, LogEnv, RedisEnv, ShutdownEnv, BoolEnv, checkRedisEnv } from '@repo/config';

/** The ingress's environment. Only this file reads `process.env`. */
export const IngressEnv = RedisEnv.extend(DatabaseEnv.shape)
  .extend(LogEnv.shape)
  .extend(ShutdownEnv.shape)
  .extend({
    /** TCP port of the webhook listener. */
    INGRESS_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    /** Interface to listen on. */
    INGRESS_HOST: z.string().default('0.0.0.0'),
    /** Largest webhook body accepted, in bytes; larger ones get 413. */
    // At most 1 MiB: the lenient parse of a body is linear but not free (6.5 MB of nested JSON held
    // the loop 0.9–1.7 s), and a rule body carries one message (its text is cut at 200,000 characters).
    WEBHOOK_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(1_048_576).default(65_536),
    /** Folder of the local spool that keeps webhooks while Redis or PostgreSQL is unavailable. */
    SPOOL_DIR: z.string().min(1).default('./var/spool'),
    /** How often the spool is replayed while it holds events, in milliseconds. */
    SPOOL_REPLAY_INTERVAL_MS: DurationMs.default(1000),
    /** How long a token lookup is cached, in milliseconds. */
    TOKEN_CACHE_TTL_MS: DurationMs.default(30_000),
    /** Longest wait for Redis or PostgreSQL while accepting a webhook before spooling, in milliseconds. */
    ACCEPT_TIMEOUT_MS: DurationMs.default(1500),
    /** Run database migrations at start. */
    RUN_MIGRATIONS: BoolEnv.default(true),
    /** Longest wait for a webhook token lookup before the webhook is spooled unverified, in milliseconds. */
    TOKEN_LOOKUP_TIMEOUT_MS: DurationMs.default(1000),
    /**
     * Bytes of webhook bodies spooled per minute without a verified token (the token lookup timed
     * out), at most; beyond it they get 503. Anyone can send bodies with made-up tokens while the
     * database stalls: this keeps them from filling the spool's disk. 16 MiB is thousands of webhooks.
     */
    SPOOL_UNVERIFIED_MAX_BYTES_PER_MINUTE: z.coerce
      .number()
      .int()
      .min(0)
      .default(16 * 1024 * 1024),
    /** Offset of HDE's local times (webhook date tags) from UTC, in minutes; +180 = Moscow. */
    HDE_TZ_OFFSET_MINUTES: z.coerce.number().int().min(-720).max(840).default(180),
    /**
     * Webhooks accepted per second per token, counted over a minute (a burst may use the minute's
     * whole allowance); more get 429 with Retry-After. 0 turns the limit off.
     */
    WEBHOOK_RATE_LIMIT_PER_SECOND: z.coerce.number().int().min(0).default(100),
    /** Serve /metrics and /readyz on this port only (not on the webhook port); unset = the webhook port. */
    METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    /** When set, /metrics and /readyz require `Authorization: Bearer <METRICS_TOKEN>`. */
    METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    /** Events stored per group commit at most. */
    INTAKE_MAX_BATCH: z.coerce.number().int().min(1).max(5000).default(256),
    /**
     * Group commits in flight at once, at most (each holds one pooled connection; pool size - 2 at
     * most). One makes the largest batches: every webhook that arrives while a batch is written goes
     * into the next, so the per-batch work (a commit, a Redis round trip, BullMQ's pipeline) is shared
     * most widely; side by side it took 10–30% less CPU per webhook than two, at the same throughput.
     */
    INTAKE_MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(64).default(1),
    /**
     * Events that must be waiting before a group commit starts beside one in flight; fewer wait and
     * go together in the next (one commit and one Redis transaction instead of several).
     */
    INTAKE_MIN_PARALLEL_BATCH: z.coerce.number().int().min(1).max(5000).default(1),
  })
  .superRefine(checkRedisEnv)
  .superRefine((env, check) => {
    // A budget below one body would refuse every large webhook while the database stalls.
    const budget = env.SPOOL_UNVERIFIED_MAX_BYTES_PER_MINUTE;
    if (budget > 0 && budget < env.WEBHOOK_BODY_LIMIT_BYTES + 1024) {
      check.addIssue({
        code: 'custom',
        path: ['SPOOL_UNVERIFIED_MAX_BYTES_PER_MINUTE'],
        message: 'must be 0 (no limit) or at least WEBHOOK_BODY_LIMIT_BYTES + 1024',
      });
    }
  });

/** Parsed ingress configuration. */
export type IngressConfig = z.infer<typeof IngressEnv>;
