import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import type Redis from 'ioredis';
import type { Logger } from '@repo/logger';
import { ensureError } from '@repo/domain';
import { JobDelay } from './job-outcome';
import { QUEUES, bullPrefix, type JobData, type QueueKey } from './queue-catalog';

/**
 * A {@link JobDelay}, or any error that says when to try again through a numeric `delayUntil`
 * (e.g. an HDE account paused by its budget): both wait without spending an attempt.
 */
function asDelay(thrown: unknown): { until: number; reason: string } | undefined {
  if (thrown instanceof JobDelay) return { until: thrown.until, reason: thrown.reason };
  const candidate = thrown as { delayUntil?: unknown; code?: unknown } | null;
  if (candidate && typeof candidate.delayUntil === 'number') return { until: candidate.delayUntil, reason: String(candidate.code ?? 'delayed') };
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
};

/** A stage's handler: plain data in, a small result (shown in Bull Board) out. */
export type JobHandler<K extends QueueKey> = (data: JobData<K>, ctx: JobContext) => Promise<Record<string, unknown>>;

/** Options of {@link createWorker}. */
export type CreateWorkerOptions = {
  connection: Redis;
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
      };
      try {
        return await handler(parsed.data as JobData<K>, ctx);
      } catch (thrown) {
        const delay = asDelay(thrown);
        if (delay) {
          ctx.logger.debug('Job delayed', { reason: delay.reason, untilMs: delay.until });
          await job.moveToDelayed(delay.until, token);
          throw new DelayedError();
        }
        const error = ensureError(thrown);
        const retryable = (error as { retryable?: unknown }).retryable !== false;
        ctx.logger.warn('Job failed', { error, retryable, attemptsMade: job.attemptsMade });
        if (!retryable) throw new UnrecoverableError(error.message);
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
  worker.on('error', (error) => logger.error('Worker error', { error }));
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
