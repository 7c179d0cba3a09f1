import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { parseSkillSettings } from '@repo/domain';
import { createStore, migrate, searchTurn } from '@repo/store';

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

/**
 * Loads a knowledge base into a fresh database and skill, runs labelled queries through the same
 * search the worker uses, and prints hit@1, hit@3, MRR and latency. Out-of-KB queries (no relevant
 * ids) are reported apart: how often the best score stays below the skill's threshold.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { articles: { type: 'string' }, queries: { type: 'string' }, 'database-url': { type: 'string' }, keep: { type: 'boolean' } },
  });
  if (!values.articles || !values.queries) throw new Error('Usage: npm run eval:retrieval -- --articles A.jsonl --queries Q.jsonl');
  const articles = readJsonl<Article>(values.articles);
  const queries = readJsonl<Query>(values.queries);
  const serverUrl = new URL(values['database-url'] ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
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
        const hits = await searchTurn(store.kb, { skillId: skill.id, text: q.query, previous: q.previous, threshold, limit: 10 });
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
