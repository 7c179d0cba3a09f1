import type { KbHit } from '@repo/domain';
import type { Db } from './db';
import { stripNul } from './db';
import { ENGLISH_STOP_WORDS, KB_LEXICON, RUSSIAN_STOP_WORDS } from './kb-lexicon';

/**
 * Tuning knobs of {@link searchKb}. Exported so tests and evaluation scripts can see what the search
 * assumes; the defaults are what the worker uses.
 */
export const KB_SEARCH_TUNING = {
  /** Trigram similarity from which an unknown query word is read as a typo of a vocabulary word. */
  typoSimilarity: 0.5,
  /** Corrections this close to the best one are kept as alternatives too. */
  typoSpread: 0.05,
  /** Shortest lexeme that is corrected: short words have too few trigrams to correct reliably. */
  typoMinLength: 4,
  /** How much a match through a typo correction counts compared with an exact one. */
  typoFactor: 0.9,
  /** How much a match through a skill synonym counts compared with the word itself. */
  synonymFactor: 0.9,
  /** Share of the score that comes from the whole passage; the rest from the title (and tags). */
  bodyShare: 0.75,
  /**
   * Weight of a word no passage uses, relative to the rarest known word. Such words ("сколько",
   * "идёт") are mostly question wording, so full weight sinks good answers; some weight keeps
   * questions about things the knowledge base never mentions below the threshold.
   */
  unknownFactor: 0.6,
  /**
   * Most passages the candidate query may touch, counted by document frequency. The rarest query
   * lexemes are used for candidates until their frequencies add up to this; common words then only
   * score candidates, so a query with «заказ» does not score every passage of a large skill.
   */
  candidateBudget: 400,
  /** Passages scored in SQL before they are grouped by article. */
  candidates: 100,
} as const;

/** One word of the query: the lexemes that count as it, each with how much a match through it counts. */
type Term = { weight: number; alternatives: Map<string, number> };

/**
 * BM25's inverse document frequency, always positive. A lexeme in every passage weighs ~0.1, one in
 * a single passage of 1,000 weighs ~7, so matching «заказ» proves far less than matching «рассрочк».
 */
function idf(df: number, n: number): number {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

/** Quotes lexemes for a `simple` tsquery: they are already stemmed, so `simple` must not stem again. */
function orQuery(lexemes: Iterable<string>): string {
  return [...lexemes].map((l) => `'${l.replace(/'/g, "''").replace(/\\/g, '')}'`).join(' | ');
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

/**
 * Reads a skill's synonym groups plus the built-in lexicon groups for the query's words, as groups
 * of lexemes stemmed like the passages. Settings are validated elsewhere, so be lenient here.
 */
async function synonymGroups(db: Db, skillId: string, extra: string[][]): Promise<string[][]> {
  const rows = await db.query<{ grp: string; lexemes: string[] }>(
    `SELECT 's' || g.ord AS grp, tsvector_to_array(to_tsvector('russian', e.value #>> '{}')) AS lexemes
     FROM skills s
     CROSS JOIN LATERAL jsonb_array_elements(
       CASE WHEN jsonb_typeof(s.settings->'synonyms') = 'array' THEN s.settings->'synonyms' ELSE '[]'::jsonb END
     ) WITH ORDINALITY AS g(value, ord)
     CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(g.value) = 'array' THEN g.value ELSE '[]'::jsonb END) AS e(value)
     WHERE s.id = $1 AND jsonb_typeof(e.value) = 'string'
     UNION ALL
     SELECT 'x' || x.grp, tsvector_to_array(to_tsvector('russian', x.phrase))
     FROM unnest($2::text[], $3::int[]) AS x(phrase, grp)`,
    [skillId, extra.flat(), extra.flatMap((g, i) => g.map(() => i))],
  );
  const groups = new Map<string, Set<string>>();
  for (const r of rows) {
    const group = groups.get(r.grp) ?? new Set<string>();
    for (const l of r.lexemes) group.add(l);
    groups.set(r.grp, group);
  }
  return [...groups.values()].map((g) => [...g]);
}

/** Splits a query into lowercase words, drops English stop words, and finds lexicon groups for the rest. */
function prepareQuery(query: string): { text: string; lexicon: string[][] } {
  const words = (stripNul(query).toLowerCase().replace(/ё/g, 'е').match(/[\p{L}\p{N}]+(?:[-'][\p{L}\p{N}]+)*/gu) ?? [])
    .filter((w) => !ENGLISH_STOP_WORDS.has(w) && !RUSSIAN_STOP_WORDS.has(w));
  const lexicon: string[][] = [];
  for (const w of new Set(words)) {
    const translation = KB_LEXICON[w];
    if (translation !== undefined) lexicon.push([w, translation]);
  }
  return { text: words.join(' '), lexicon };
}

/**
 * Searches a skill's passages; see `KbRepo.search` for the contract.
 *
 * The score is the IDF-weighted share of the query's words that a passage covers (title and tags
 * counting extra), so it lies in 0..1 and means the same in every skill, while rare, telling words
 * decide more than common ones. Query words missing from the skill's vocabulary are corrected to
 * the nearest vocabulary lexeme by trigram similarity (typos: «доставкаа»), and words of a skill's
 * synonym group also match through the group's other words.
 */
export async function searchKb(db: Db, skillId: string, query: string, limit: number): Promise<KbHit[]> {
  const tuning = KB_SEARCH_TUNING;
  const prepared = prepareQuery(query);
  const known = await db.query<{ lexeme: string; df: number | null; n: number | null }>(
    `SELECT q.lexeme, k.df, (SELECT passages FROM kb_search_stats WHERE skill_id = $1) AS n
     FROM unnest(tsvector_to_array(to_tsvector('russian', $2))) AS q(lexeme)
     LEFT JOIN kb_lexemes k ON k.skill_id = $1 AND k.lexeme = q.lexeme`,
    [skillId, prepared.text],
  );
  if (known.length === 0) return [];
  const n = Math.max(1, known[0]?.n ?? 0);
  const df = new Map<string, number>();
  for (const r of known) if (r.df !== null && r.df > 0) df.set(r.lexeme, r.df);

  // Typo correction: only words the skill never uses, so a correct rare word is never "corrected".
  const unknown = known.map((r) => r.lexeme).filter((l) => !df.has(l) && [...l].length >= tuning.typoMinLength);
  const corrections = new Map<string, { lexeme: string; sim: number }[]>();
  if (unknown.length > 0) {
    const rows = await db.query<{ query: string; lexeme: string; df: number; sim: number }>(
      `SELECT q.lexeme AS query, c.lexeme, c.df, c.sim
       FROM unnest($2::text[]) AS q(lexeme)
       CROSS JOIN LATERAL (
         SELECT k.lexeme, k.df, similarity(k.lexeme, q.lexeme) AS sim
         FROM kb_lexemes k
         WHERE k.skill_id = $1 AND k.lexeme % q.lexeme
         ORDER BY sim DESC, k.df DESC
         LIMIT 3
       ) c
       WHERE c.sim >= $3`,
      [skillId, unknown, tuning.typoSimilarity],
    );
    for (const r of rows) {
      df.set(r.lexeme, r.df);
      const list = corrections.get(r.query) ?? [];
      if (list.length === 0 || r.sim >= list[0]!.sim - tuning.typoSpread) list.push({ lexeme: r.lexeme, sim: r.sim });
      corrections.set(r.query, list);
    }
  }

  const groups = await synonymGroups(db, skillId, prepared.lexicon);
  const terms: Term[] = [];
  for (const { lexeme } of known) {
    const alternatives = new Map<string, number>([[lexeme, 1]]);
    for (const c of corrections.get(lexeme) ?? []) alternatives.set(c.lexeme, Math.max(alternatives.get(c.lexeme) ?? 0, tuning.typoFactor));
    for (const [alt, factor] of [...alternatives]) {
      for (const group of groups) {
        if (!group.includes(alt)) continue;
        for (const syn of group) alternatives.set(syn, Math.max(alternatives.get(syn) ?? 0, factor * tuning.synonymFactor));
      }
    }
    terms.push({ weight: 0, alternatives });
  }
  // Synonyms and translations bring lexemes whose frequency is not known yet.
  const missing = [...new Set(terms.flatMap((t) => [...t.alternatives.keys()]))].filter((l) => !df.has(l));
  if (missing.length > 0) {
    const rows = await db.query<{ lexeme: string; df: number }>(
      'SELECT lexeme, df FROM kb_lexemes WHERE skill_id = $1 AND lexeme = ANY($2::text[]) AND df > 0',
      [skillId, missing],
    );
    for (const r of rows) df.set(r.lexeme, r.df);
  }
  for (const term of terms) {
    const alternatives = term.alternatives;
    // The word weighs what its most common matching form weighs: a synonym or correction must not
    // make a common word look rare. A word nobody in the skill uses weighs as much as the rarest,
    // which keeps out-of-KB questions ("погода на марсе") below the threshold.
    const dfs = [...alternatives.keys()].map((l) => df.get(l) ?? 0);
    const maxDf = Math.max(...dfs);
    term.weight = maxDf > 0 ? idf(maxDf, n) : tuning.unknownFactor * idf(1, n);
  }
  const total = terms.reduce((s, t) => s + t.weight, 0);
  const lexemes: string[] = [];
  const termIds: number[] = [];
  const weights: number[] = [];
  for (const [i, t] of terms.entries()) {
    for (const [l, factor] of t.alternatives) {
      if (!df.has(l)) continue; // cannot match anything
      lexemes.push(l);
      termIds.push(i);
      weights.push((t.weight * factor) / total);
    }
  }
  if (lexemes.length === 0) return [];

  const rows = await db.query<{
    id: number; article_id: number; title: string; text: string; url: string | null;
    rank: number; matched: number; title_matched: number;
  }>(
    `WITH t AS (SELECT * FROM unnest($3::text[], $4::int[], $5::float8[]) AS t(lexeme, term, w)),
          q AS (SELECT to_tsquery('simple', $2) AS query)
     SELECT p.id, p.article_id, a.title, p.text, a.url, ts_rank_cd(p.tsv, q.query) AS rank, s.matched, s.title_matched
     FROM kb_passages p
     JOIN kb_articles a ON a.id = p.article_id
     CROSS JOIN q
     CROSS JOIN LATERAL (SELECT tsvector_to_array(p.tsv) AS arr, tsvector_to_array(ts_filter(p.tsv, '{a}')) AS tarr) v
     CROSS JOIN LATERAL (
       SELECT coalesce(sum(m.w), 0)::float8 AS matched, coalesce(sum(m.tw), 0)::float8 AS title_matched
       FROM (
         SELECT max(t.w) AS w, max(CASE WHEN t.lexeme = ANY(v.tarr) THEN t.w ELSE 0 END) AS tw
         FROM t WHERE t.lexeme = ANY(v.arr) GROUP BY t.term
       ) m
     ) s
     WHERE p.skill_id = $1 AND p.tsv @@ q.query
     ORDER BY $6::float8 * s.matched + (1 - $6::float8) * s.title_matched DESC, rank DESC
     LIMIT $7`,
    [skillId, orQuery(candidateLexemes(lexemes, df, tuning.candidateBudget)), lexemes, termIds, weights, tuning.bodyShare, tuning.candidates],
  );
  const best = new Map<number, KbHit & { rank: number }>();
  for (const r of rows) {
    const score = Math.min(1, tuning.bodyShare * r.matched + (1 - tuning.bodyShare) * r.title_matched);
    const hit = { articleId: r.article_id, passageId: r.id, title: r.title, passage: r.text, score, sourceUrl: r.url ?? undefined, rank: r.rank };
    const current = best.get(r.article_id);
    if (!current || hit.score > current.score || (hit.score === current.score && hit.rank > current.rank)) best.set(r.article_id, hit);
  }
  return [...best.values()]
    .sort((a, b) => b.score - a.score || b.rank - a.rank)
    .slice(0, limit)
    .map(({ rank: _rank, ...hit }) => hit);
}
