import { Bm25Baseline, KB_TUNING, KbIndex, type IndexedArticle, type KbTuning } from '@repo/ai';
import { parseScriptArgs } from '@repo/config';
import { splitArticle } from '@repo/store';
import { readJsonl, round, type EvalArticle, type EvalQuery } from './eval-kb';

/** What `--help` prints, and what follows an error in the command line. */
const USAGE = `Usage: node apps/cli/dist/eval/compare-retrieval.js --articles A.jsonl --queries Q.jsonl [options]
Compares our ranking with plain BM25 query by query (in-process, no database) and prints where
BM25 finds a relevant article in its top 3 and we do not.
  --tuning JSON       override ranking knobs of KB_TUNING for the run, e.g. '{"k1":2}'
  --quiet             print only the summary line`;

/** Ranked external ids of one query, ours and the baseline's. */
type Ranked = { query: EvalQuery; ours: string[]; bm25: string[] };

/** Rank (0-based) of the first relevant id, or −1. */
function firstRelevant(ids: string[], query: EvalQuery): number {
  const relevant = new Set(query.relevant_article_ids.map(String));
  return ids.findIndex((id) => relevant.has(id));
}

function metrics(rows: Ranked[], pick: (r: Ranked) => string[]): { hit_at_1: number; hit_at_3: number; mrr: number } {
  let hit1 = 0;
  let hit3 = 0;
  let rr = 0;
  for (const r of rows) {
    const rank = firstRelevant(pick(r), r.query);
    if (rank === 0) hit1 += 1;
    if (rank >= 0 && rank < 3) hit3 += 1;
    if (rank >= 0) rr += 1 / (rank + 1);
  }
  const n = Math.max(1, rows.length);
  return { hit_at_1: round(hit1 / n), hit_at_3: round(hit3 / n), mrr: round(rr / n) };
}

/**
 * The index the worker builds, without a database: each article split into passages as an import
 * splits it (ids in file order, as the store numbers them), so rankings equal `eval:retrieval`'s.
 */
function buildIndex(articles: EvalArticle[], tuning: KbTuning): { index: KbIndex; externalOf: Map<number, string> } {
  const externalOf = new Map<number, string>();
  let passageId = 0;
  const indexed: IndexedArticle[] = articles.map((a, i) => {
    externalOf.set(i + 1, String(a.id));
    return {
      id: i + 1,
      title: a.title ?? '',
      tags: a.tags ?? [],
      passages: splitArticle(a.body, a.format ?? 'markdown').map((p) => ({ id: (passageId += 1), ...p })),
    };
  });
  return { index: new KbIndex({ version: 'compare', articles: indexed }, tuning), externalOf };
}

/**
 * Per-query comparison of our ranking with plain BM25 on one set, in-process (no database, no
 * calibration: ranking only), for finding where and why the search loses. Prints the queries where
 * BM25 has a relevant article in its top 3 and we do not (with both top-3 lists and titles), then
 * one JSON line with both rankings' hit@1 / hit@3 / MRR, wins and losses. `--tuning '{"k1":1.5}'`
 * overrides knobs of `KB_TUNING` for the run.
 */
function main(): void {
  const values = parseScriptArgs(
    {
      articles: { type: 'string' },
      queries: { type: 'string' },
      tuning: { type: 'string' },
      quiet: { type: 'boolean' },
    },
    USAGE,
  );
  if (!values.articles || !values.queries) {
    throw new Error(`--articles and --queries are required.

${USAGE}`);
  }
  const tuning: KbTuning = { ...KB_TUNING, ...(values.tuning ? (JSON.parse(values.tuning) as Partial<KbTuning>) : {}) };
  const articles = readJsonl<EvalArticle>(values.articles);
  const queries = readJsonl<EvalQuery>(values.queries).filter((q) => q.relevant_article_ids.length > 0);
  const { index, externalOf } = buildIndex(articles, tuning);
  const bm25 = new Bm25Baseline(articles.map((a) => ({ id: String(a.id), title: a.title ?? '', body: a.body })));
  const titleOf = new Map(articles.map((a) => [String(a.id), (a.title ?? '') || a.body.slice(0, 60)]));
  const rows: Ranked[] = queries.map((query) => ({
    query,
    ours: index.search(query.query, { limit: 10, tuning }).map((h) => externalOf.get(h.articleId) ?? ''),
    bm25: bm25.search(query.query, 10),
  }));
  let losses = 0;
  let wins = 0;
  const show = (ids: string[], q: EvalQuery) =>
    ids
      .slice(0, 3)
      .map(
        (id) =>
          `${q.relevant_article_ids.map(String).includes(id) ? '*' : ' '}${id} «${(titleOf.get(id) ?? '').replace(/\s+/g, ' ').slice(0, 60)}»`,
      )
      .join(' | ');
  for (const r of rows) {
    const ours = firstRelevant(r.ours, r.query);
    const base = firstRelevant(r.bm25, r.query);
    const oursIn = ours >= 0 && ours < 3;
    const baseIn = base >= 0 && base < 3;
    if (oursIn && !baseIn) wins += 1;
    if (!oursIn && baseIn) {
      losses += 1;
      if (!values.quiet) {
        process.stdout.write(
          `LOSS «${r.query.query}» relevant ${r.query.relevant_article_ids.join(',')} (ours rank ${ours < 0 ? '-' : ours + 1}, bm25 ${base + 1})\n  ours: ${show(r.ours, r.query)}\n  bm25: ${show(r.bm25, r.query)}\n`,
        );
      }
    }
  }
  process.stdout.write(
    `${JSON.stringify({ queries: rows.length, ours: metrics(rows, (r) => r.ours), bm25: metrics(rows, (r) => r.bm25), wins_at_3: wins, losses_at_3: losses })}\n`,
  );
}

main();
