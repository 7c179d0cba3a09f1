import type { KbHit } from '@repo/domain';
import type { Db } from './db';
import { stripNul } from './db';
import { allowedEdits, editDistance, scoreArticles, type PassageMatch, type QueryTerm, type ScoringWeights } from './kb-scoring';
import { ENGLISH_STOP_WORDS, KB_LEXICON, RUSSIAN_STOP_WORDS } from '@repo/domain';

/**
 * Tuning knobs of {@link searchKb}. Exported so tests and evaluation scripts can see what the search
 * assumes; the defaults are what the worker uses.
 */
export const KB_SEARCH_TUNING = {
  /** Trigram similarity from which an unknown query word is read as a typo of a vocabulary word. */
  typoSimilarity: 0.5,
  /** Least trigram similarity of a vocabulary lexeme considered as a correction at all. */
  typoCandidateSimilarity: 0.3,
  /** Corrections this close to the best one are kept as alternatives too. */
  typoSpread: 0.05,
  /** Shortest lexeme that is corrected: short words have too few trigrams to correct reliably. */
  typoMinLength: 4,
  /** How much a match through a typo correction counts compared with an exact one. */
  typoFactor: 0.9,
  /**
   * Shortest shared beginning through which two lexemes count as forms of one word: the stemmer
   * leaves derived words apart («гарантия» → гарант, «гарантийный» → гарантийн).
   */
  prefixMinLength: 5,
  /** How much a match through a related form counts compared with the word itself. */
  prefixFactor: 0.8,
  /**
   * Exponent applied to IDF weights. Below 1 it flattens them: one rare word (a verb form that a
   * single passage happens to use) no longer outweighs all the others of the question together.
   */
  idfPower: 0.5,
  /** How much a match through a skill synonym counts compared with the word itself. */
  synonymFactor: 0.9,
  /** How passage, article, title and heading coverage make up the score; see {@link ScoringWeights}. */
  weights: { passage: 0.4, article: 0.2, title: 0.2, heading: 0.2, marginRatio: 0.2, marginPenalty: 0.5 } as ScoringWeights,
  /**
   * Weight of a word no passage uses, relative to the rarest known word. Such words are often
   * question wording or forms the stemmer does not join, so full weight sinks good answers; some
   * weight keeps questions about things the knowledge base never mentions below the threshold.
   */
  unknownFactor: 0.6,
  /**
   * Most passages the candidate query may touch, counted by document frequency. The rarest query
   * lexemes are used for candidates until their frequencies add up to this; common words then only
   * score candidates, so a query with «заказ» does not score every passage of a large skill.
   */
  candidateBudget: 400,
  /**
   * Most candidate passages pre-scored. Reached only when even the rarest query word is common
   * (in a skill of near-identical articles); then an arbitrary subset of them is considered.
   */
  candidatePassages: 1000,
  /** Articles whose passages are all read and scored, after the pre-score. */
  candidateArticles: 30,
} as const;

/** One word of the query: the lexemes that count as it, each with how much a match through it counts. */
type Term = QueryTerm;

/**
 * BM25's inverse document frequency, always positive. A lexeme in every passage weighs ~0.1, one in
 * a single passage of 1,000 weighs ~7, so matching «заказ» proves far less than matching «рассрочк».
 */
function idf(df: number, n: number): number {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

/** Quotes a lexeme for tsquery input: it is already stemmed, so it must not be stemmed again. */
function quoteLexeme(lexeme: string): string {
  return `'${lexeme.replace(/'/g, "''").replace(/\\/g, '')}'`;
}

/** An OR tsquery of lexemes, for `to_tsquery('simple', …)`. */
function orQuery(lexemes: Iterable<string>): string {
  return [...lexemes].map(quoteLexeme).join(' | ');
}

/** The rarest lexemes whose document frequencies fit in `budget` (at least one). */
function candidateLexemes(lexemes: string[], df: Map<string, number>, budget: number): string[] {
  const sorted = [...new Set(lexemes)].sort((a, b) => (df.get(a) ?? 0) - (df.get(b) ?? 0));
  const chosen: string[] = [];
  let used = 0;
  for (const l of sorted) {
    const f = df.get(l) ?? 0;
    if (chosen.length > 0 && used + f > budget) break;
    chosen.push(l);
    used += f;
  }
  return chosen;
}

/** Splits a query into lowercase words, drops English stop words, and finds lexicon groups for the rest. */
function prepareQuery(query: string): { text: string; lexicon: string[][] } {
  const words = (
    stripNul(query)
      .toLowerCase()
      .replace(/ё/g, 'е')
      .match(/[\p{L}\p{N}]+(?:[-'][\p{L}\p{N}]+)*/gu) ?? []
  ).filter((w) => !ENGLISH_STOP_WORDS.has(w) && !RUSSIAN_STOP_WORDS.has(w));
  const lexicon: string[][] = [];
  for (const w of new Set(words)) {
    const translation = KB_LEXICON[w];
    if (translation !== undefined) lexicon.push([w, translation]);
  }
  return { text: words.join(' '), lexicon };
}

/** One row of {@link readVocabulary}; which columns are set depends on `kind`. */
type VocabularyRow = {
  /** `q` a query lexeme, `t` a typo candidate, `p` a related form, `s` a synonym-group lexeme, `n` the passage count. */
  kind: 'q' | 't' | 'p' | 's' | 'n';
  /** The query lexeme a `t` or `p` row is for. */
  query: string | null;
  lexeme: string | null;
  /** Document frequency in the skill (null: the skill never uses it); the passage count for `n`. */
  df: number | null;
  /** Trigram similarity of a typo candidate. */
  sim: number | null;
  /** Synonym group of an `s` row. */
  grp: string | null;
};

/**
 * Everything search needs to know about the query's words, in one round trip (under load each
 * round trip costs more than these index look-ups): the stemmed query lexemes with their document
 * frequencies; for unknown ones the nearest vocabulary lexemes by trigram distance (GiST index, see
 * the kb_lexemes_knn migration); related forms (vocabulary lexemes a query lexeme begins, or that
 * begin it: derivation changes the stem the stemmer leaves, «гарантия» → гарант, «гарантийный» →
 * гарантийн); the skill's synonym groups and the built-in lexicon's groups for the query's words
 * (settings are validated elsewhere, so be lenient here), each lexeme with its frequency; and the
 * skill's passage count.
 *
 * The skill filter of the nearest-lexeme search is written `(skill_id = $1) IS TRUE` so that no
 * index can serve it: the plan then has to walk the GiST index in distance order (skipping other
 * skills' lexemes). Without statistics (a freshly loaded skill, autovacuum not yet run) the planner
 * otherwise read all of the skill's lexemes by primary key and sorted them, ~35 ms a word at 3,000
 * articles.
 */
async function readVocabulary(
  db: Db,
  skillId: string,
  prepared: { text: string; lexicon: string[][] },
  tuning: { typoMinLength: number; typoCandidateSimilarity: number; prefixMinLength: number },
): Promise<VocabularyRow[]> {
  const extra = prepared.lexicon;
  return db.query<VocabularyRow>(
    `WITH q AS (
       SELECT q.lexeme, k.df FROM unnest(tsvector_to_array(to_tsvector('russian', $2))) AS q(lexeme)
       LEFT JOIN kb_lexemes k ON k.skill_id = $1 AND k.lexeme = q.lexeme
     ),
     syn AS (
       SELECT 's' || g.ord AS grp, l.lexeme
       FROM skills s
       CROSS JOIN LATERAL jsonb_array_elements(
         CASE WHEN jsonb_typeof(s.settings->'synonyms') = 'array' THEN s.settings->'synonyms' ELSE '[]'::jsonb END
       ) WITH ORDINALITY AS g(value, ord)
       CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(g.value) = 'array' THEN g.value ELSE '[]'::jsonb END) AS e(value)
       CROSS JOIN LATERAL unnest(tsvector_to_array(to_tsvector('russian', e.value #>> '{}'))) AS l(lexeme)
       WHERE s.id = $1 AND jsonb_typeof(e.value) = 'string'
       UNION
       SELECT 'x' || x.grp, l.lexeme
       FROM unnest($3::text[], $4::int[]) AS x(phrase, grp)
       CROSS JOIN LATERAL unnest(tsvector_to_array(to_tsvector('russian', x.phrase))) AS l(lexeme)
     )
     SELECT 'q' AS kind, q.lexeme AS query, q.lexeme, q.df, NULL::float8 AS sim, NULL::text AS grp FROM q
     UNION ALL
     SELECT 't', q.lexeme, c.lexeme, c.df, c.sim, NULL FROM q
     CROSS JOIN LATERAL (
       SELECT k.lexeme, k.df, similarity(k.lexeme, q.lexeme)::float8 AS sim FROM kb_lexemes k
       WHERE (k.skill_id = $1) IS TRUE ORDER BY k.lexeme <-> q.lexeme LIMIT 8
     ) c
     WHERE q.df IS NULL AND length(q.lexeme) >= $5 AND c.sim >= $6
     UNION ALL
     SELECT 'p', q.lexeme, c.lexeme, c.df, NULL, NULL FROM q
     CROSS JOIN LATERAL (
       SELECT k.lexeme, k.df FROM kb_lexemes k
       WHERE k.skill_id = $1 AND k.lexeme LIKE replace(replace(replace(q.lexeme, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '_%'
       ORDER BY length(k.lexeme), k.df DESC LIMIT 4
     ) c
     WHERE length(q.lexeme) >= $7
     UNION ALL
     SELECT 'p', q.lexeme, k.lexeme, k.df, NULL, NULL FROM q
     CROSS JOIN LATERAL (
       SELECT k.lexeme, k.df FROM kb_lexemes k
       WHERE k.skill_id = $1 AND k.lexeme = ANY(ARRAY(SELECT left(q.lexeme, g.len) FROM generate_series($7, length(q.lexeme) - 1) AS g(len)))
     ) k
     UNION ALL
     SELECT 's', NULL, syn.lexeme, k.df, NULL, syn.grp FROM syn
     LEFT JOIN kb_lexemes k ON k.skill_id = $1 AND k.lexeme = syn.lexeme
     UNION ALL
     SELECT 'n', NULL, NULL, (SELECT passages FROM kb_search_stats WHERE skill_id = $1), NULL, NULL`,
    [
      skillId,
      prepared.text,
      extra.flat(),
      extra.flatMap((g, i) => g.map(() => i)),
      tuning.typoMinLength,
      tuning.typoCandidateSimilarity,
      tuning.prefixMinLength,
    ],
  );
}

/**
 * Searches a skill's passages; see `KbRepo.search` for the contract.
 *
 * The score is the IDF-weighted share of the query's words that an article covers (its best
 * passage, the whole article, its title and tags, the passage's heading; see {@link scoreArticles}),
 * so it lies in 0..1 and means the same in every skill, while rare, telling words decide more than
 * common ones. Query words missing from the skill's vocabulary are corrected to the nearest
 * vocabulary lexemes by trigram similarity or edit distance (typos: «доставкаа», «удоление»); a
 * lexeme also matches longer or shorter related forms (гарант / гарантийн); words of a skill's
 * synonym group and of the built-in lexicon match through the group's other words.
 */
export async function searchKb(db: Db, skillId: string, query: string, limit: number): Promise<KbHit[]> {
  const tuning = KB_SEARCH_TUNING;
  const prepared = prepareQuery(query);
  const vocabulary = await readVocabulary(db, skillId, prepared, tuning);
  const known = vocabulary.filter((r) => r.kind === 'q');
  if (known.length === 0) return [];
  const n = Math.max(1, vocabulary.find((r) => r.kind === 'n')?.df ?? 0);
  const df = new Map<string, number>();
  for (const r of vocabulary) if (r.lexeme !== null && r.df !== null && r.df > 0) df.set(r.lexeme, r.df);

  // Typo correction: only words the skill never uses, so a correct rare word is never "corrected".
  const corrections = new Map<string, string[]>();
  const byQuery = new Map<string, { lexeme: string; sim: number; edits: number }[]>();
  for (const r of vocabulary) {
    if (r.kind !== 't' || r.query === null || r.lexeme === null) continue;
    const list = byQuery.get(r.query) ?? [];
    list.push({ lexeme: r.lexeme, sim: r.sim ?? 0, edits: editDistance(r.query, r.lexeme) });
    byQuery.set(r.query, list);
  }
  for (const [q, list] of byQuery) {
    const allowed = allowedEdits([...q].length);
    const fewest = Math.min(...list.map((c) => c.edits));
    const bestSim = Math.max(...list.map((c) => c.sim));
    // The closest spellings by edit distance, and the best by trigrams (which catch doubled or
    // missing letters at the ends of long words: «доставкаа»).
    const chosen = list.filter(
      (c) => (c.edits <= allowed && c.edits === fewest) || (c.sim >= tuning.typoSimilarity && c.sim >= bestSim - tuning.typoSpread),
    );
    if (chosen.length > 0)
      corrections.set(
        q,
        chosen.map((c) => c.lexeme),
      );
  }
  const related = new Map<string, string[]>();
  for (const r of vocabulary) {
    if (r.kind !== 'p' || r.query === null || r.lexeme === null || r.lexeme === r.query) continue;
    related.set(r.query, [...(related.get(r.query) ?? []), r.lexeme]);
  }
  const groupSets = new Map<string, Set<string>>();
  for (const r of vocabulary) {
    if (r.kind !== 's' || r.grp === null || r.lexeme === null) continue;
    const group = groupSets.get(r.grp) ?? new Set<string>();
    group.add(r.lexeme);
    groupSets.set(r.grp, group);
  }
  const groups = [...groupSets.values()].map((g) => [...g]);
  const terms: Term[] = [];
  for (const { lexeme } of known) {
    if (lexeme === null) continue;
    const alternatives = new Map<string, number>([[lexeme, 1]]);
    for (const c of corrections.get(lexeme) ?? []) alternatives.set(c, Math.max(alternatives.get(c) ?? 0, tuning.typoFactor));
    for (const r of related.get(lexeme) ?? []) alternatives.set(r, Math.max(alternatives.get(r) ?? 0, tuning.prefixFactor));
    for (const [alt, factor] of [...alternatives]) {
      for (const group of groups) {
        if (!group.includes(alt)) continue;
        for (const syn of group) alternatives.set(syn, Math.max(alternatives.get(syn) ?? 0, factor * tuning.synonymFactor));
      }
    }
    terms.push({ weight: 0, alternatives });
  }
  for (const term of terms) {
    const alternatives = term.alternatives;
    // The word weighs what its most common matching form weighs: a synonym or correction must not
    // make a common word look rare. A word nobody in the skill uses weighs as much as the rarest,
    // which keeps out-of-KB questions ("погода на марсе") below the threshold.
    const dfs = [...alternatives.keys()].map((l) => df.get(l) ?? 0);
    const maxDf = Math.max(...dfs);
    term.weight = (maxDf > 0 ? idf(maxDf, n) : tuning.unknownFactor * idf(1, n)) ** tuning.idfPower;
  }
  const total = terms.reduce((s, t) => s + t.weight, 0);
  for (const t of terms) t.weight /= total;
  // One row per (word, lexeme that counts as it): the lexeme, its word, and what a match through it
  // is worth, with the tsqueries that test it anywhere, in the title or tags (A), or in a heading (B).
  const alts: { lexeme: string; term: number; w: number }[] = [];
  for (const [i, t] of terms.entries()) {
    for (const [l, factor] of t.alternatives) if (df.has(l)) alts.push({ lexeme: l, term: i, w: t.weight * factor });
  }
  if (alts.length === 0) return [];
  const lexemes = [...new Set(alts.map((a) => a.lexeme))];

  // Three stages in one statement, each bounded, because a large skill has thousands of passages
  // with common words:
  // 1. candidate passages contain one of the rarest query lexemes (`candidateBudget`), at most
  //    `candidatePassages` of them, found through the full-text index (the skill filter is written
  //    so no index serves it: without statistics the planner read every passage of the skill by the
  //    skill index and tested each, 28 ms at 3,000 articles, instead of the few the GIN index finds);
  // 2. each is tested lexeme by lexeme with `@@` (a binary search in the passage's vector, far cheaper
  //    than unnesting it) and pre-scored by its coverage, title words counting extra; the
  //    `candidateArticles` best articles go on;
  // 3. all passages of those articles that contain any query lexeme are read with where each lexeme
  //    occurs, for {@link scoreArticles} to score per article (whole-article coverage needs them).
  const rows = await db.query<{
    id: number;
    article_id: number;
    title: string;
    text: string;
    url: string | null;
    rank: number;
    codes: number[];
  }>(
    `WITH a AS (
       SELECT x.ord, x.term, x.w, x.q::tsquery AS q, (x.q || ':A')::tsquery AS qa, (x.q || ':AB')::tsquery AS qab
       FROM unnest($3::text[], $4::int[], $5::float8[]) WITH ORDINALITY AS x(q, term, w, ord)
     ),
     cand AS (
       SELECT p.id, p.article_id, p.tsv FROM kb_passages p
       WHERE (p.skill_id = $1) IS TRUE AND p.tsv @@ to_tsquery('simple', $2)
       LIMIT $7
     ),
     pre AS (
       SELECT c.article_id, max(s.pre) AS pre
       FROM cand c
       CROSS JOIN LATERAL (
         SELECT sum(t.m) AS pre FROM (
           SELECT max(CASE WHEN c.tsv @@ a.qa THEN 1.5 * a.w WHEN c.tsv @@ a.q THEN a.w ELSE 0 END) AS m FROM a GROUP BY a.term
         ) t
       ) s
       GROUP BY c.article_id
       ORDER BY pre DESC
       LIMIT $8
     ),
     fq AS (SELECT to_tsquery('simple', $6) AS query)
     SELECT p.id, p.article_id, ar.title, p.text, ar.url, ts_rank_cd(p.tsv, fq.query) AS rank,
       ARRAY(SELECT CASE WHEN p.tsv @@ a.qa THEN 3 WHEN p.tsv @@ a.qab THEN 2 WHEN p.tsv @@ a.q THEN 1 ELSE 0 END FROM a ORDER BY a.ord) AS codes
     FROM kb_passages p JOIN kb_articles ar ON ar.id = p.article_id CROSS JOIN fq
     WHERE p.article_id IN (SELECT article_id FROM pre) AND p.tsv @@ fq.query`,
    [
      skillId,
      orQuery(candidateLexemes(lexemes, df, tuning.candidateBudget)),
      alts.map((a) => quoteLexeme(a.lexeme)),
      alts.map((a) => a.term),
      alts.map((a) => a.w),
      orQuery(lexemes),
      tuning.candidatePassages,
      tuning.candidateArticles,
    ],
  );
  const letters = ['', 'C', 'B', 'A'];
  const passages: PassageMatch[] = rows.map((r) => {
    const found = new Map<string, string>();
    for (const [k, code] of r.codes.entries()) {
      const alt = alts[k];
      if (alt && code > 0) found.set(alt.lexeme, letters[code] ?? '');
    }
    return { passageId: r.id, articleId: r.article_id, rank: r.rank, lexemes: found };
  });
  const scored = scoreArticles(terms, passages, tuning.weights).slice(0, limit);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const hits: KbHit[] = [];
  for (const h of scored) {
    const d = byId.get(h.passageId);
    if (d) {
      hits.push({
        articleId: d.article_id,
        passageId: d.id,
        title: d.title,
        passage: d.text,
        score: h.score,
        sourceUrl: d.url ?? undefined,
        ...(h.unscaled !== undefined ? { unscaledScore: h.unscaled } : {}),
      });
    }
  }
  return hits;
}
