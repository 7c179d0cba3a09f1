import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { createKbSearch, type KbSearch } from '@repo/ai';
import { parseSkillSettings, type SkillSettings } from '@repo/domain';
import { createStore, kbSearchSourceOf, migrate, type Store } from '@repo/store';

/** An article line of the evaluation files. */
export type EvalArticle = { id: string | number; title?: string; body: string; tags?: string[]; format?: 'markdown' | 'html' | 'text' };
/** A query line: `relevant_article_ids` empty for a question the knowledge base does not answer. */
export type EvalQuery = {
  query: string;
  relevant_article_ids: Array<string | number>;
  previous?: string;
  /** Text the quoted passage must contain for the answer's passage to count as the right one. */
  answer_contains?: string;
};

/** Reads a JSON Lines file; a bad line is named by its number. */
export function readJsonl<T>(file: string): T[] {
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

/** Rounds to three decimals for reports. */
export const round = (x: number) => Math.round(x * 1000) / 1000;

/** A knowledge base loaded into a throw-away database, searched exactly as the worker searches it. */
export type LoadedEvalKb = {
  store: Store;
  skillId: string;
  skill: SkillSettings;
  /** Stored article id → the evaluation file's id. */
  externalOf: Map<number, string>;
  /** The worker's search over this store (in-process index, calibrated from the knowledge base's own probes), without question traffic. */
  search: KbSearch;
  /** The same search with `questions` as the skill's recent conversations (see {@link trafficSearches}). */
  searchWithTraffic(questions: string[]): KbSearch;
  loadMs: number;
};

/**
 * Creates a fresh database on the server of `serverUrl`, migrates it, imports the articles into one
 * skill through the store (as an import does), runs `fn`, and drops the database unless `keep`.
 */
export async function withEvalKb<T>(
  serverUrl: string,
  articles: EvalArticle[],
  options: { keep?: boolean },
  fn: (kb: LoadedEvalKb) => Promise<T>,
): Promise<T> {
  const server = new URL(serverUrl);
  const name = `eval_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: server.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const dbUrl = new URL(server.toString());
  dbUrl.pathname = `/${name}`;
  try {
    await migrate(dbUrl.toString());
    const store = createStore({ url: dbUrl.toString(), poolSize: 4 });
    try {
      const org = await store.organizations.createOrganization('eval');
      const consultant = await store.organizations.createConsultant(org.id, 'eval');
      const skillRow = await store.organizations.createSkill({ organizationId: org.id, consultantId: consultant.id, name: 'eval' });
      const externalOf = new Map<number, string>();
      const started = Date.now();
      for (const a of articles) {
        const { id } = await store.kb.upsertArticle({
          skillId: skillRow.id,
          source: 'eval',
          externalId: String(a.id),
          title: a.title ?? '',
          body: a.body,
          tags: a.tags ?? [],
          bodyFormat: a.format ?? 'markdown',
        });
        externalOf.set(id, String(a.id));
      }
      const loadMs = Date.now() - started;
      // The worker's view of the store, minus its conversations (the evaluation supplies its own traffic).
      const { recentQuestions: _none, ...source } = kbSearchSourceOf(store.kb);
      const searchWithTraffic = (questions: string[]) => createKbSearch({ ...source, recentQuestions: asRecentQuestions(questions) });
      const skill = parseSkillSettings(skillRow.settings);
      return await fn({ store, skillId: skillRow.id, skill, externalOf, search: createKbSearch(source), searchWithTraffic, loadMs });
    } finally {
      await store.close();
    }
  } finally {
    if (!options.keep) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

/** Fixed question texts as a knowledge-base source's `recentQuestions` (the evaluation's stand-in traffic). */
export function asRecentQuestions(questions: readonly string[]): (skillId: string, limit: number) => Promise<string[]> {
  return async (_skillId, limit) => questions.slice(0, limit);
}

/**
 * Question traffic for an evaluation, cross-fitted: the queries are split by position into two
 * halves, and each half is searched as if the other half's questions were the skill's recent
 * conversations. The product learns traffic from its real customers; a set's own questions are
 * the nearest stand-in, and this way no question's words are weighed by itself. Returns, for the
 * query at each position, the texts that stand for its traffic.
 */
export function crossFittedTraffic(queries: readonly EvalQuery[]): (position: number) => string[] {
  const texts = (half: number) => queries.filter((_, i) => i % 2 === half).map((q) => q.query);
  const otherHalf = [texts(1), texts(0)];
  return (position) => otherHalf[position % 2]!;
}

/**
 * The search for the query at each position: with {@link crossFittedTraffic} (one search per half),
 * or without `enabled`, the plain search for every query.
 */
export function trafficSearches(
  queries: readonly EvalQuery[],
  enabled: boolean,
  plain: KbSearch,
  withTraffic: (questions: string[]) => KbSearch,
): (position: number) => KbSearch {
  if (!enabled) return () => plain;
  const trafficAt = crossFittedTraffic(queries);
  const searches = [withTraffic(trafficAt(0)), withTraffic(trafficAt(1))];
  return (position) => searches[position % 2]!;
}
