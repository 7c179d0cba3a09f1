import { EmbeddingError, type Embedder } from './llm/openai-embeddings';

/** Dependencies of {@link backfillEmbeddings}: where passages without vectors come from and go to. */
export type EmbeddingBackfillDeps = {
  /** Up to `limit` passages without a vector of the embedder's model, oldest first. */
  missing(limit: number): Promise<Array<{ id: number; text: string }>>;
  /** Stores vectors; `null` marks a passage the provider rejected, so it is not retried forever. */
  save(rows: Array<{ id: number; vector: number[] | null }>): Promise<void>;
  embedder: Pick<Embedder, 'embed'>;
  /** Passages per round trip (default 64). */
  batchSize?: number;
  /** At most this many passages per run (default 2,000), so one run does not hold the provider for long. */
  maxPassages?: number;
};

/** What one backfill run did. */
export type EmbeddingBackfillReport = { embedded: number; rejected: number; done: boolean };

/**
 * A 4xx other than 408/409/429 is about the input (too long, unsupported characters): retrying the
 * same text will fail again. Everything else (timeouts, 5xx, rate limits) is transient.
 */
function rejectsInput(error: unknown): boolean {
  return (
    error instanceof EmbeddingError &&
    error.kind === 'http_error' &&
    error.status !== undefined &&
    error.status >= 400 &&
    error.status < 500 &&
    ![408, 409, 429].includes(error.status)
  );
}

/**
 * Embeds passages that lack vectors, batch by batch, until none is left or `maxPassages` is reached.
 * A batch the provider rejects as input is retried text by text, and a text rejected alone is saved
 * as `null`, so one bad passage cannot block the queue. A transient failure ends the run by throwing
 * (what was saved stays saved); the next run carries on.
 */
export async function backfillEmbeddings(deps: EmbeddingBackfillDeps): Promise<EmbeddingBackfillReport> {
  const batchSize = Math.max(1, deps.batchSize ?? 64);
  const maxPassages = deps.maxPassages ?? 2000;
  const report: EmbeddingBackfillReport = { embedded: 0, rejected: 0, done: false };
  while (report.embedded + report.rejected < maxPassages) {
    const batch = await deps.missing(Math.min(batchSize, maxPassages - report.embedded - report.rejected));
    if (batch.length === 0) {
      report.done = true;
      break;
    }
    let rows: Array<{ id: number; vector: number[] | null }>;
    try {
      const vectors = await deps.embedder.embed(batch.map((p) => p.text));
      rows = batch.map((p, i) => ({ id: p.id, vector: vectors[i] ?? null }));
    } catch (error) {
      if (!rejectsInput(error)) throw error;
      rows = [];
      for (const p of batch) {
        try {
          rows.push({ id: p.id, vector: (await deps.embedder.embed([p.text]))[0] ?? null });
        } catch (single) {
          if (!rejectsInput(single)) {
            // Keep what this batch already got before giving up on the run.
            await deps.save(rows);
            throw single;
          }
          rows.push({ id: p.id, vector: null });
        }
      }
    }
    await deps.save(rows);
    for (const r of rows) {
      if (r.vector) report.embedded += 1;
      else report.rejected += 1;
    }
  }
  return report;
}
