import {
  backfillEmbeddings,
  createHybridRetriever,
  createOpenAiEmbedder,
  type Embedder,
  type HybridRetriever,
  type CosineCalibration,
  type KbSearch,
} from '@repo/ai';
import type { Logger } from '@repo/logger';
import type { KbEmbeddingsRepo } from '@repo/store';

/** Only a message and a kind go to the log: errors from HTTP clients may carry headers. */
function describe(error: unknown): { error: string; kind?: string } {
  if (error instanceof Error)
    return { error: error.message, ...('kind' in error && typeof error.kind === 'string' ? { kind: error.kind } : {}) };
  return { error: String(error) };
}

/** The embeddings settings of the worker's configuration. */
export type EmbeddingsSettings = {
  baseUrl: string;
  apiKey: string;
  model: string;
  timeoutMs: number;
  batchSize: number;
};

/** The embedder of the worker's EMBEDDINGS_* settings. */
export function createWorkerEmbedder(settings: EmbeddingsSettings): Embedder {
  return createOpenAiEmbedder({
    baseUrl: settings.baseUrl,
    apiKey: settings.apiKey,
    model: settings.model,
    timeoutMs: settings.timeoutMs,
    batchSize: settings.batchSize,
  });
}

/**
 * The retrieve stage's hybrid search: the in-process lexical search (`kb.search`) fused with the vectors of
 * `embedder.model`. Provider trouble is logged as a warning and the turn goes on with lexical hits.
 */
export function createWorkerRetriever(deps: {
  kb: Pick<KbSearch, 'search'>;
  kbEmbeddings: Pick<KbEmbeddingsRepo, 'version' | 'load'>;
  embedder: Embedder;
  calibration: CosineCalibration;
  logger: Logger;
}): HybridRetriever {
  return createHybridRetriever({
    lexical: (skillId, query, limit) => deps.kb.search(skillId, query, { limit }),
    vectors: {
      version: (skillId) => deps.kbEmbeddings.version(skillId, deps.embedder.model),
      load: (skillId) => deps.kbEmbeddings.load(skillId, deps.embedder.model),
    },
    embedder: deps.embedder,
    calibration: deps.calibration,
    onFallback: (error, { skillId }) => deps.logger.warn('Embeddings unavailable, lexical search only', { skillId, ...describe(error) }),
  });
}

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
      options.logger.warn('Embedding passages failed', { model: options.embedder.model, ...describe(error) });
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
