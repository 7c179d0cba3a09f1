/**
 * Article-level scoring of knowledge-base search, kept apart from the SQL so it can be tested and
 * tuned without a database. {@link searchKb} fetches, for every candidate passage, which query
 * lexemes it contains and where (title and tags, heading, text); this module turns that into one
 * score per article in 0..1.
 */

/** One word of the query: the lexemes that count as it, each with how much a match through it counts. */
export type QueryTerm = {
  /** Share of the query this word stands for; the weights of a query add up to 1. */
  weight: number;
  /** Lexeme → factor in 0..1 (1 for the word itself, less for a typo correction or synonym). */
  alternatives: Map<string, number>;
};

/** Where a passage contains a lexeme: tsvector weight letters, `A` title and tags, `B` heading, `C` text. */
export type PassageMatch = {
  passageId: number;
  articleId: number;
  /** ts_rank_cd of the passage for the query: rewards matches close together; only breaks ties. */
  rank: number;
  /** Query lexemes the passage contains → the weight letters they occur with, e.g. `AC`. */
  lexemes: Map<string, string>;
};

/** How the parts of the score are mixed; the four shares add up to 1 so the score stays in 0..1. */
export type ScoringWeights = {
  /** Coverage of the query by the best passage (title and tags included, as every passage carries them). */
  passage: number;
  /** Coverage by the whole article: words spread over several passages of one article still count. */
  article: number;
  /** Coverage by the title and tags alone: an article named after the question is the likeliest answer. */
  title: number;
  /** Coverage by the best passage's heading (or the title): the section that answers names the topic. */
  heading: number;
  /**
   * When the second article scores at least `1 - marginRatio` of the first, the top one is not
   * clearly better, so its score is pulled down by up to `marginPenalty` (linearly, all of it at a
   * tie). Near-ties are where the top hit is most often wrong; the penalty lets the threshold hand
   * them off instead of answering a coin toss.
   */
  marginRatio: number;
  /** See `marginRatio`. */
  marginPenalty: number;
};

/** One scored article: its best passage (the one to quote), its score and the tie-breaking rank. */
export type ArticleScore = {
  articleId: number;
  passageId: number;
  score: number;
  rank: number;
  /** The score before a near-tie with another article pulled it down (only set when it did). */
  unscaled?: number;
};

function coverage(terms: QueryTerm[], present: (lexeme: string) => boolean): number[] {
  return terms.map((t) => {
    let best = 0;
    for (const [lexeme, factor] of t.alternatives) if (factor > best && present(lexeme)) best = factor;
    return best;
  });
}

function weighted(terms: QueryTerm[], matched: number[]): number {
  let sum = 0;
  for (const [i, t] of terms.entries()) sum += t.weight * (matched[i] ?? 0);
  return sum;
}

/**
 * Scores articles from their candidate passages, best first. An article's score is that of its best
 * passage, where a passage's score mixes its own coverage of the query with its article's coverage,
 * title and heading (see {@link ScoringWeights}). Ties break on ts_rank_cd (proximity of the matches).
 */
export function scoreArticles(terms: QueryTerm[], passages: PassageMatch[], w: ScoringWeights): ArticleScore[] {
  const byArticle = new Map<number, PassageMatch[]>();
  for (const p of passages) {
    const list = byArticle.get(p.articleId);
    if (list) list.push(p);
    else byArticle.set(p.articleId, [p]);
  }
  const scored: ArticleScore[] = [];
  for (const [articleId, list] of byArticle) {
    const perPassage = list.map((p) => coverage(terms, (l) => p.lexemes.has(l)));
    // Title and tags are in every passage with weight A, so any passage tells the article's title words.
    const titleCov = weighted(
      terms,
      coverage(terms, (l) => list.some((p) => p.lexemes.get(l)?.includes('A') === true)),
    );
    const articleCov = weighted(
      terms,
      terms.map((_, i) => Math.max(...perPassage.map((m) => m[i] ?? 0))),
    );
    let best: ArticleScore | undefined;
    for (const [k, p] of list.entries()) {
      const headingCov = weighted(
        terms,
        coverage(terms, (l) => /[AB]/.test(p.lexemes.get(l) ?? '')),
      );
      const score = Math.min(
        1,
        w.passage * weighted(terms, perPassage[k] ?? []) + w.article * articleCov + w.title * titleCov + w.heading * headingCov,
      );
      if (!best || score > best.score || (score === best.score && p.rank > best.rank)) {
        best = { articleId, passageId: p.passageId, score, rank: p.rank };
      }
    }
    if (best) scored.push(best);
  }
  scored.sort((a, b) => b.score - a.score || b.rank - a.rank);
  applyMargin(scored, w);
  return scored;
}

/** Pulls the top score down when the runner-up is nearly as good; see `ScoringWeights.marginRatio`. */
function applyMargin(scored: ArticleScore[], w: ScoringWeights): void {
  const [first, second] = scored;
  if (!first || !second || w.marginRatio <= 0 || w.marginPenalty <= 0 || first.score <= 0) return;
  const gap = (first.score - second.score) / first.score; // 0 at a tie
  if (gap >= w.marginRatio) return;
  const factor = 1 - w.marginPenalty * (1 - gap / w.marginRatio);
  // Every hit is scaled alike, so the order is kept; the bot acts on the top score.
  for (const hit of scored) {
    hit.unscaled = hit.score;
    hit.score *= factor;
  }
}

/**
 * Optimal-string-alignment distance (Levenshtein plus swapping two neighbours), by code point. Used to
 * accept typo corrections that trigram similarity rates low: in a short Russian stem one wrong
 * letter breaks most of its trigrams («удолен» and «удален» share only 0.4 of them).
 */
export function editDistance(a: string, b: string): number {
  const s = [...a];
  const t = [...b];
  let prev2: number[] = [];
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d = Math.min(d, (prev2[j - 2] ?? 0) + 1);
      cur.push(d);
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[t.length] ?? 0;
}

/** Edits a query lexeme of this many code points may differ by and still be read as a typo. */
export function allowedEdits(length: number): number {
  return length >= 8 ? 2 : length >= 5 ? 1 : 0;
}
