import { backfillEmbeddings, Bm25Baseline, createTurnProviders, DEFAULT_COSINE_CALIBRATION, searchTurn, type TurnSearch } from '@repo/ai';
import { loadConfig, parseScriptArgs } from '@repo/config';
import type { Store } from '@repo/store';
import { EvalRetrievalEnv } from '../config';
import { learntSearches, readJsonl, round, withEvalKb, type EvalArticle, type EvalQuery } from './eval-kb';

/** What `--help` prints, and what follows an error in the command line. */
const USAGE = `Usage: npm run eval:retrieval -- --articles A.jsonl --queries Q.jsonl [options]
Searches each question with the worker's search and prints hit@1, hit@3 and MRR beside plain BM25
on the same articles, with the ratio and the target.
  --no-traffic             without question traffic learnt from the other half of the questions
  --agents-answered        as if agents had answered the other half of the questions
  --embeddings-url URL     evaluate the hybrid search with this OpenAI-compatible /embeddings
  --embeddings-key K       its key
  --embeddings-model M     its model
  --embeddings-timeout-ms N
  --cosine-floor F         calibration of vector matches (hybrid)
  --cosine-ceiling C
  --database-url URL       PostgreSQL server (default: DATABASE_URL)
  --keep                   keep the evaluation database afterwards`;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

type Search = TurnSearch;

function numberOption(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number`);
  return n;
}

/**
 * Hybrid mode: embeds every passage of the loaded KB, then searches as the worker does with
 * EMBEDDINGS_BASE_URL set (the worker's wiring, `createTurnProviders`, with these options as its
 * settings). Returns the search and what the embedding took.
 */
async function hybridSearch(
  store: Store,
  lexical: TurnSearch,
  values: Record<string, string | boolean | undefined>,
  envApiKey: string | undefined,
): Promise<{ search: Search; report: Record<string, unknown>; fallbacks: () => number }> {
  const str = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const calibration = {
    floor: numberOption(str('cosine-floor'), DEFAULT_COSINE_CALIBRATION.floor, 'cosine-floor'),
    ceiling: numberOption(str('cosine-ceiling'), DEFAULT_COSINE_CALIBRATION.ceiling, 'cosine-ceiling'),
  };
  let fallbacks = 0;
  const providers = createTurnProviders(
    {
      embeddings: {
        baseUrl: str('embeddings-url')!,
        apiKey: str('embeddings-key') ?? envApiKey ?? '',
        model: str('embeddings-model') ?? 'text-embedding-3-small',
        timeoutMs: numberOption(str('embeddings-timeout-ms'), 20_000, 'embeddings-timeout-ms'),
        batchSize: 64,
        cosineFloor: calibration.floor,
        cosineCeiling: calibration.ceiling,
      },
    },
    {
      lexical,
      vectors: store.kbEmbeddings,
      // The only warning of the search is its fallback to lexical hits.
      logger: { info: () => undefined, warn: () => void (fallbacks += 1) },
    },
  );
  const embedder = providers.embedder!;
  const started = Date.now();
  let embedded = 0;
  for (;;) {
    // Embedding errors end the evaluation: a hybrid score over half-embedded passages would mislead.
    const run = await backfillEmbeddings({
      missing: (limit) => store.kbEmbeddings.missing(undefined, embedder.model, limit),
      save: (rows) => store.kbEmbeddings.save(rows, embedder.model),
      embedder,
    });
    embedded += run.embedded;
    if (run.done) break;
  }
  return {
    search: providers.search,
    report: { model: embedder.model, calibration, passages_embedded: embedded, embed_ms: Date.now() - started },
    fallbacks: () => fallbacks,
  };
}

/**
 * Plain BM25 with agents' answers, cross-fitted as `crossFitted` does: each half's labelled queries
 * are searched over the articles with the other half's questions appended to the text of the
 * article each is labelled with. Returns the rankings and their queries, for {@link score}.
 */
function bm25WithAnswered(articles: EvalArticle[], queries: EvalQuery[]): [Array<Array<string | undefined>>, EvalQuery[]] {
  const ranked: Array<Array<string | undefined>> = [];
  const scored: EvalQuery[] = [];
  for (const half of [0, 1]) {
    const asked = new Map<string, string[]>();
    queries.forEach((q, i) => {
      const id = q.relevant_article_ids[0];
      if (i % 2 !== half && id !== undefined) asked.set(String(id), [...(asked.get(String(id)) ?? []), q.query]);
    });
    const bm25 = new Bm25Baseline(
      articles.map((a) => ({ id: String(a.id), title: a.title ?? '', body: [a.body, ...(asked.get(String(a.id)) ?? [])].join('\n') })),
    );
    queries.forEach((q, i) => {
      if (i % 2 !== half || q.relevant_article_ids.length === 0) return;
      ranked.push(bm25.search(q.query, 10));
      scored.push(q);
    });
  }
  return [ranked, scored];
}

/** hit@1, hit@3 and MRR of ranked id lists against the queries' relevant ids. */
function score(ranked: Array<Array<string | undefined>>, queries: EvalQuery[]): { hit1: number; hit3: number; mrr: number } {
  let hit1 = 0;
  let hit3 = 0;
  let rr = 0;
  for (const [i, q] of queries.entries()) {
    const relevant = new Set(q.relevant_article_ids.map(String));
    const rank = (ranked[i] ?? []).findIndex((id) => id !== undefined && relevant.has(id));
    if (rank === 0) hit1 += 1;
    if (rank >= 0 && rank < 3) hit3 += 1;
    if (rank >= 0) rr += 1 / (rank + 1);
  }
  const n = Math.max(1, queries.length);
  return { hit1: hit1 / n, hit3: hit3 / n, mrr: rr / n };
}

/**
 * Loads a knowledge base into a fresh database and skill, runs labelled queries through the same
 * search the worker uses, and prints hit@1, hit@3, MRR and latency beside plain BM25 on the same
 * articles and queries (Snowball stems, k1 1.2, b 0.75, title and body as one field, Lucene idf),
 * the ratio of the two hit@3 and the target min(1.25·b, b + (1 − b)/2). Out-of-KB queries (no
 * relevant ids) are reported apart: how often the best score stays below the skill's threshold.
 * With `--embeddings-url` the passages are embedded first and the hybrid (lexical + vector) search
 * is evaluated instead; `--cosine-floor` / `--cosine-ceiling` try another calibration.
 */
async function main(): Promise<void> {
  const values = parseScriptArgs(
    {
      articles: { type: 'string' },
      queries: { type: 'string' },
      'database-url': { type: 'string' },
      keep: { type: 'boolean' },
      'embeddings-url': { type: 'string' },
      'embeddings-key': { type: 'string' },
      'embeddings-model': { type: 'string' },
      'embeddings-timeout-ms': { type: 'string' },
      'cosine-floor': { type: 'string' },
      'cosine-ceiling': { type: 'string' },
      'no-traffic': { type: 'boolean' },
      'agents-answered': { type: 'boolean' },
    },
    USAGE,
  );
  if (!values.articles || !values.queries) {
    throw new Error(`--articles and --queries are required.

${USAGE}`);
  }
  const articles = readJsonl<EvalArticle>(values.articles);
  const queries = readJsonl<EvalQuery>(values.queries);
  const env = loadConfig(EvalRetrievalEnv);
  await withEvalKb(values['database-url'] ?? env.DATABASE_URL, articles, { keep: values.keep === true }, async (kb) => {
    const threshold = kb.skill.confidenceThreshold;
    const indexStarted = Date.now();
    await kb.search.load(kb.skillId);
    const indexMs = Date.now() - indexStarted;
    const hybrid = values['embeddings-url'] ? await hybridSearch(kb.store, kb.search, values, env.EMBEDDINGS_API_KEY) : undefined;
    // Hybrid mode fuses the plain lexical search with vectors; lexical mode reads question traffic.
    const learnt = { traffic: values['no-traffic'] !== true, ...(values['agents-answered'] ? { answeredWith: articles } : {}) };
    const lexicalAt = learntSearches(queries, learnt, kb.search, kb.searchWith);
    const searchAt = hybrid ? () => hybrid.search : lexicalAt;
    if (hybrid) process.stdout.write(`${JSON.stringify({ mode: 'hybrid', ...hybrid.report })}\n`);

    // Both halves' indexes are built before the timed searches, as the plain one is above.
    if (!hybrid) await Promise.all([lexicalAt(0).load(kb.skillId), lexicalAt(1).load(kb.skillId)]);
    const labelled = queries.filter((q) => q.relevant_article_ids.length > 0);
    const ranked: Array<Array<string | undefined>> = [];
    let outOfKb = 0;
    let rejected = 0;
    const latencies: number[] = [];
    // Top score of each query and whether its top hit was right (null: out of the KB), for the threshold table.
    const tops: Array<{ score: number; correct: boolean | null }> = [];
    for (const [position, q] of queries.entries()) {
      const search: Search = searchAt(position);
      const started = process.hrtime.bigint();
      const hits = await searchTurn(search, { skillId: kb.skillId, text: q.query, previous: q.previous, threshold, limit: 10 });
      latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
      const ids = hits.map((h) => kb.externalOf.get(h.articleId));
      const topScore = hits[0]?.score ?? 0;
      if (q.relevant_article_ids.length === 0) {
        tops.push({ score: topScore, correct: null });
        outOfKb += 1;
        if (topScore < threshold) rejected += 1;
        continue;
      }
      ranked.push(ids);
      const relevant = new Set(q.relevant_article_ids.map(String));
      tops.push({ score: topScore, correct: ids[0] !== undefined && relevant.has(ids[0]) });
    }
    const ours = score(ranked, labelled);
    const bm25 = new Bm25Baseline(articles.map((a) => ({ id: String(a.id), title: a.title ?? '', body: a.body })));
    const base = score(
      labelled.map((q) => bm25.search(q.query, 10)),
      labelled,
    );
    const target = Math.min(1.25 * base.hit3, base.hit3 + (1 - base.hit3) / 2);
    // With agents' answers: the naive use of the same data beside ours, plain BM25 over each article
    // with the other half's questions labelled with it appended to its text (given the labels
    // outright, where ours must find the article in the agent's reply).
    const bm25Answered = learnt.answeredWith ? score(...bm25WithAnswered(articles, queries)) : undefined;
    latencies.sort((a, b) => a - b);
    // What each answer threshold would do: answered right, answered wrong, out-of-KB answered.
    const thresholds = [0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5].map((t) => ({
      threshold: t,
      answered_right: tops.filter((x) => x.correct === true && x.score >= t).length,
      answered_wrong: tops.filter((x) => x.correct === false && x.score >= t).length,
      out_of_kb_answered: tops.filter((x) => x.correct === null && x.score >= t).length,
    }));
    process.stdout.write(`${JSON.stringify({ thresholds })}\n`);
    process.stdout.write(
      `${JSON.stringify({ articles: articles.length, load_ms: kb.loadMs, index_ms: indexMs, out_of_kb: outOfKb, out_of_kb_below_threshold: outOfKb ? round(rejected / outOfKb) : null, threshold })}\n`,
    );
    process.stdout.write(
      `${JSON.stringify({ bm25: { hit_at_1: round(base.hit1), hit_at_3: round(base.hit3), mrr: round(base.mrr) }, target_hit_at_3: round(target) })}\n`,
    );
    process.stdout.write(
      `${JSON.stringify({
        queries: labelled.length,
        hit_at_1: round(ours.hit1),
        hit_at_3: round(ours.hit3),
        mrr: round(ours.mrr),
        bm25_hit_at_1: round(base.hit1),
        bm25_hit_at_3: round(base.hit3),
        bm25_mrr: round(base.mrr),
        ratio_hit_at_3: round(base.hit3 > 0 ? ours.hit3 / base.hit3 : 0),
        ...(bm25Answered
          ? {
              bm25_answered_hit_at_1: round(bm25Answered.hit1),
              bm25_answered_hit_at_3: round(bm25Answered.hit3),
              bm25_answered_mrr: round(bm25Answered.mrr),
            }
          : {}),
        target_hit_at_3: round(target),
        meets_target: ours.hit3 >= target,
        p50_ms: round(percentile(latencies, 50)),
        p99_ms: round(percentile(latencies, 99)),
        mode: hybrid ? 'hybrid' : 'lexical',
        traffic: !hybrid && learnt.traffic ? 'cross-fitted halves' : 'none',
        agents_answered: !hybrid && learnt.answeredWith ? 'cross-fitted halves' : 'none',
        ...(hybrid ? { lexical_fallbacks: hybrid.fallbacks() } : {}),
      })}\n`,
    );
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
