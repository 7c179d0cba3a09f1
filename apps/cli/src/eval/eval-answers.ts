import { writeFileSync } from 'node:fs';
import { composerOf, createKbSearch, runTurn, type KbSearch, type ReplyComposer, type TurnOutcome } from '@repo/ai';
import { llmSettings, loadConfig, RequiredLlmEnv, parseScriptArgs } from '@repo/config';
import type { KbIndexSnapshot } from '@repo/store';
import { EvalRetrievalEnv } from '../config';
import {
  crossFitted,
  learntSearches,
  learntSource,
  readJsonl,
  round,
  withEvalKb,
  type EvalArticle,
  type EvalQuery,
  type Learnt,
  type LoadedEvalKb,
} from './eval-kb';
import { asLetter } from './as-letters';

/** What `--help` prints, and what follows an error in the command line. */
const USAGE = `Usage: npm run eval:answers -- --articles A.jsonl --queries Q.jsonl [options]
Runs each question through the worker's classify -> retrieve -> decide core on the articles and
counts answered right, answered wrong, clarified and handed off.
  --leave-out         remove each question's relevant articles first (any answer is then wrong)
  --no-traffic        without question traffic learnt from the other half of the questions
  --as-letters        write each question as an e-mail: a greeting before it, a signature after
  --agents-answered   as if agents had answered the other half of the questions
  --show-errors       print the wrongly answered questions
  --dump FILE         write one row per question (action, confidence, right or not; no text)
  --llm               end the core with the worker's configured LLM (LLM_* settings)
  --answer-mode M     llm or extractive, with --llm (default llm)
  --database-url URL  PostgreSQL server (default: DATABASE_URL)
  --keep              keep the evaluation database afterwards`;

type Counts = {
  queries: number;
  answered_right: number;
  answered_wrong: number;
  clarified: number;
  handed_off: number;
  ignored: number;
  /** Queries with `answer_contains` whose top hit is relevant, and how many of those quote a passage containing it. */
  passage_checked: number;
  passage_right: number;
  /** With `--llm`: turns the LLM handed off as requests for a person (on a set of questions, all false). */
  llm_handed_off?: number;
  /** With `--llm`: answers whose generated text was not used (the quote was sent instead). */
  llm_ungrounded?: number;
};

function isAnswerMode(value: string): value is 'llm' | 'extractive' {
  return value === 'llm' || value === 'extractive';
}

/**
 * A search over the knowledge base with some articles taken out, as if they had never been
 * imported: the index is built from the store's snapshot without them and calibrated afresh, the
 * same way the worker builds and calibrates a changed knowledge base.
 */
function searchWithout(kb: LoadedEvalKb, snapshot: KbIndexSnapshot, removed: Set<string>, key: string, learnt: Learnt): KbSearch {
  const articles = snapshot.articles.filter((a) => !removed.has(kb.externalOf.get(a.id) ?? ''));
  return createKbSearch({
    version: async () => `leave-out:${key}`,
    snapshot: async () => ({ version: `leave-out:${key}`, articles, synonyms: snapshot.synonyms }),
    ...learntSource(learnt),
  });
}

/**
 * Runs each query through the pipeline core the worker runs (classify → retrieve → decide, as the
 * first customer message of a new ticket, with the skill's default settings) and counts what the
 * bot did: answered with a relevant article, answered with another one, asked to clarify, handed
 * off, or ignored the message. With `--leave-out`, each query's relevant articles are removed from
 * the knowledge base first, so every answer is wrong: how often the bot speaks about something it
 * does not know. Where a query names text the quote must contain (`answer_contains`), the passage
 * the top hit would quote is checked whenever that hit is relevant (`passage_checked`,
 * `passage_right`). Follow-ups (`previous`) are searched as the worker searches them. With
 * `--llm`, the pipeline ends with the LLM of the worker's `LLM_*` settings, as the worker's does
 * (`--answer-mode llm`, the default with `--llm`: generated answers; `extractive`: quotes, read by
 * the request reader when `LLM_READS_REQUESTS` is on); each question then goes to that provider.
 * The last line is one JSON object.
 */
async function main(): Promise<void> {
  const values = parseScriptArgs(
    {
      articles: { type: 'string' },
      queries: { type: 'string' },
      'database-url': { type: 'string' },
      keep: { type: 'boolean' },
      'leave-out': { type: 'boolean' },
      'show-errors': { type: 'boolean' },
      dump: { type: 'string' },
      'no-traffic': { type: 'boolean' },
      'as-letters': { type: 'boolean' },
      'agents-answered': { type: 'boolean' },
      llm: { type: 'boolean' },
      'answer-mode': { type: 'string' },
    },
    USAGE,
  );
  const answerMode = values['answer-mode'] ?? 'llm';
  if (!isAnswerMode(answerMode)) throw new Error('--answer-mode must be llm or extractive');
  if (values['answer-mode'] && !values.llm) throw new Error('--answer-mode needs --llm');
  if (!values.articles || !values.queries) {
    throw new Error(`--articles and --queries are required.

${USAGE}`);
  }
  const articles = readJsonl<EvalArticle>(values.articles);
  const asked = readJsonl<EvalQuery>(values.queries);
  const queries = values['as-letters'] ? asked.map(asLetter) : asked;
  const leaveOut = values['leave-out'] === true;
  const env = loadConfig(EvalRetrievalEnv);
  // The worker's LLM settings, read only when asked for (a config error names the variable, never its value).
  const composer: ReplyComposer | undefined = values.llm ? composerOf(llmSettings(loadConfig(RequiredLlmEnv))) : undefined;
  await withEvalKb(values['database-url'] ?? env.DATABASE_URL, articles, { keep: values.keep === true }, async (kb) => {
    const counts: Counts = {
      queries: 0,
      answered_right: 0,
      answered_wrong: 0,
      clarified: 0,
      handed_off: 0,
      ignored: 0,
      passage_checked: 0,
      passage_right: 0,
      ...(composer ? { llm_handed_off: 0, llm_ungrounded: 0 } : {}),
    };
    const skill = composer ? { ...kb.skill, answerMode } : kb.skill;
    const snapshot = leaveOut ? await kb.store.kb.indexSnapshot(kb.skillId) : undefined;
    // Queries with the same relevant articles share one reduced knowledge base.
    const reduced = new Map<string, KbSearch>();
    // One row per question for calibration analysis (no question text: the sets are not ours to copy).
    const dumpRows: Array<Record<string, unknown>> | undefined = values.dump ? [] : undefined;
    const now = new Date('2026-01-15T12:00:00Z');
    const learning = { traffic: values['no-traffic'] !== true, ...(values['agents-answered'] ? { answeredWith: articles } : {}) };
    const learns = learning.traffic || learning.answeredWith !== undefined;
    const searchAt = learntSearches(queries, learning, kb.search, kb.searchWith);
    // The reduced knowledge bases learn from the same cross-fitted conversations as the full one
    // (an answer that quotes a removed article teaches them nothing).
    const learntAt = crossFitted(queries, learning);
    for (const [position, q] of queries.entries()) {
      const relevant = new Set(q.relevant_article_ids.map(String));
      if (leaveOut && relevant.size === 0) continue;
      let search: KbSearch = searchAt(position);
      if (snapshot) {
        const key = `${learns ? position % 2 : '-'}\u0002${[...relevant].sort().join('\u0001')}`;
        search = reduced.get(key) ?? searchWithout(kb, snapshot, relevant, String(reduced.size), learns ? learntAt(position) : {});
        reduced.set(key, search);
      }
      const outcome: TurnOutcome = await runTurn(
        { search, ...(composer ? { composer } : {}) },
        { skillId: kb.skillId, skill, text: q.query, now, ...(q.previous ? { previousQuestion: async () => q.previous } : {}) },
      );
      counts.queries += 1;
      const d = outcome.decision;
      if (composer && d.reasons.includes('llm_person_requested')) counts.llm_handed_off! += 1;
      if (composer && d.reasons.includes('llm_ungrounded')) counts.llm_ungrounded! += 1;
      if (dumpRows) {
        const topId = outcome.hits[0] ? kb.externalOf.get(outcome.hits[0].articleId) : undefined;
        dumpRows.push({
          action: d.action,
          confidence: d.confidence ?? null,
          top_relevant: !leaveOut && topId !== undefined && relevant.has(topId),
          reasons: d.reasons ?? [],
        });
      }
      // Passage choice, whatever the decision: when the top hit is a relevant article, does the
      // passage it would quote contain the text the query names?
      const top = outcome.hits[0];
      if (!leaveOut && q.answer_contains && top && relevant.has(kb.externalOf.get(top.articleId) ?? '')) {
        counts.passage_checked += 1;
        if (top.passage.toLowerCase().includes(q.answer_contains.toLowerCase())) counts.passage_right += 1;
        else if (values['show-errors'])
          process.stdout.write(`${JSON.stringify({ wrong_passage: q.query, quoted: top.passage.slice(0, 120) })}\n`);
      }
      if (d.action === 'answer') {
        const cited = (d.citations ?? []).map((id) => kb.externalOf.get(id));
        const right = !leaveOut && cited.length > 0 && cited.every((id) => id !== undefined && relevant.has(id));
        if (right) {
          counts.answered_right += 1;
        } else {
          counts.answered_wrong += 1;
          if (values['show-errors'])
            process.stdout.write(
              `${JSON.stringify({ wrong_answer: q.query, cited, relevant: [...relevant], confidence: d.confidence })}\n`,
            );
        }
      } else if (d.action === 'clarify') counts.clarified += 1;
      else if (d.action === 'handoff') {
        counts.handed_off += 1;
        if (values['show-errors'] && !leaveOut) {
          const topId = top ? kb.externalOf.get(top.articleId) : undefined;
          process.stdout.write(
            `${JSON.stringify({ handed_off: q.query, reasons: d.reasons, confidence: d.confidence, top: topId, top_score: top?.score })}\n`,
          );
        }
      } else counts.ignored += 1;
    }
    if (values.dump && dumpRows) writeFileSync(values.dump, dumpRows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const answered = counts.answered_right + counts.answered_wrong;
    process.stdout.write(
      `${JSON.stringify({
        ...counts,
        mode: leaveOut ? 'leave-out' : 'full',
        traffic: learning.traffic ? 'cross-fitted halves' : 'none',
        questions: values['as-letters'] ? 'as letters' : 'as written',
        agents_answered: learning.answeredWith ? 'cross-fitted halves' : 'none',
        ...(composer ? { llm: answerMode } : {}),
        answered_share: round(counts.queries ? answered / counts.queries : 0),
        right_share_of_answers: round(answered ? counts.answered_right / answered : 0),
        right_share_of_queries: round(counts.queries ? counts.answered_right / counts.queries : 0),
      })}\n`,
    );
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
