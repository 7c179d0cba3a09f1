import { backfillEmbeddings, describeProviderError, type Embedder } from '@repo/ai';
import type { Logger } from '@repo/logger';
import type { KbEmbeddingsRepo } from '@repo/store';

/**
 * Embeds passages that lack vectors of the embedder's model, in every skill, one process at a time
 * (advisory lock). Returns what it did, or `undefined` when another process holds the lock.
 */
export async function embedMissingPassages(deps: {
  kbEmbeddings: Pick<KbEmbeddingsRepo, 'missing' | 'save' | 'exclusive'>;
  embedder: Embedder;
  batchSize: number;
  maxPassages?: number;
}) {
  const outcome = await deps.kbEmbeddings.exclusive(() =>
    backfillEmbeddings({
      missing: (limit) => deps.kbEmbeddings.missing(undefined, deps.embedder.model, limit),
      save: (rows) => deps.kbEmbeddings.save(rows, deps.embedder.model),
      embedder: deps.embedder,
      batchSize: deps.batchSize,
      maxPassages: deps.maxPassages,
    }),
  );
  return outcome.ran ? outcome.value : undefined;
}

/**
 * Runs {@link embedMissingPassages} every `intervalMs` (and once at start), so new and re-indexed
 * articles get vectors without a step of their own in imports or the KB sync. A run that reached
 * its passage cap goes on at the next tick; ticks do not overlap.
 */
export function startEmbeddingBackfill(options: {
  kbEmbeddings: Pick<KbEmbeddingsRepo, 'missing' | 'save' | 'exclusive'>;
  embedder: Embedder;
  batchSize: number;
  intervalMs: number;
  logger: Logger;
}) {
  let running: Promise<void> | undefined;
  const run = async (): Promise<void> => {
    try {
      const report = await embedMissingPassages(options);
      if (report && report.embedded + report.rejected > 0)
        options.logger.info('Passages embedded', { model: options.embedder.model, ...report });
    } catch (error) {
      options.logger.warn('Embedding passages failed', { model: options.embedder.model, ...describeProviderError(error) });
    } finally {
      running = undefined;
    }
  };
  const tick = (): Promise<void> => {
    if (!running) running = run();
    return running;
  };
  const timer = setInterval(() => void tick(), options.intervalMs);
  timer.unref();
  void tick();
  return {
    tick,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
