import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Piscina } from 'piscina';
import { AppError, type Classification } from '@repo/domain';
import type { ClassifyInput } from './classify';

/** Why a pooled classification failed; never retryable, since classify is deterministic. */
export type ClassifyPoolErrorCode = 'classify_timeout' | 'classify_failed' | 'classify_pool_closed';

/** A pooled classification that did not produce a result. */
export class ClassifyPoolError extends AppError<ClassifyPoolErrorCode> {
  constructor(code: ClassifyPoolErrorCode, message: string, cause?: unknown) {
    super(code, message, { retryable: false, cause });
    this.name = 'ClassifyPoolError';
  }
}

/** Options of {@link createClassifyPool}. */
export type ClassifyPoolOptions = {
  /** Worker threads at most; default: one fewer than the cores, at least one. */
  maxThreads?: number;
  /**
   * A classification that runs longer than this is abandoned and its thread replaced. Input caps
   * keep real work far below (tens of milliseconds); this is the backstop. Default 10 s.
   */
  timeoutMs?: number;
  /** Idle threads exit after this long; default 30 s. Idle threads never keep the process alive. */
  idleTimeoutMs?: number;
};

/** {@link classify} in worker threads: same input, same result, off the caller's event loop. */
export type ClassifyPool = {
  /** `timeoutMs` overrides the pool's limit for this call. */
  classify(input: ClassifyInput, options?: { timeoutMs?: number }): Promise<Classification>;
  /** Stops the threads; pending calls fail with `classify_pool_closed`. */
  close(): Promise<void>;
};

/**
 * The compiled thread module. Jest runs the sources, but a worker thread can only load compiled
 * JavaScript, so from `src` the pool loads the package's `dist` build (the test script builds first).
 */
function threadFile(): string {
  const compiled = __filename.endsWith('.ts')
    ? path.resolve(__dirname, '../dist/classify-thread.js')
    : path.join(__dirname, 'classify-thread.js');
  if (!existsSync(compiled)) {
    throw new ClassifyPoolError('classify_failed', 'Compiled classify thread module missing: build @repo/ai first');
  }
  return compiled;
}

/**
 * A pool of worker threads ({@link https://github.com/piscinajs/piscina piscina}) that run
 * {@link classify}. Classifying reads customer text, which may be long or hostile; on a thread it
 * cannot hold up the event loop that renews the BullMQ job locks and serves every other job, and a
 * runaway call is cut off by `timeoutMs` instead of freezing the process.
 */
export function createClassifyPool(options: ClassifyPoolOptions = {}): ClassifyPool {
  const maxThreads = options.maxThreads ?? Math.max(1, availableParallelism() - 1);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const pool = new Piscina({
    filename: threadFile(),
    minThreads: 0,
    maxThreads,
    idleTimeout: options.idleTimeoutMs ?? 30_000,
    // A message larger than the caps cannot make a thread use more; this guards against bugs.
    resourceLimits: { maxOldGenerationSizeMb: 256 },
  });
  let closed = false;
  return {
    async classify(input, callOptions = {}) {
      if (closed) throw new ClassifyPoolError('classify_pool_closed', 'Classify pool is closed');
      const signal = AbortSignal.timeout(callOptions.timeoutMs ?? timeoutMs);
      try {
        return (await pool.run(input, { signal })) as Classification;
      } catch (error) {
        if (signal.aborted) throw new ClassifyPoolError('classify_timeout', 'Classification exceeded its time limit', error);
        if (closed) throw new ClassifyPoolError('classify_pool_closed', 'Classify pool is closed', error);
        throw new ClassifyPoolError('classify_failed', 'Classification failed in its worker thread', error);
      }
    },
    async close() {
      closed = true;
      await pool.destroy();
    },
  };
}

let shared: ClassifyPool | undefined;

/**
 * {@link classify} on the process's shared pool, created on first use with the defaults of
 * {@link createClassifyPool}. Its idle threads do not keep the process alive.
 */
export function classifyOffThread(input: ClassifyInput): Promise<Classification> {
  shared ??= createClassifyPool();
  return shared.classify(input);
}
