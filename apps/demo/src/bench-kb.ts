import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Session } from 'node:inspector/promises';
import { Client } from 'pg';
import { analyze, createKbSearch } from '@repo/ai';
import { createStore, migrate, type Store } from '@repo/store';
import { corpusQueries, generateCorpus } from './kb-corpus';
import { dropDatabase, recreateDatabase } from './stack';

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
  const { values } = parseArgs({
    options: {
      articles: { type: 'string' },
      searches: { type: 'string' },
      'in-flight': { type: 'string' },
      rounds: { type: 'string' },
      'database-url': { type: 'string' },
      prof: { type: 'string' },
    },
  });
  const count = Number(values.articles ?? 10_000);
  const searches = Number(values.searches ?? 2_000);
  const inFlight = Number(values['in-flight'] ?? 8);
  const rounds = Number(values.rounds ?? 3);
  const server = new URL(values['database-url'] ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
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
      // Statistics after the import, as the sync and imports leave them.
      await pg.query('ANALYZE kb_passages; ANALYZE kb_lexemes; ANALYZE kb_articles');
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
      const ours: number[] = [];
      const base: number[] = [];
      let oursWall = 0;
      let baseWall = 0;
      for (let r = 0; r < rounds; r += 1) {
        if (session) await session.post('Profiler.start');
        const a = await closedLoop(questions, inFlight, (q) => search.search(skill.id, q));
        if (session) {
          const { profile } = await session.post('Profiler.stop');
          writeFileSync(values.prof!, JSON.stringify(profile));
        }
        ours.push(...a.latencies);
        oursWall += a.wallMs;
        const b = await closedLoop(questions, inFlight, fts);
        base.push(...b.latencies);
        baseWall += b.wallMs;
      }
      ours.sort((x, y) => x - y);
      base.sort((x, y) => x - y);
      const o = summary({ latencies: ours, wallMs: oursWall });
      const f = summary({ latencies: base, wallMs: baseWall });
      await ftsPool.close();
      process.stdout.write(
        `${JSON.stringify({ load_ms: loadMs, passages, index_build_and_calibration_ms: buildMs, calibration: loaded.calibration })}\n`,
      );
      process.stdout.write(
        `${JSON.stringify({
          articles: count,
          ...o,
          in_flight: inFlight,
          searches: ours.length,
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
