import { writeFileSync } from 'node:fs';
import { parseScriptArgs } from '@repo/config';
import { Session } from 'node:inspector/promises';
import { Client } from 'pg';
import {
  analyze,
  createKbSearch,
  KbIndex,
  loadAnswered,
  NO_TRAFFIC,
  searchLoaded,
  UNCALIBRATED,
  type KbSnapshot,
  type LoadedKb,
  longestLoopHold,
} from '@repo/ai';
import { createStore, migrate, settleImport, type Store } from '@repo/store';
import { corpusQueries, generateCorpus } from './kb-corpus';
import { dropDatabase, recreateDatabase } from './stack';
import { demoConfig } from './config';

/** What `--help` prints, and what follows an error in the command line. */
const USAGE = `Usage: npm run bench:kb -- [options]
Builds a generated knowledge base in a fresh database, then measures one search at a time and
several in flight against plain PostgreSQL full-text search, in the same run.
  --articles N        articles to generate (default 10000)
  --searches N        questions per round (default 2000)
  --in-flight N       searches in flight for the throughput figure (default 8)
  --rounds N          interleaved rounds of each (default 3)
  --answered N        agents' answered conversations to learn from afterwards, 0 for none (default 2000)
  --database-url URL  PostgreSQL server to create the bench database on (default: DATABASE_URL, else the local one)
  --prof DIR          write a V8 CPU profile of the searches into DIR`;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const round = (x: number) => Math.round(x * 100) / 100;

/** Runs `fn` over `items` with `inFlight` at a time; returns each call's latency (ms) and the wall time. */
async function closedLoop<T>(
  items: T[],
  inFlight: number,
  fn: (item: T) => Promise<unknown>,
): Promise<{ latencies: number[]; wallMs: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < items.length) {
        const item = items[next++]!;
        const t = performance.now();
        await fn(item);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { latencies: latencies.sort((a, b) => a - b), wallMs: performance.now() - started };
}

function summary(run: { latencies: number[]; wallMs: number }) {
  return {
    p50_ms: round(percentile(run.latencies, 50)),
    p99_ms: round(percentile(run.latencies, 99)),
    searches_per_s: round((run.latencies.length / run.wallMs) * 1000),
  };
}

/** Latencies of several closed-loop runs, summarised together. */
class Samples {
  private readonly latencies: number[] = [];
  private wallMs = 0;
  add(run: { latencies: number[]; wallMs: number }): void {
    this.latencies.push(...run.latencies);
    this.wallMs += run.wallMs;
  }
  get count(): number {
    return this.latencies.length;
  }
  summary(): ReturnType<typeof summary> {
    return summary({ latencies: [...this.latencies].sort((a, b) => a - b), wallMs: this.wallMs });
  }
}

/**
 * How long an index build holds the event loop: the sliced build the worker uses (longest gap
 * between two turns of the loop) beside the same build in one piece (the whole build is one gap).
 */
async function buildBlocking(snapshot: KbSnapshot): Promise<{ build_longest_block_ms: number; unsliced_build_block_ms: number }> {
  const { longestMs } = await longestLoopHold(() => KbIndex.build(snapshot));
  const started = performance.now();
  new KbIndex(snapshot);
  const unsliced = performance.now() - started;
  return { build_longest_block_ms: round(longestMs), unsliced_build_block_ms: round(unsliced) };
}

/**
 * What learning from agents' answers costs at this size: `count` conversations whose agent pasted
 * the first passage of a random article (under a greeting) are learnt, and the answered questions'
 * calibration run, as the worker does every `KB_LEARN_INTERVAL_MS` (the longest hold of the event
 * loop while it runs is measured), then once more on the same index (a relearn, which reuses the
 * articles' fingerprints); then the same searches run with the learnt evidence.
 */
async function learnedSearch(
  index: KbIndex,
  corpus: ReturnType<typeof generateCorpus>,
  questions: string[],
  count: number,
  rounds: number,
  inFlight: number,
) {
  const conversations = corpusQueries(corpus, count, 11).map((question, i) => {
    const article = index.articles[(i * 7919) % index.articles.length]!;
    return { question, reply: `Здравствуйте! ${article.passages[0]?.text ?? ''} С уважением, поддержка` };
  });
  const started = performance.now();
  const { result: answers, longestMs } = await longestLoopHold(() =>
    loadAnswered({ answeredConversations: async () => conversations }, 'bench', index),
  );
  const learnMs = performance.now() - started;
  // The worker learns again every KB_LEARN_INTERVAL_MS from the same index: the articles'
  // fingerprints are kept with it, so a relearn reads only the conversations.
  const restarted = performance.now();
  const { longestMs: relearnLongestMs } = await longestLoopHold(() =>
    loadAnswered({ answeredConversations: async () => conversations }, 'bench', index),
  );
  const relearnMs = performance.now() - restarted;
  const loaded: LoadedKb = {
    index,
    synonyms: [],
    calibration: UNCALIBRATED,
    checkedAt: 0,
    traffic: NO_TRAFFIC,
    trafficAt: 0,
    ...answers,
  };
  const one = new Samples();
  const many = new Samples();
  const search = async (q: string) => searchLoaded(loaded, q);
  for (let r = 0; r < rounds; r += 1) {
    one.add(await closedLoop(questions, 1, search));
    many.add(await closedLoop(questions, inFlight, search));
  }
  const a = one.summary();
  const b = many.summary();
  return {
    answered_conversations: count,
    answered_learnt: answers.answered.questions,
    learn_and_calibrate_ms: round(learnMs),
    learn_longest_block_ms: round(longestMs),
    relearn_and_calibrate_ms: round(relearnMs),
    relearn_longest_block_ms: round(relearnLongestMs),
    with_answered: { p50_ms: a.p50_ms, p99_ms: a.p99_ms, searches_per_s: b.searches_per_s, p99_ms_in_flight: b.p99_ms },
  };
}

/** Loads articles through the store's upsert (as imports do), a few at a time. */
async function load(store: Store, skillId: string, articles: ReturnType<typeof generateCorpus>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < articles.length) {
        const a = articles[next++]!;
        await store.kb.upsertArticle({ skillId, source: 'bench', externalId: a.externalId, title: a.title, body: a.body, tags: a.tags });
      }
    }),
  );
}

/**
 * bench:kb — builds a realistic knowledge base (see `generateCorpus`, default 10,000 articles) in a
 * throw-away database and measures knowledge-base search at 8 searches in flight: the pipeline's
 * search (in-process index per skill, version checked against the store as in the worker) beside a
 * naive baseline, one plain PostgreSQL full-text query per search (OR of the question's stems,
 * `ts_rank`, top 5), on the same questions, interleaved in rounds. The last line is one JSON object:
 * `articles`, `p50_ms`, `p99_ms`, `searches_per_s` (ours), the baseline's figures and the ratios.
 * `--prof FILE` writes a CPU profile of our search rounds.
 */
async function main(): Promise<void> {
  const values = parseScriptArgs(
    {
      articles: { type: 'string' },
      searches: { type: 'string' },
      'in-flight': { type: 'string' },
      rounds: { type: 'string' },
      'database-url': { type: 'string' },
      prof: { type: 'string' },
      answered: { type: 'string' },
    },
    USAGE,
  );
  const count = Number(values.articles ?? 10_000);
  const searches = Number(values.searches ?? 2_000);
  const inFlight = Number(values['in-flight'] ?? 8);
  const rounds = Number(values.rounds ?? 3);
  const answeredCount = Number(values.answered ?? 2_000);
  const server = new URL(values['database-url'] ?? demoConfig().DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const dbUrl = new URL(server.toString());
  dbUrl.pathname = `/bench_kb_${process.pid}`;
  await recreateDatabase(dbUrl.toString());
  try {
    await migrate(dbUrl.toString());
    const store = createStore({ url: dbUrl.toString(), poolSize: 10 });
    const pg = new Client({ connectionString: dbUrl.toString() });
    await pg.connect();
    try {
      const org = await store.organizations.createOrganization('bench');
      const consultant = await store.organizations.createConsultant(org.id, 'bench');
      const skill = await store.organizations.createSkill({ organizationId: org.id, consultantId: consultant.id, name: 'bench' });
      const articles = generateCorpus(count);
      const loadStarted = Date.now();
      await load(store, skill.id, articles);
      const loadMs = Date.now() - loadStarted;
      // Statistics after the import: the step every import and sync ends with.
      await settleImport(store.kb, { created: articles.length, updated: 0, deleted: 0 });
      const questions = corpusQueries(articles, searches);

      const search = createKbSearch({
        version: (id) => store.kb.indexVersion(id),
        snapshot: (id) => store.kb.indexSnapshot(id),
        calibration: (id, v) => store.kb.calibration(id, v),
        saveCalibration: (id, v, data) => store.kb.saveCalibration(id, v, data),
      });
      const buildStarted = Date.now();
      const loaded = await search.load(skill.id);
      const buildMs = Date.now() - buildStarted;
      const passages = loaded.index.articles.reduce((n, a) => n + a.passages.length, 0);
      const blocking = await buildBlocking(await store.kb.indexSnapshot(skill.id));

      const ftsPool = createStore({ url: dbUrl.toString(), poolSize: inFlight });
      const fts = async (q: string) => {
        const words = [...new Set(analyze(q))].map((w) => w.replace(/[^\p{L}\p{N}]/gu, '')).filter(Boolean);
        if (words.length === 0) return [];
        return ftsPool.db.query(
          `SELECT p.id, p.article_id, ts_rank(p.tsv, q) AS rank FROM kb_passages p, to_tsquery('russian', $2) q
           WHERE p.skill_id = $1 AND p.tsv @@ q ORDER BY rank DESC LIMIT 5`,
          [skill.id, words.join(' | ')],
        );
      };
      // Warm both (JIT, caches), then interleave rounds so both see the same machine load.
      await closedLoop(questions.slice(0, 200), inFlight, (q) => search.search(skill.id, q));
      await closedLoop(questions.slice(0, 50), inFlight, fts);
      const session = values.prof ? new Session() : undefined;
      if (session) {
        session.connect();
        await session.post('Profiler.enable');
      }
      // Two loads per round, each beside the baseline: one search at a time (the latency of one
      // search) and `inFlight` at a time (throughput; each latency then includes waiting for the
      // other searches, since a search is CPU work on one thread).
      const ours = { one: new Samples(), many: new Samples() };
      const base = { one: new Samples(), many: new Samples() };
      const oursSearch = (q: string) => search.search(skill.id, q);
      for (let r = 0; r < rounds; r += 1) {
        if (session) await session.post('Profiler.start');
        ours.one.add(await closedLoop(questions, 1, oursSearch));
        ours.many.add(await closedLoop(questions, inFlight, oursSearch));
        if (session) {
          const { profile } = await session.post('Profiler.stop');
          writeFileSync(values.prof!, JSON.stringify(profile));
        }
        base.one.add(await closedLoop(questions, 1, fts));
        base.many.add(await closedLoop(questions, inFlight, fts));
      }
      await ftsPool.close();
      process.stdout.write(
        `${JSON.stringify({ load_ms: loadMs, passages, index_build_and_calibration_ms: buildMs, ...blocking, calibration: loaded.calibration })}\n`,
      );
      if (answeredCount > 0) {
        const learning = await learnedSearch(loaded.index, articles, questions, answeredCount, rounds, inFlight);
        process.stdout.write(`${JSON.stringify(learning)}\n`);
      }
      const figures = (x: typeof ours) => {
        const one = x.one.summary();
        const many = x.many.summary();
        return { p50_ms: one.p50_ms, p99_ms: one.p99_ms, searches_per_s: many.searches_per_s, p99_ms_in_flight: many.p99_ms };
      };
      const o = figures(ours);
      const f = figures(base);
      process.stdout.write(
        `${JSON.stringify({
          articles: count,
          ...o,
          in_flight: inFlight,
          searches: ours.one.count + ours.many.count,
          baseline_plain_fts: f,
          p99_ratio_to_baseline: round(o.p99_ms / Math.max(1e-9, f.p99_ms)),
          throughput_ratio_to_baseline: round(o.searches_per_s / Math.max(1e-9, f.searches_per_s)),
        })}\n`,
      );
    } finally {
      await pg.end();
      await store.close();
    }
  } finally {
    await dropDatabase(dbUrl.toString());
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
