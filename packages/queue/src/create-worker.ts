import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Logger } from '@repo/logger';
import { ensureError } from '@repo/domain';
import { JobDelay } from './job-outcome';
import { isInfrastructureError } from './infrastructure-error';
import { QUEUES, bullPrefix, type JobData, type QueueKey } from './queue-catalog';
import type { RedisConnection } from './connections';
import { createRepeatThrottle } from './repeat-throttle';

/** The same worker error is logged once per this interval, with the number of repeats left out. */
const WORKER_ERROR_REPORT_INTERVAL_MS = 30_000;

/** How long a job waits after our own PostgreSQL or Redis was unreachable: short, jittered. */
export function outageDelayMs(random: () => number = Math.random): number {
  return 2000 + Math.floor(random() * 3000);
}

/**
 * The one delay contract: a {@link JobDelay} waits until its time; an outage of our own PostgreSQL or
 * Redis waits a few seconds. Neither spends an attempt, so a long outage never fails a job for good.
 */
function asDelay(thrown: unknown): { until: number; reason: string } | undefined {
  if (thrown instanceof JobDelay) return { until: thrown.until, reason: thrown.reason };
  if (isInfrastructureError(thrown)) return { until: Date.now() + outageDelayMs(), reason: 'own_store_unreachable' };
  return undefined;
}

/** What a handler gets besides its data: never the BullMQ job itself. */
export type JobContext = {
  logger: Logger;
  jobId: string;
  /** Attempts already made before this one (0 on the first run). */
  attemptsMade: number;
  /** Whether this is the last attempt BullMQ will make. */
  isLastAttempt: boolean;
  /** When the job was added (epoch ms); absent when a handler runs outside a queue. */
  enqueuedAt?: number;
};

/** A stage's handler: plain data in, a small result (shown in Bull Board) out. */
export type JobHandler<K extends QueueKey> = (data: JobData<K>, ctx: JobContext) => Promise<Record<string, unknown>>;

/** Options of {@link createWorker}. */
export type CreateWorkerOptions = {
  connection: RedisConnection;
  prefix: string;
  concurrency: number;
  logger: Logger;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** Called when a job failed for good (no attempts left or unrecoverable). */
  onFinalFailure?: (data: unknown, error: Error) => Promise<void>;
};

/**
 * Runs a handler on a catalog queue. Decides in one place what an error means: a retryable error is
 * rethrown (BullMQ backs off and retries), a non-retryable one fails the job at once, and a
 * {@link JobDelay} moves the job to delayed without spending an attempt.
 */
export function createWorker<K extends QueueKey>(key: K, handler: JobHandler<K>, options: CreateWorkerOptions): Worker {
  const spec = QUEUES[key];
  const logger = options.logger.child({ queue: spec.name });
  const worker = new Worker(
    spec.name,
    async (job: Job, token?: string) => {
      const parsed = spec.schema.safeParse(job.data);
      if (!parsed.success) {
        logger.error('Job data invalid', { jobId: job.id, issues: parsed.error.issues.map((i) => i.path.join('.')) });
        throw new UnrecoverableError('Job data does not match the queue schema');
      }
      const attempts = job.opts.attempts ?? 1;
      const ctx: JobContext = {
        logger: logger.child({ jobId: job.id }),
        jobId: job.id ?? '',
        attemptsMade: job.attemptsMade,
        isLastAttempt: job.attemptsMade + 1 >= attempts,
        enqueuedAt: job.timestamp,
      };
      try {
        return await handler(parsed.data as JobData<K>, ctx);
      } catch (thrown) {
        const delay = asDelay(thrown);
        if (delay) {
          if (delay.reason === 'own_store_unreachable')
            ctx.logger.warn('Job waits for PostgreSQL or Redis', { error: ensureError(thrown) });
          else ctx.logger.debug('Job delayed', { reason: delay.reason, untilMs: delay.until });
          await job.moveToDelayed(delay.until, token);
          throw new DelayedError();
        }
        const error = ensureError(thrown);
        const retryable = (error as { retryable?: unknown }).retryable !== false;
        ctx.logger.warn('Job failed', { error, retryable, attemptsMade: job.attemptsMade });
        // The typed error rides along as the cause, so a final-failure hook can tell its class.
        if (!retryable) throw Object.assign(new UnrecoverableError(error.message), { cause: error });
        throw error;
      }
    },
    {
      connection: options.connection,
      prefix: bullPrefix(options.prefix),
      concurrency: options.concurrency,
      lockDuration: options.lockDurationMs ?? 30_000,
      stalledInterval: options.stalledIntervalMs ?? 30_000,
      maxStalledCount: 2,
    },
  );
  // While Redis refuses writes BullMQ's loop meets the same error every ~100 ms per queue.
  const repeats = createRepeatThrottle(WORKER_ERROR_REPORT_INTERVAL_MS);
  worker.on('error', (error) => {
    const verdict = repeats(`${error.name}:${error.message.replace(/\d+/g, '#').slice(0, 80)}`);
    if (verdict.report) logger.error('Worker error', { error, repeatsLeftOut: verdict.suppressed });
  });
  worker.on('failed', (job, error) => {
    if (!job) return;
    const attempts = job.opts.attempts ?? 1;
    const final = error instanceof UnrecoverableError || error.name === 'UnrecoverableError' || job.attemptsMade >= attempts;
    if (final && options.onFinalFailure) {
      options.onFinalFailure(job.data, error).catch((e: unknown) => logger.error('Final failure hook failed', { error: ensureError(e) }));
    }
  });
  return worker;
}
