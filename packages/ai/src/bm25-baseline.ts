import { analyzePlain } from './kb-analyzer';

/** An article as the baseline sees it: title and body read as one field. */
export type BaselineArticle = { id: string; title: string; body: string };

/**
 * Plain BM25, the yardstick every retrieval figure is reported beside: title and body as one field,
 * Snowball stems (Russian for Cyrillic words, English otherwise), no stop words removed, k1 1.2,
 * b 0.75, Lucene's idf ln(1 + (N − df + 0.5)/(df + 0.5)). Nothing else (no typos, synonyms or
 * field weights), so a ratio to it says what the product's search adds.
 */
export class Bm25Baseline {
  private readonly postings = new Map<string, Array<[number, number]>>();
  private readonly lengths: number[] = [];
  private readonly avgLength: number;

  constructor(
    private readonly articles: BaselineArticle[],
    private readonly k1 = 1.2,
    private readonly b = 0.75,
  ) {
    for (const [i, a] of articles.entries()) {
      const tokens = analyzePlain(`${a.title} ${a.body}`);
      this.lengths.push(tokens.length);
      const tf = new Map<string, number>();
      for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
      for (const [t, n] of tf) {
        const list = this.postings.get(t);
        if (list) list.push([i, n]);
        else this.postings.set(t, [[i, n]]);
      }
    }
    this.avgLength = this.lengths.reduce((s, n) => s + n, 0) / Math.max(1, this.lengths.length);
  }

  /** Article ids, best first (ties by input order), only articles matching at least one query word. */
  search(query: string, limit: number): string[] {
    const n = this.articles.length;
    const scores = new Map<number, number>();
    for (const t of new Set(analyzePlain(query))) {
      const list = this.postings.get(t);
      if (!list) continue;
      const idf = Math.log(1 + (n - list.length + 0.5) / (list.length + 0.5));
      for (const [doc, tf] of list) {
        const norm = this.k1 * (1 - this.b + (this.b * (this.lengths[doc] ?? 0)) / this.avgLength);
        scores.set(doc, (scores.get(doc) ?? 0) + (idf * tf * (this.k1 + 1)) / (tf + norm));
      }
    }
    return [...scores.entries()]
      .sort((x, y) => y[1] - x[1] || x[0] - y[0])
      .slice(0, limit)
      .map(([doc]) => this.articles[doc]!.id);
  }
}
