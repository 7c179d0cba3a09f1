import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { createKbSearch, type AnsweredConversation, type KbSearch, type KbSearchSource } from '@repo/ai';
import { parseSkillSettings, type SkillSettings } from '@repo/domain';
import { createStore, kbSearchSourceOf, migrate, settleImport, type Store } from '@repo/store';

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
  /** The same search with what the skill's conversations would have taught it (see {@link learntSearches}). */
  searchWith(learnt: Learnt): KbSearch;
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
      await settleImport(store.kb, { created: articles.length, updated: 0, deleted: 0 });
      const loadMs = Date.now() - started;
      // The worker's view of the store, minus its conversations (the evaluation supplies its own).
      const { recentQuestions: _none, answeredConversations: _noAnswers, ...source } = kbSearchSourceOf(store.kb);
      const searchWith = (learnt: Learnt) => createKbSearch({ ...source, ...learntSource(learnt) });
      const skill = parseSkillSettings(skillRow.settings);
      return await fn({ store, skillId: skillRow.id, skill, externalOf, search: createKbSearch(source), searchWith, loadMs });
    } finally {
      await store.close();
    }
  } finally {
    if (!options.keep) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

/** What a skill's conversations teach its search, as an evaluation stands them in (see {@link crossFitted}). */
export type Learnt = { traffic?: string[]; answered?: AnsweredConversation[] };

/** Fixed conversations as a knowledge-base source's `recentQuestions` and `answeredConversations`. */
export function learntSource(learnt: Learnt): Pick<KbSearchSource, 'recentQuestions' | 'answeredConversations'> {
  const { traffic, answered } = learnt;
  return {
    ...(traffic ? { recentQuestions: async (_skillId: string, limit: number) => traffic.slice(0, limit) } : {}),
    ...(answered ? { answeredConversations: async (_skillId: string, limit: number) => answered.slice(0, limit) } : {}),
  };
}

/** Which conversations an evaluation stands in: question traffic, and agents' answers (both cross-fitted). */
export type LearntOptions = {
  traffic: boolean;
  /** The set's articles, when agents are taken to have answered the other half's questions with them. */
  answeredWith?: readonly EvalArticle[];
};

/**
 * What a skill's conversations would have taught it, for an evaluation, cross-fitted: the queries
 * are split by position into two halves, and each half is searched as if the other half were the
 * skill's recent conversations. The product learns from its real customers; a set's own questions
 * are the nearest stand-in, and this way no question is searched with what it taught itself.
 * - traffic: the other half's question texts (no label read);
 * - answered (`answeredWith`): each labelled question of the other half as a conversation a live
 *   agent answered by pasting its first relevant article's text, as agents answer from a knowledge
 *   base. This reads the other half's labels: it measures the search after agents have answered
 *   such questions, never a cold start.
 * Returns, for the query at each position, what stands in for its skill's conversations.
 */
export function crossFitted(queries: readonly EvalQuery[], options: LearntOptions): (position: number) => Learnt {
  const bodyOf = new Map((options.answeredWith ?? []).map((a) => [String(a.id), a.body]));
  const half = (h: number): Learnt => {
    const own = queries.filter((_, i) => i % 2 === h);
    const answered: AnsweredConversation[] = [];
    for (const q of own) {
      const reply = bodyOf.get(String(q.relevant_article_ids[0] ?? ''));
      if (reply !== undefined) answered.push({ question: q.query, reply });
    }
    return {
      ...(options.traffic ? { traffic: own.map((q) => q.query) } : {}),
      ...(options.answeredWith ? { answered } : {}),
    };
  };
  const otherHalf = [half(1), half(0)];
  return (position) => otherHalf[position % 2]!;
}

/**
 * The search for the query at each position: with {@link crossFitted} conversations (one search per
 * half), or, when nothing is learnt, the plain search for every query.
 */
export function learntSearches(
  queries: readonly EvalQuery[],
  options: LearntOptions,
  plain: KbSearch,
  searchWith: (learnt: Learnt) => KbSearch,
): (position: number) => KbSearch {
  if (!options.traffic && !options.answeredWith) return () => plain;
  const learntAt = crossFitted(queries, options);
  const searches = [searchWith(learntAt(0)), searchWith(learntAt(1))];
  return (position) => searches[position % 2]!;
}
