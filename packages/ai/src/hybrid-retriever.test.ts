import type { KbHit } from '@repo/domain';
import { backfillEmbeddings } from './embedding-backfill';
import { calibrateCosine, cosineSimilarity, createHybridRetriever, fuseHits, type SkillVectors } from './hybrid-retriever';
import { EmbeddingError, normaliseVector } from './llm/openai-embeddings';

const hit = (articleId: number, score: number, passageId = articleId * 10): KbHit => ({
  articleId,
  passageId,
  title: `A${articleId}`,
  passage: `p${passageId}`,
  score,
});

describe('cosineSimilarity', () => {
  it('is 1 for the same direction, 0 for orthogonal, -1 for opposite, whatever the lengths', () => {
    expect(cosineSimilarity([1, 2, 3], [2, 4, 6])).toBeCloseTo(1);
    expect(cosineSimilarity([1, 0], [0, 5])).toBeCloseTo(0);
    expect(cosineSimilarity([1, 1], [-2, -2])).toBeCloseTo(-1);
    expect(cosineSimilarity(Float32Array.from([3, 4]), [4, 3])).toBeCloseTo(24 / 25);
  });

  it('is 0 for a zero vector or vectors of different lengths', () => {
    expect(cosineSimilarity([0, 0], [1, 1])).toBe(0);
    expect(cosineSimilarity([1, 2], [1, 2, 3])).toBe(0);
    expect(cosineSimilarity([], [])).toBe(0);
  });
});

describe('calibrateCosine', () => {
  it('ramps linearly from floor (0) to ceiling (1) and clamps', () => {
    const c = { floor: 0.3, ceiling: 0.7 };
    expect(calibrateCosine(0.1, c)).toBe(0);
    expect(calibrateCosine(0.3, c)).toBe(0);
    expect(calibrateCosine(0.5, c)).toBeCloseTo(0.5);
    expect(calibrateCosine(0.44, c)).toBeCloseTo(0.35);
    expect(calibrateCosine(0.9, c)).toBe(1);
    expect(calibrateCosine(Number.NaN, c)).toBe(0);
    expect(calibrateCosine(0.5, { floor: 0.5, ceiling: 0.5 })).toBe(0);
  });
});

describe('fuseHits', () => {
  it('scores an article by its stronger signal and quotes that signal’s passage', () => {
    const fused = fuseHits([hit(1, 0.6, 11), hit(2, 0.2, 21)], [hit(2, 0.8, 22), hit(3, 0.4, 31)], 5);
    expect(fused.map((h) => [h.articleId, h.passageId, h.score])).toEqual([
      [2, 22, 0.8],
      [1, 11, 0.6],
      [3, 31, 0.4],
    ]);
  });

  it('never lowers a lexical score because the vectors are less sure', () => {
    expect(fuseHits([hit(1, 0.5)], [hit(1, 0.1)], 5)).toEqual([hit(1, 0.5)]);
  });

  it('orders equal scores by the weaker signal, keeps one hit per article, 0..1 and the limit', () => {
    const fused = fuseHits([hit(1, 0.7), hit(2, 0.7), hit(4, 0.1)], [hit(2, 0.3), hit(1, 0.1), hit(1, 0.2)], 2);
    expect(fused.map((h) => h.articleId)).toEqual([2, 1]);
    for (const h of fuseHits([hit(1, 1.2)], [hit(2, -0.5)], 5)) expect(h.score).toBeGreaterThanOrEqual(0);
    expect(fuseHits([hit(1, 1.2)], [], 5)[0]?.score).toBe(1);
  });

  it('is the lexical list when there are no vector hits', () => {
    const lexical = [hit(1, 0.6), hit(2, 0.3)];
    expect(fuseHits(lexical, [], 5)).toEqual(lexical);
  });
});

describe('createHybridRetriever', () => {
  // Two articles: 1 about dimension 0, 2 about dimension 1 (two passages).
  const snapshot = (version: string): SkillVectors => ({
    version,
    passages: [
      { id: 10, articleId: 1, title: 'One', text: 'first' },
      { id: 20, articleId: 2, title: 'Two', text: 'second a' },
      { id: 21, articleId: 2, title: 'Two', text: 'second b', sourceUrl: 'https://kb/2' },
    ],
    vectors: [normaliseVector([1, 0, 0]), normaliseVector([0.6, 0.8, 0]), normaliseVector([0.1, 1, 0])],
  });

  function setup(options: { embed?: (texts: string[]) => Promise<number[][]>; lexical?: KbHit[]; revalidateMs?: number } = {}) {
    let version = 'v1';
    const calls = { version: 0, load: 0, fallbacks: [] as unknown[] };
    let clock = 0;
    const retriever = createHybridRetriever({
      lexical: async () => options.lexical ?? [],
      vectors: {
        version: async () => {
          calls.version += 1;
          return version;
        },
        load: async () => {
          calls.load += 1;
          return snapshot(version);
        },
      },
      embedder: { embed: options.embed ?? (async (texts) => texts.map(() => normaliseVector([0, 1, 0]))) },
      calibration: { floor: 0.3, ceiling: 0.7 },
      revalidateMs: options.revalidateMs ?? 1000,
      onFallback: (error) => calls.fallbacks.push(error),
      now: () => clock,
    });
    return { retriever, calls, setVersion: (v: string) => (version = v), advance: (ms: number) => (clock += ms) };
  }

  it('finds by vectors what the lexical search missed, best passage per article, calibrated', async () => {
    const { retriever } = setup();
    const hits = await retriever.search('s', 'query');
    // Query [0,1,0]: passage 21 cosine ≈ 0.995 → 1; passage 20 0.8 → 1 too but 21 is better; article 1 cosine 0 → left out.
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ articleId: 2, passageId: 21, title: 'Two', passage: 'second b', sourceUrl: 'https://kb/2', score: 1 });
  });

  it('caches the matrix per skill and reloads it only when the version changes', async () => {
    const { retriever, calls, setVersion, advance } = setup();
    await retriever.search('s', 'q');
    await retriever.search('s', 'q');
    expect(calls).toMatchObject({ version: 0, load: 1 });
    advance(2000);
    await retriever.search('s', 'q');
    expect(calls).toMatchObject({ version: 1, load: 1 });
    setVersion('v2');
    advance(2000);
    await retriever.search('s', 'q');
    expect(calls).toMatchObject({ version: 2, load: 2 });
    await retriever.search('other', 'q');
    expect(calls.load).toBe(3);
  });

  it('loads a skill once for concurrent queries', async () => {
    const { retriever, calls } = setup();
    await Promise.all([retriever.search('s', 'a'), retriever.search('s', 'b'), retriever.search('s', 'c')]);
    expect(calls.load).toBe(1);
  });

  it('returns the lexical hits unchanged when the embedder fails, and reports why', async () => {
    const lexical = [hit(7, 0.42)];
    const { retriever, calls } = setup({ lexical, embed: async () => Promise.reject(new EmbeddingError('timeout', 'too slow')) });
    expect(await retriever.search('s', 'q')).toEqual(lexical);
    expect(calls.fallbacks).toHaveLength(1);
  });

  it('falls back when the query vector has other dimensions than the stored ones', async () => {
    const { retriever, calls } = setup({ lexical: [hit(7, 0.2)], embed: async () => [[1, 0]] });
    expect(await retriever.search('s', 'q')).toEqual([hit(7, 0.2)]);
    expect(calls.fallbacks).toHaveLength(1);
  });

  it('does not embed an empty query', async () => {
    const embed = jest.fn(async (texts: string[]) => texts.map(() => [1, 0, 0]));
    const { retriever } = setup({ embed });
    expect(await retriever.search('s', '  ')).toEqual([]);
    expect(embed).not.toHaveBeenCalled();
  });

  it('propagates a failure of the lexical search itself', async () => {
    const retriever = createHybridRetriever({
      lexical: async () => Promise.reject(new Error('db down')),
      vectors: { version: async () => 'v', load: async () => ({ version: 'v', passages: [], vectors: [] }) },
      embedder: { embed: async () => [[1]] },
    });
    await expect(retriever.search('s', 'q')).rejects.toThrow('db down');
  });
});

describe('backfillEmbeddings', () => {
  it('embeds in batches until nothing is missing', async () => {
    const pending = new Map([1, 2, 3, 4, 5].map((id) => [id, `text ${id}`]));
    const batches: number[] = [];
    const report = await backfillEmbeddings({
      missing: async (limit) => [...pending].slice(0, limit).map(([id, text]) => ({ id, text })),
      save: async (rows) => rows.forEach((r) => pending.delete(r.id)),
      embedder: { embed: async (texts) => (batches.push(texts.length), texts.map(() => [1])) },
      batchSize: 2,
    });
    expect(report).toEqual({ embedded: 5, rejected: 0, done: true });
    expect(batches).toEqual([2, 2, 1]);
  });

  it('marks a text the provider rejects as input (4xx) and goes on; a transient error ends the run', async () => {
    const saved: Array<{ id: number; vector: number[] | null }> = [];
    const pending = new Map([
      [1, 'ok'],
      [2, 'bad'],
      [3, 'ok'],
    ]);
    const deps = {
      missing: async (limit: number) => [...pending].slice(0, limit).map(([id, text]) => ({ id, text })),
      save: async (rows: Array<{ id: number; vector: number[] | null }>) => {
        saved.push(...rows);
        rows.forEach((r) => pending.delete(r.id));
      },
      embedder: {
        embed: async (texts: string[]) => {
          if (texts.includes('bad')) throw new EmbeddingError('http_error', 'HTTP 400', 400);
          return texts.map(() => [1]);
        },
      },
    };
    expect(await backfillEmbeddings(deps)).toEqual({ embedded: 2, rejected: 1, done: true });
    expect(saved).toEqual([
      { id: 1, vector: [1] },
      { id: 2, vector: null },
      { id: 3, vector: [1] },
    ]);

    pending.set(9, 'x');
    await expect(
      backfillEmbeddings({ ...deps, embedder: { embed: async () => Promise.reject(new EmbeddingError('http_error', 'HTTP 503', 503)) } }),
    ).rejects.toThrow('HTTP 503');
    expect(pending.has(9)).toBe(true);
  });
});
