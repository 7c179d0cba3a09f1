import type { KbHit } from '@repo/domain';
import type { Embedder } from './llm/openai-embeddings';
import { runInSlices, type SlicedWork } from './sliced-work';

/** One embedded passage of a skill, as the store loads it: what a vector-only hit needs to quote. */
export type EmbeddedPassage = { id: number; articleId: number; title: string; text: string; sourceUrl?: string };

/**
 * A skill's embedded passages and their unit-length vectors (same order). `version` changes whenever
 * the set of embedded passages changes, so a cached matrix can be reused while it stays the same.
 */
export type SkillVectors = { version: string; passages: EmbeddedPassage[]; vectors: number[][] };

/**
 * How raw cosine similarity becomes a 0..1 score comparable with the lexical one: a linear ramp
 * from `floor` (the cosine typical of unrelated texts: scores 0) to `ceiling` (a paraphrase of the
 * passage: scores 1), clamped. Embedding models squeeze every pair of texts into a narrow cosine band
 * (text-embedding-3-small: unrelated ≈ 0.1–0.25, same topic ≈ 0.35–0.5, paraphrase ≥ 0.6), so raw
 * cosine would read as "somewhat relevant" for anything; the ramp spreads that band over 0..1.
 */
export type CosineCalibration = { floor: number; ceiling: number };

/**
 * Defaults for text-embedding-3-small. With the default confidence threshold 0.35 a vector match
 * alone answers from cosine 0.30 + 0.35 × 0.40 = 0.44 up: clearly the same topic, not merely the same
 * domain. Other models have other bands; tune with `eval-retrieval --embeddings-url` (its threshold
 * table shows right/wrong/out-of-KB answers per threshold).
 */
export const DEFAULT_COSINE_CALIBRATION: CosineCalibration = { floor: 0.3, ceiling: 0.7 };

/** Maps a cosine similarity to 0..1 with `calibration`; see {@link CosineCalibration}. */
export function calibrateCosine(cosine: number, calibration: CosineCalibration = DEFAULT_COSINE_CALIBRATION): number {
  const span = calibration.ceiling - calibration.floor;
  if (!(span > 0) || !Number.isFinite(cosine)) return 0;
  return Math.min(1, Math.max(0, (cosine - calibration.floor) / span));
}

/** Cosine similarity of two vectors of equal length (0 when either is zero or lengths differ). */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length || a.length === 0) return 0;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i]!;
    const y = b[i]!;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

/** A skill's vectors as one row-major Float32Array: half the memory of number[][], and a tight dot-product loop. */
type Matrix = { version: string; dim: number; rows: number; data: Float32Array; passages: EmbeddedPassage[]; checkedAt: number };

/**
 * Rows scored or copied between two chances to yield: a skill's vectors are scored on the worker's
 * loop, and 30,000 passages of 1,536 dimensions take about 80 ms a search (100,000 took 2.7 s to
 * load), so both are sliced ({@link runInSlices}) and the loop renews job locks in between.
 */
const ROWS_PER_STEP = 512;

function* toMatrix(snapshot: SkillVectors, checkedAt: number): SlicedWork<Matrix> {
  const dim = snapshot.vectors[0]?.length ?? 0;
  // Rows of another length (a provider that changed dimensions under the same model name) are
  // dropped rather than compared out of step.
  const keep = snapshot.vectors.map((v, i) => (v.length === dim ? i : -1)).filter((i) => i >= 0);
  const data = new Float32Array(keep.length * dim);
  for (let row = 0; row < keep.length; row += 1) {
    data.set(snapshot.vectors[keep[row]!]!, row * dim);
    if (row % ROWS_PER_STEP === ROWS_PER_STEP - 1) yield;
  }
  return { version: snapshot.version, dim, rows: keep.length, data, passages: keep.map((i) => snapshot.passages[i]!), checkedAt };
}

/**
 * Scores every passage of `matrix` against the unit-length `query` (dot product = cosine, the
 * vectors being unit length) and returns the best passage per article, calibrated, best first.
 * Passages at or below the calibration floor are left out: they are not evidence of anything.
 */
function* vectorHits(matrix: Matrix, query: Float32Array, limit: number, calibration: CosineCalibration): SlicedWork<KbHit[]> {
  // Passages are compared by raw cosine: calibrated scores clamp at 1, which would make the
  // article's best passage an accident of order among near-paraphrases.
  const bestOf = new Map<number, { row: number; cosine: number }>();
  for (let row = 0; row < matrix.rows; row += 1) {
    if (row % ROWS_PER_STEP === ROWS_PER_STEP - 1) yield;
    const offset = row * matrix.dim;
    let dot = 0;
    for (let k = 0; k < matrix.dim; k += 1) dot += matrix.data[offset + k]! * query[k]!;
    if (dot <= calibration.floor) continue;
    const articleId = matrix.passages[row]!.articleId;
    const current = bestOf.get(articleId);
    if (!current || dot > current.cosine) bestOf.set(articleId, { row, cosine: dot });
  }
  return [...bestOf.values()]
    .sort((a, b) => b.cosine - a.cosine || a.row - b.row)
    .slice(0, limit)
    .map(({ row, cosine }) => {
      const p = matrix.passages[row]!;
      const score = calibrateCosine(cosine, calibration);
      return {
        articleId: p.articleId,
        passageId: p.id,
        title: p.title,
        passage: p.text,
        score,
        ...(p.sourceUrl ? { sourceUrl: p.sourceUrl } : {}),
      };
    });
}

/**
 * Fuses lexical and vector hits, one per article: an article scores the stronger of its two signals
 * (`max`), and quotes the passage that signal found. `max` rather than a weighted sum keeps the
 * skill's confidence threshold meaning what it meant: a lexical score is never lowered because the
 * vectors are less sure (a product code or a rare term embeds poorly), and a vector score counts
 * only as far as its calibration says (see {@link CosineCalibration}). Equal scores are ordered by
 * the weaker signal, so an article both searches agree on comes first. Scores stay in 0..1.
 */
export function fuseHits(lexical: KbHit[], vector: KbHit[], limit: number): KbHit[] {
  const byArticle = new Map<number, { lexical?: KbHit; vector?: KbHit }>();
  for (const h of lexical) {
    const entry = byArticle.get(h.articleId) ?? {};
    if (!entry.lexical || h.score > entry.lexical.score) entry.lexical = h;
    byArticle.set(h.articleId, entry);
  }
  for (const h of vector) {
    const entry = byArticle.get(h.articleId) ?? {};
    if (!entry.vector || h.score > entry.vector.score) entry.vector = h;
    byArticle.set(h.articleId, entry);
  }
  const fused = [...byArticle.values()].map(({ lexical: l, vector: v }) => {
    const ls = l?.score ?? 0;
    const vs = v?.score ?? 0;
    const winner = (ls >= vs ? l : v) ?? (l ?? v)!;
    const score = Math.min(1, Math.max(0, ls, vs));
    return { hit: { ...winner, score }, weaker: Math.min(ls, vs) };
  });
  return fused
    .sort((a, b) => b.hit.score - a.hit.score || b.weaker - a.weaker || a.hit.articleId - b.hit.articleId)
    .slice(0, limit)
    .map((f) => f.hit);
}

/** Dependencies and knobs of {@link createHybridRetriever}. */
export type HybridRetrieverOptions = {
  /** The lexical search, e.g. the store's `kb.search`; its hits are 0..1, one per article. */
  lexical(skillId: string, query: string, limit: number): Promise<KbHit[]>;
  /** The skill's embedded passages for the embedder's model. */
  vectors: {
    /** Cheap: the current version of the skill's vectors. */
    version(skillId: string): Promise<string>;
    /** Expensive: every embedded passage with its vector. */
    load(skillId: string): Promise<SkillVectors>;
  };
  embedder: Pick<Embedder, 'embed'>;
  /** See {@link CosineCalibration}; defaults to {@link DEFAULT_COSINE_CALIBRATION}. */
  calibration?: CosineCalibration;
  /**
   * A cached matrix younger than this (ms, default 5,000) is used without asking for the version:
   * a passage embedded a few seconds ago may be missed, a database round trip per query is saved.
   */
  revalidateMs?: number;
  /** Skills whose matrices stay in memory (default 32), least recently used dropped first. */
  maxCachedSkills?: number;
  /** Told when the vector side failed and the lexical hits were returned alone; must not throw. */
  onFallback?(error: unknown, context: { skillId: string }): void;
  /** Clock, for tests. */
  now?(): number;
};

/** Lexical + vector search with the shape of the store's `kb.search`, so `searchTurn` can use it. */
export type HybridRetriever = {
  /** Hybrid search; one hit per article, best first, scores 0..1. Falls back to lexical hits, never fails because of the vectors. */
  search(skillId: string, query: string, options?: { limit?: number }): Promise<KbHit[]>;
  /** Drops cached matrices (one skill's, or all). */
  invalidate(skillId?: string): void;
};

/**
 * A hybrid retriever: runs the lexical search and embeds the query at the same time, scores every
 * embedded passage of the skill by cosine against an in-memory matrix (cached per skill and
 * re-read only when its version changes) and fuses both with {@link fuseHits}. When embedding the
 * query or reading the vectors fails (timeout, HTTP 500, no embeddings yet), the lexical hits are
 * returned unchanged: the provider is an enhancement, never a reason for a turn to fail. An error of
 * the lexical search itself propagates, as without embeddings.
 */
export function createHybridRetriever(options: HybridRetrieverOptions): HybridRetriever {
  const calibration = options.calibration ?? DEFAULT_COSINE_CALIBRATION;
  const revalidateMs = options.revalidateMs ?? 5000;
  const maxCached = Math.max(1, options.maxCachedSkills ?? 32);
  const now = options.now ?? Date.now;
  const cache = new Map<string, Matrix>();
  // One load per skill at a time: a burst of turns right after a KB change must not load the matrix N times.
  const loading = new Map<string, Promise<Matrix>>();

  function remember(skillId: string, matrix: Matrix): Matrix {
    cache.delete(skillId);
    cache.set(skillId, matrix);
    while (cache.size > maxCached) cache.delete(cache.keys().next().value!);
    return matrix;
  }

  async function matrixOf(skillId: string): Promise<Matrix> {
    const cached = cache.get(skillId);
    if (cached && now() - cached.checkedAt < revalidateMs) return remember(skillId, cached);
    if (cached && (await options.vectors.version(skillId)) === cached.version) {
      cached.checkedAt = now();
      return remember(skillId, cached);
    }
    let pending = loading.get(skillId);
    if (!pending) {
      pending = options.vectors
        .load(skillId)
        .then(async (snapshot) => remember(skillId, await runInSlices(toMatrix(snapshot, now()))))
        .finally(() => loading.delete(skillId));
      loading.set(skillId, pending);
    }
    return pending;
  }

  return {
    async search(skillId, query, searchOptions = {}) {
      const limit = searchOptions.limit ?? 5;
      if (query.trim() === '') return options.lexical(skillId, query, limit);
      // Started before the lexical search is awaited, so the provider's latency overlaps it; caught
      // at once so a failure is not an unhandled rejection while the lexical search runs.
      const vectorSide = (async () => {
        const [[queryVector], matrix] = await Promise.all([options.embedder.embed([query]), matrixOf(skillId)]);
        if (matrix.rows === 0) return [];
        if (!queryVector || queryVector.length !== matrix.dim) {
          throw new Error(`query vector has ${queryVector?.length ?? 0} dimensions, the skill's vectors ${matrix.dim}`);
        }
        return runInSlices(vectorHits(matrix, Float32Array.from(queryVector), limit, calibration));
      })().then(
        (hits) => ({ ok: true as const, hits }),
        (error: unknown) => ({ ok: false as const, error }),
      );
      const lexical = await options.lexical(skillId, query, limit);
      const vector = await vectorSide;
      if (!vector.ok) {
        options.onFallback?.(vector.error, { skillId });
        return lexical;
      }
      return fuseHits(lexical, vector.hits, limit);
    },
    invalidate(skillId) {
      if (skillId === undefined) cache.clear();
      else cache.delete(skillId);
    },
  };
}
