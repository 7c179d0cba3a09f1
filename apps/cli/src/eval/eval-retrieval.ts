import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { backfillEmbeddings, createHybridRetriever, createOpenAiEmbedder, DEFAULT_COSINE_CALIBRATION } from '@repo/ai';
import { parseSkillSettings } from '@repo/domain';
import { loadConfig } from '@repo/config';
import { createStore, migrate, searchTurn, type Store } from '@repo/store';
import { EvalRetrievalEnv } from '../config';

type Article = { id: string; title: string; body: string };
type Query = { query: string; relevant_article_ids: string[]; previous?: string };

function readJsonl<T>(file: string): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l, i) => {
      try {
        return JSON.parse(l) as T;
      } catch {
        throw new Error(`${file}:${i + 1} is not JSON`);
      }
    });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

type Search = Pick<Store['kb'], 'search'>;

function numberOption(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number`);
  return n;
}

/**
 * Hybrid mode: embeds every passage of the loaded KB, then searches as the worker does with
 * EMBEDDINGS_BASE_URL set. Returns the search and what the embedding took.
 */
async function hybridSearch(
  store: Store,
  values: Record<string, string | boolean | undefined>,
  envApiKey: string | undefined,
): Promise<{ search: Search; report: Record<string, unknown>; fallbacks: () => number }> {
  const str = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const embedder = createOpenAiEmbedder({
    baseUrl: str('embeddings-url')!,
    apiKey: str('embeddings-key') ?? envApiKey ?? '',
    model: str('embeddings-model') ?? 'text-embedding-3-small',
    timeoutMs: numberOption(str('embeddings-timeout-ms'), 20_000, 'embeddings-timeout-ms'),
  });
  const calibration = {
    floor: numberOption(str('cosine-floor'), DEFAULT_COSINE_CALIBRATION.floor, 'cosine-floor'),
    ceiling: numberOption(str('cosine-ceiling'), DEFAULT_COSINE_CALIBRATION.ceiling, 'cosine-ceiling'),
  };
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
  let fallbacks = 0;
  const retriever = createHybridRetriever({
    lexical: (skillId, query, limit) => store.kb.search(skillId, query, { limit }),
    vectors: { version: (id) => store.kbEmbeddings.version(id, embedder.model), load: (id) => store.kbEmbeddings.load(id, embedder.model) },
    embedder,
    calibration,
    onFallback: () => {
      fallbacks += 1;
    },
  });
  return { search: retriever, report: { model: embedder.model, calibration, passages_embedded: embedded, embed_ms: Date.now() - started }, fallbacks: () => fallbacks };
}

/**
 * Loads a knowledge base into a fresh database and skill, runs labelled queries through the same
 * search the worker uses, and prints hit@1, hit@3, MRR and latency. Out-of-KB queries (no relevant
 * ids) are reported apart: how often the best score stays below the skill's threshold. With
 * `--embeddings-url` the passages are embedded first and the hybrid (lexical + vector) search is
 * evaluated instead; `--cosine-floor` / `--cosine-ceiling` try another calibration.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      articles: { type: 'string' }, queries: { type: 'string' }, 'database-url': { type: 'string' }, keep: { type: 'boolean' },
      'embeddings-url': { type: 'string' }, 'embeddings-key': { type: 'string' }, 'embeddings-model': { type: 'string' },
      'embeddings-timeout-ms': { type: 'string' }, 'cosine-floor': { type: 'string' }, 'cosine-ceiling': { type: 'string' },
    },
  });
  if (!values.articles || !values.queries) {
    throw new Error(
      'Usage: npm run eval:retrieval -- --articles A.jsonl --queries Q.jsonl [--embeddings-url URL [--embeddings-key K] [--embeddings-model M] [--cosine-floor F] [--cosine-ceiling C]]',
    );
  }
  const articles = readJsonl<Article>(values.articles);
  const queries = readJsonl<Query>(values.queries);
  const env = loadConfig(EvalRetrievalEnv);
  const serverUrl = new URL(values['database-url'] ?? env.DATABASE_URL);
  const name = `eval_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const dbUrl = new URL(serverUrl.toString());
  dbUrl.pathname = `/${name}`;
  try {
    await migrate(dbUrl.toString());
    const store = createStore({ url: dbUrl.toString(), poolSize: 4 });
    try {
      const org = await store.organizations.createOrganization('eval');
      const consultant = await store.organizations.createConsultant(org.id, 'eval');
      const skill = await store.organizations.createSkill({ organizationId: org.id, consultantId: consultant.id, name: 'eval' });
      const threshold = parseSkillSettings(skill.settings).confidenceThreshold;
      const externalOf = new Map<number, string>();
      const loadStart = Date.now();
      for (const a of articles) {
        const { id } = await store.kb.upsertArticle({ skillId: skill.id, source: 'eval', externalId: String(a.id), title: a.title, body: a.body });
        externalOf.set(id, String(a.id));
      }
      const loadMs = Date.now() - loadStart;
      const hybrid = values['embeddings-url'] ? await hybridSearch(store, values, env.EMBEDDINGS_API_KEY) : undefined;
      const search: Search = hybrid?.search ?? store.kb;
      if (hybrid) process.stdout.write(`${JSON.stringify({ mode: 'hybrid', ...hybrid.report })}\n`);

      let scored = 0;
      let hit1 = 0;
      let hit3 = 0;
      let rr = 0;
      let outOfKb = 0;
      let rejected = 0;
      const latencies: number[] = [];
      // Top score of each query and whether its top hit was right (null: out of the KB), for the threshold table.
      const tops: Array<{ score: number; correct: boolean | null }> = [];
      for (const q of queries) {
        const started = process.hrtime.bigint();
        const hits = await searchTurn(search, { skillId: skill.id, text: q.query, previous: q.previous, threshold, limit: 10 });
        latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
        const ranked = hits.map((h) => externalOf.get(h.articleId));
        const topScore = hits[0]?.score ?? 0;
        if (q.relevant_article_ids.length === 0) {
          tops.push({ score: topScore, correct: null });
          outOfKb += 1;
          if ((hits[0]?.score ?? 0) < threshold) rejected += 1;
          continue;
        }
        scored += 1;
        const relevant = new Set(q.relevant_article_ids.map(String));
        const rank = ranked.findIndex((id) => id !== undefined && relevant.has(id));
        tops.push({ score: topScore, correct: rank === 0 });
        if (rank === 0) hit1 += 1;
        if (rank >= 0 && rank < 3) hit3 += 1;
        if (rank >= 0) rr += 1 / (rank + 1);
      }
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
        `${JSON.stringify({ articles: articles.length, load_ms: loadMs, out_of_kb: outOfKb, out_of_kb_below_threshold: outOfKb ? round(rejected / outOfKb) : null, threshold })}\n`,
      );
      process.stdout.write(
        `${JSON.stringify({
          queries: scored,
          hit_at_1: round(scored ? hit1 / scored : 0),
          hit_at_3: round(scored ? hit3 / scored : 0),
          mrr: round(scored ? rr / scored : 0),
          p50_ms: round(percentile(latencies, 50)),
          p99_ms: round(percentile(latencies, 99)),
          mode: hybrid ? 'hybrid' : 'lexical',
          ...(hybrid ? { lexical_fallbacks: hybrid.fallbacks() } : {}),
        })}\n`,
      );
    } finally {
      await store.close();
    }
  } finally {
    if (!values.keep) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
