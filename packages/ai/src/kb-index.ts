import { analyze, searchWords, stemWord } from './kb-analyzer';
import { KB_LEXICON } from '@repo/domain';
import { KB_TUNING, type KbTuning } from './kb-search-tuning';
import { runAtOnce, runInSlices, type SlicedWork } from './sliced-work';

/** One passage of an article, as stored: what can be quoted. */
export type IndexedPassage = { id: number; heading: string; text: string };

/** One article of a skill with its passages, as the store loads it for indexing. */
export type IndexedArticle = {
  id: number;
  title: string;
  tags?: string[];
  url?: string | null;
  /** The addresses its body links to, which its passages do not keep (read by learning from agents' answers only). */
  links?: readonly string[];
  passages: IndexedPassage[];
};

/** A skill's knowledge base at one version. */
export type KbSnapshot = { version: string; articles: IndexedArticle[] };

/** One scored article of {@link KbIndex.search}. */
export type IndexHit = {
  articleId: number;
  /** The passage to quote: the one that answers the question best. */
  passage: IndexedPassage;
  title: string;
  url: string | null;
  /** Ranking score (BM25F plus passage evidence); comparable only within one query. */
  rank: number;
  /**
   * IDF-weighted share of the question's words the article contains (0..1, related forms and typo
   * corrections counting partly). Read by answer confidence; not used for ranking.
   */
  coverage: number;
  /** The question's total IDF weight (what full coverage is worth), to put `rank` on a per-question scale. */
  queryWeight: number;
  /**
   * How nearly the question is the article's title (0..1): the IDF-weighted share of the question's
   * topic words in the title times the share of the title's words in the question. Read by answer
   * confidence (a question that restates a title is asking that article); 0 without a title.
   */
  titleMatch: number;
};

/** What the questions live agents answered with one article say about a new question (see `AnsweredQuestions`). */
export type AnsweredEvidence = {
  /**
   * The best answered question's ranking score (BM25F over the answered questions) times the
   * square of its {@link titleMatch}: only a question that nearly restates one agents answered
   * counts much, so a shared word («деньги», «заказ») does not pull a neighbouring article up.
   */
  score: number;
  /** IDF-weighted share of the new question's words that answered question holds (0..1). */
  coverage: number;
  /** How nearly the new question restates that answered question (0..1, as a title match). */
  titleMatch: number;
};

/** What one search may take into account beyond the text. */
export type IndexSearchOptions = {
  limit?: number;
  /** Groups of words that mean the same in this skill (its `synonyms` setting). */
  synonyms?: string[][];
  /** Articles to leave out, as if they were not in the knowledge base (calibration probes). */
  exclude?: ReadonlySet<number>;
  /** Other tuning, for evaluation scripts. */
  tuning?: KbTuning;
  /** Weight (0..1) of a question word by its stem, from what the skill's customers ask (`QuestionTraffic.weightOf`). */
  wordWeight?: (stem: string) => number;
  /**
   * Per article id, the evidence of the questions agents answered with it (`AnsweredQuestions.evidence`):
   * added to the article's ranking score (`answeredWeight`) and read by its confidence (`answeredConfidence`).
   */
  answered?: ReadonlyMap<number, AnsweredEvidence>;
};

type Posting = { docs: Int32Array; title: Float32Array; body: Float32Array };

/** One query word: the vocabulary terms that count as it, each with what a match through it is worth. */
type QueryWord = {
  alternatives: Map<number, number>;
  /**
   * The alternatives that score for ranking: a term reached by several question words (the
   * question's «регистрации» and «регистрационные» both reach регистрац) scores once, for the word
   * that reaches it best, as plain BM25 counts a repeated question word once.
   */
  scored: Map<number, number>;
  known: boolean;
  /** A stop word: it helps ranking (question wording matches question titles) but not confidence. */
  stop: boolean;
  /** How much the word counts, from the skill's question traffic (1: fully). */
  weight: number;
};

function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i += 1;
  return i;
}

/** Optimal-string-alignment distance of two short strings, stopping early past `max`. */
function boundedEditDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur.push(d);
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * Longest word or term read for typos (one-letter deletions indexed and looked up, repeated letters
 * cut). Longer «words» are codes, links, pasted data or keyboard mashing, not misspellings, and
 * their deletions cost time and memory quadratic in the length: one 16,000-letter token in an
 * article took over a second and hundreds of MB to index.
 */
const TYPO_MAX_LENGTH = 32;

function deletions(term: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < term.length; i += 1) out.push(term.slice(0, i) + term.slice(i + 1));
  return out;
}

/** Shortest written word whose repeated-letter typos are read on the word itself (see `KbIndex.surfaceTypos`). */
const SURFACE_TYPO_MIN_LENGTH = 6;
/** Runs of a repeated letter read per word. */
const SURFACE_TYPO_MAX_RUNS = 3;

/** Share of articles above which a word only re-scores articles that other words found (in large knowledge bases). */
const COMMON_SHARE = 0.25;
/** Below this many articles with the word, it is scored everywhere (cheap, and small knowledge bases need it). */
const COMMON_MIN_DF = 1000;

/** Frequencies by term id in a dense, growable array (Maps cost ~10× more per update at index build). */
class Counter {
  readonly ids: number[] = [];
  private counts = new Float64Array(1024);
  private present = new Uint8Array(1024);
  clear(): void {
    for (const id of this.ids) {
      this.counts[id] = 0;
      this.present[id] = 0;
    }
    this.ids.length = 0;
  }
  add(id: number, by: number): void {
    if (id >= this.counts.length) {
      const size = Math.max(id + 1, this.counts.length * 2);
      const counts = new Float64Array(size);
      counts.set(this.counts);
      const present = new Uint8Array(size);
      present.set(this.present);
      this.counts = counts;
      this.present = present;
    }
    if (this.present[id] === 0) {
      this.present[id] = 1;
      this.ids.push(id);
    }
    this.counts[id]! += by;
  }
  get(id: number): number {
    return id < this.counts.length ? this.counts[id]! : 0;
  }
  sortedIds(): number[] {
    return [...this.ids].sort((a, b) => a - b);
  }
}

/** Articles a search has scored: a flag per article and their list, for linear-time candidate handling. */
class Touched {
  readonly list: number[] = [];
  constructor(private readonly flags: Uint8Array) {}
  /** Clears the flags of every touched article, for the next search. */
  release(): void {
    for (const doc of this.list) this.flags[doc] = 0;
  }
  add(doc: number): void {
    if (this.flags[doc] === 0) {
      this.flags[doc] = 1;
      this.list.push(doc);
    }
  }
}

/** Position of `doc` in an ascending postings list, or −1. */
function indexIn(docs: Int32Array, doc: number): number {
  let lo = 0;
  let hi = docs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = docs[mid]!;
    if (v === doc) return mid;
    if (v < doc) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** The `k` best-scoring articles of `list`, best first (ties: earlier article first), in O(n·k) worst case, O(n) typical. */
function topByScore(list: number[], scores: Float64Array, k: number, skip?: (doc: number) => boolean): number[] {
  const top: number[] = [];
  const better = (a: number, b: number) => scores[a]! > scores[b]! || (scores[a] === scores[b] && a < b);
  for (const doc of list) {
    if (skip?.(doc)) continue;
    if (top.length === k && !better(doc, top[k - 1]!)) continue;
    let i = top.length < k ? top.length : k - 1;
    if (top.length < k) top.push(doc);
    while (i > 0 && better(doc, top[i - 1]!)) {
      top[i] = top[i - 1]!;
      i -= 1;
    }
    top[i] = doc;
  }
  return top;
}

/** What kind of answer a question wants, as far as passage choice cares. */
type QuestionIntent = { quantity: boolean; negated: boolean };

const QUANTITY_WORDS = /(?:^|[^\p{L}])(?:сколько|скока|скоко|долго|срок\p{L}*|how\s+(?:long|much|many)|how\s+soon|when)(?=$|[^\p{L}])/iu;
const NEGATION = /(?:^|[^\p{L}])(?:не|нет|без|кроме|not|no|without|except)(?=$|[^\p{L}])/iu;
/** A heading that is about when something does not apply («Когда гарантия не действует»). */
const NEGATED_HEADING = NEGATION;
/** A figure with a unit of time, money or share: what a "how long / how much" question wants quoted. */
const QUANTITY =
  /\d\s*(?:[–-]\s*\d+\s*)?(?:раб\p{L}*\s+)?(?:дн|день|дня|недел|месяц|мес|год|лет|час|минут|сут|руб|₽|%|процент|day|week|month|year|hour|minute|usd|\$|€|eur)/iu;

function questionIntent(query: string): QuestionIntent {
  const head = query.slice(0, 2000);
  return { quantity: QUANTITY_WORDS.test(head), negated: NEGATION.test(head) };
}

function hasQuantity(text: string): boolean {
  return QUANTITY.test(text.length > 4000 ? text.slice(0, 4000) : text);
}

/** 32-bit FNV-1a hash of a string's UTF-16 code units. */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i += 1) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Lets each vocabulary term score for one question word only: the word that reaches it with the
 * highest factor (the earlier word at a tie). Linear in the question's alternatives.
 */
function scoreEachTermOnce(words: QueryWord[]): void {
  const owner = new Map<number, { word: number; factor: number }>();
  for (const [i, w] of words.entries()) {
    for (const [id, f] of w.alternatives) {
      const o = owner.get(id);
      if (!o || f > o.factor) owner.set(id, { word: i, factor: f });
    }
  }
  for (const [i, w] of words.entries()) {
    if (![...w.alternatives.keys()].some((id) => owner.get(id)?.word !== i)) continue;
    w.scored = new Map([...w.alternatives].filter(([id]) => owner.get(id)?.word === i));
  }
}

/** English particles that make a phrasal verb whose noun is written as one word (back up → backup). */
const PARTICLE = /^(?:up|in|out|on|off|down|over|through|back)$/;

/** Edits a stem of this many letters may differ by and still be read as a typo. */
function allowedEdits(length: number): number {
  // A five-letter stem one edit away is too often another word («прода» / «продл»).
  return length >= 8 ? 2 : length >= 6 ? 1 : 0;
}

/** Per synonym list (a skill's, kept for the life of its loaded index): each stem → the other stems of its groups. */
const synonymStemCache = new WeakMap<readonly (readonly string[])[], Map<string, string[]>>();

/**
 * A skill's synonym groups as stems, analysed once per list rather than at every search (a skill
 * with thousands of groups spent 26 ms of each search analysing them).
 */
function synonymStems(synonyms: readonly (readonly string[])[]): Map<string, string[]> {
  let out = synonymStemCache.get(synonyms);
  if (out) return out;
  const others = new Map<string, Set<string>>();
  for (const group of synonyms) {
    const stems = [...new Set(group.flatMap((phrase) => analyze(phrase)))];
    if (stems.length < 2) continue;
    for (const stem of stems) {
      const set = others.get(stem) ?? new Set<string>();
      for (const other of stems) if (other !== stem) set.add(other);
      others.set(stem, set);
    }
  }
  out = new Map([...others].map(([stem, set]) => [stem, [...set]]));
  synonymStemCache.set(synonyms, out);
  return out;
}

/**
 * An in-memory search index of one skill's knowledge base: BM25F over each article's title (and
 * tags) and text (headings counting extra), Snowball stems, with related word forms (a shared
 * beginning of at least `prefixMinLength` letters), typo corrections (one edit, two for long words,
 * found through a deletion neighbourhood in constant time per word), the skill's synonyms and one
 * round of pseudo-relevance feedback. The article's best passage is chosen by its own BM25 score
 * against the question. Built once per knowledge-base version and kept by {@link createKbSearch};
 * a search reads only arrays, so its time grows with the postings of the question's words, never
 * with a round trip.
 */
export class KbIndex {
  readonly version: string;
  readonly articles: IndexedArticle[];
  private readonly vocabulary = new Map<string, number>();
  private readonly terms: string[] = [];
  private readonly postings: Posting[] = [];
  private titleLength!: Float32Array;
  private bodyLength!: Float32Array;
  private avgTitle!: number;
  private avgBody!: number;
  private readonly byPrefix = new Map<string, number[]>();
  /** Typo neighbourhood: hash of a one-letter deletion → chain of (term, next) entries. */
  private readonly deletedHead = new Map<number, number>();
  private deletedTerm!: Int32Array;
  private deletedNext!: Int32Array;
  /** Article → its first passage (compact rows: typed arrays keep the heap small, so garbage collection stays short). */
  private passageStart!: Int32Array;
  /** Passage → its first entry in `passageTerms` / `passageFreqs` (term ids ascending). */
  private passageEntry!: Int32Array;
  private passageTerms!: Int32Array;
  /** Weighted frequency (heading words counting extra). */
  private passageFreqs!: Float32Array;
  private passageLength!: Float32Array;
  private avgPassage!: number;
  /** Article → its first entry in `articleTerms` / `articleBody` (term ids ascending), for feedback. */
  private articleEntry!: Int32Array;
  private articleTerms!: Int32Array;
  private articleBody!: Float32Array;
  /** Reused per search (searches are synchronous): scores and the articles touched. */
  private scoreBuffer!: Float64Array;
  private touchedFlags!: Uint8Array;
  /** Article id → its near-duplicate group (articles with the same title, or the same text, share one). */
  private readonly groups = new Map<number, number>();
  /**
   * Term id → the IDF ranking uses: over near-duplicate groups when the knowledge base is made of
   * them (`groupIdfTwinShare`), so a word of a thread with twenty answers that share its title does
   * not look twenty times as common.
   */
  private rankIdfs!: Float64Array;
  /** What ranking counts as the number of articles: groups when IDF is counted over them, articles otherwise. */
  private rankN!: number;

  /**
   * Builds the index at once. On a process that serves other work (the worker), use
   * {@link KbIndex.build}, which builds the same index in slices.
   */
  constructor(snapshot: KbSnapshot, tuning: KbTuning = KB_TUNING, deferred = false) {
    this.version = snapshot.version;
    this.articles = snapshot.articles;
    if (!deferred) runAtOnce(this.buildSteps(tuning));
  }

  /**
   * Builds the index in slices of at most `sliceMs` of CPU, giving the event loop a turn between
   * them (see {@link runInSlices}); the result is the same as the constructor's.
   */
  static async build(snapshot: KbSnapshot, tuning: KbTuning = KB_TUNING, sliceMs?: number): Promise<KbIndex> {
    const index = new KbIndex(snapshot, tuning, true);
    await runInSlices(index.buildSteps(tuning), sliceMs);
    return index;
  }

  /**
   * The build, one step per article and per vocabulary chunk (linear in the knowledge base); for
   * an index constructed `deferred`, run once (by {@link KbIndex.build} or a caller's own slices).
   */
  *buildSteps(tuning: KbTuning): SlicedWork<void> {
    const n = this.articles.length;
    const keepStop = tuning.keepStopWords > 0;
    this.titleLength = new Float32Array(n);
    this.bodyLength = new Float32Array(n);
    this.scoreBuffer = new Float64Array(n);
    this.touchedFlags = new Uint8Array(n);
    const idOf = (term: string): number => {
      let id = this.vocabulary.get(term);
      if (id === undefined) {
        id = this.terms.length;
        this.vocabulary.set(term, id);
        this.terms.push(term);
      }
      return id;
    };
    // Rows are gathered in growable arrays and frozen into typed arrays at the end.
    const passageStart: number[] = [0];
    const passageEntry: number[] = [0];
    const passageTerms: number[] = [];
    const passageFreqs: number[] = [];
    const passageLength: number[] = [];
    const articleEntry: number[] = [0];
    const articleTerms: number[] = [];
    const articleTitle: number[] = [];
    const articleBody: number[] = [];
    const titleTf = new Counter();
    const bodyTf = new Counter();
    const tf = new Counter();
    let titled = 0;
    let titleSum = 0;
    let bodySum = 0;
    for (const [doc, article] of this.articles.entries()) {
      titleTf.clear();
      bodyTf.clear();
      for (const t of analyze([article.title, ...(article.tags ?? [])].join(' '), keepStop)) {
        const id = idOf(t);
        titleTf.add(id, 1);
        this.titleLength[doc]! += 1;
      }
      for (const p of article.passages) {
        tf.clear();
        let length = 0;
        for (const t of analyze(p.heading, keepStop)) {
          const id = idOf(t);
          tf.add(id, tuning.headingWeight);
          length += 1;
        }
        for (const t of analyze(p.text, keepStop)) {
          const id = idOf(t);
          tf.add(id, 1);
          length += 1;
        }
        for (const id of tf.sortedIds()) {
          const f = tf.get(id);
          passageTerms.push(id);
          passageFreqs.push(f);
          bodyTf.add(id, f);
        }
        passageEntry.push(passageTerms.length);
        passageLength.push(length);
        this.bodyLength[doc]! += length;
      }
      passageStart.push(passageLength.length);
      for (const id of titleTf.ids) bodyTf.add(id, 0);
      for (const id of bodyTf.sortedIds()) {
        articleTerms.push(id);
        articleTitle.push(titleTf.get(id));
        articleBody.push(bodyTf.get(id));
      }
      articleEntry.push(articleTerms.length);
      if (this.titleLength[doc]! > 0) {
        titled += 1;
        titleSum += this.titleLength[doc]!;
      }
      bodySum += this.bodyLength[doc]!;
      yield;
    }
    this.passageStart = Int32Array.from(passageStart);
    this.passageEntry = Int32Array.from(passageEntry);
    this.passageTerms = Int32Array.from(passageTerms);
    this.passageFreqs = Float32Array.from(passageFreqs);
    this.passageLength = Float32Array.from(passageLength);
    this.articleEntry = Int32Array.from(articleEntry);
    this.articleTerms = Int32Array.from(articleTerms);
    this.articleBody = Float32Array.from(articleBody);
    yield;
    // Postings by counting: articles are visited in order, so each list is in article order.
    const vocabularySize = this.terms.length;
    const df = new Int32Array(vocabularySize);
    for (const id of articleTerms) df[id]! += 1;
    const postStart = new Int32Array(vocabularySize + 1);
    for (let id = 0; id < vocabularySize; id += 1) postStart[id + 1] = postStart[id]! + df[id]!;
    yield;
    const fill = postStart.slice(0, vocabularySize);
    const docs = new Int32Array(articleTerms.length);
    const titles = new Float32Array(articleTerms.length);
    const bodies = new Float32Array(articleTerms.length);
    for (let doc = 0; doc < n; doc += 1) {
      for (let e = articleEntry[doc]!; e < articleEntry[doc + 1]!; e += 1) {
        const id = articleTerms[e]!;
        const at = fill[id]!;
        fill[id] = at + 1;
        docs[at] = doc;
        titles[at] = articleTitle[e]!;
        bodies[at] = articleBody[e]!;
      }
      if ((doc & 1023) === 1023) yield;
    }
    for (let id = 0; id < vocabularySize; id += 1) {
      const from = postStart[id]!;
      const to = postStart[id + 1]!;
      this.postings.push({ docs: docs.subarray(from, to), title: titles.subarray(from, to), body: bodies.subarray(from, to) });
      if ((id & 4095) === 4095) yield;
    }
    yield* this.groupDuplicates();
    yield* this.rankingIdf(tuning);
    // Averages over articles that have the field: empty titles must not make every title look long.
    this.avgTitle = titled > 0 ? titleSum / titled : 1;
    this.avgBody = n > 0 ? Math.max(1, bodySum / n) : 1;
    this.avgPassage = passageLength.length > 0 ? Math.max(1, passageLength.reduce((a, b) => a + b, 0) / passageLength.length) : 1;
    const deletedTerm: number[] = [];
    const deletedNext: number[] = [];
    for (let id = 0; id < vocabularySize; id += 1) {
      const term = this.terms[id]!;
      if (term.length >= tuning.prefixMinLength) {
        const key = term.slice(0, tuning.prefixMinLength);
        const group = this.byPrefix.get(key);
        if (group) group.push(id);
        else this.byPrefix.set(key, [id]);
      }
      if (term.length >= tuning.typoMinLength && term.length <= TYPO_MAX_LENGTH && !/\p{N}/u.test(term)) {
        for (const d of new Set(deletions(term))) {
          const h = hashString(d);
          deletedTerm.push(id);
          deletedNext.push(this.deletedHead.get(h) ?? -1);
          this.deletedHead.set(h, deletedTerm.length - 1);
        }
      }
      if ((id & 255) === 255) yield;
    }
    this.deletedTerm = Int32Array.from(deletedTerm);
    this.deletedNext = Int32Array.from(deletedNext);
  }

  /** Terms whose one-letter deletion may equal `key` (hash chain: callers verify the distance). */
  private deletedAs(key: string, into: Set<number>): void {
    for (let e = this.deletedHead.get(hashString(key)) ?? -1; e >= 0; e = this.deletedNext[e]!) into.add(this.deletedTerm[e]!);
  }

  /**
   * Groups near-duplicate articles: the same non-empty title (several answers to one question), or
   * the same text. Either of them answers a question the other answers, so confidence does not
   * treat them as rivals and calibration leaves them out together.
   */
  private *groupDuplicates(): SlicedWork<void> {
    const byKey = new Map<string, number>();
    // Texts are compared by two 32-bit hashes of their letters and digits, lowercased (linear, no copies).
    const key = (s: string) => {
      const folded = s.toLowerCase();
      let h1 = 0x811c9dc5;
      let h2 = 0x01000193;
      let any = false;
      for (let i = 0; i < folded.length; i += 1) {
        let c = folded.charCodeAt(i);
        if (c === 0x451) c = 0x435; // ё as е
        const letter = (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || c >= 0xc0;
        if (!letter) continue;
        any = true;
        h1 = Math.imul(h1 ^ c, 0x01000193);
        h2 = Math.imul(h2 + c, 0x5bd1e995) ^ (h2 >>> 13);
      }
      return any ? `${h1 >>> 0}.${h2 >>> 0}` : '';
    };
    for (const a of this.articles) {
      const title = key(a.title);
      const text = key(a.passages.map((p) => p.text).join(' '));
      const group = (title ? byKey.get(`t:${title}`) : undefined) ?? (text ? byKey.get(`b:${text}`) : undefined) ?? a.id;
      if (title && !byKey.has(`t:${title}`)) byKey.set(`t:${title}`, group);
      if (text && !byKey.has(`b:${text}`)) byKey.set(`b:${text}`, group);
      this.groups.set(a.id, group);
      yield;
    }
  }

  /** Fills {@link rankIdfs}: per term the number of groups among its articles (one pass over the postings). */
  private *rankingIdf(tuning: KbTuning): SlicedWork<void> {
    const vocabularySize = this.terms.length;
    this.rankIdfs = new Float64Array(vocabularySize);
    const dense = new Map<number, number>();
    const docGroup = Int32Array.from(this.articles, (a) => {
      const g = this.groupOf(a.id);
      let i = dense.get(g);
      if (i === undefined) {
        i = dense.size;
        dense.set(g, i);
      }
      return i;
    });
    // Articles that share their group with another: the knowledge base's share of twins decides.
    const groupSizes = new Int32Array(dense.size);
    for (const g of docGroup) groupSizes[g] = groupSizes[g]! + 1;
    let twins = 0;
    for (const size of groupSizes) if (size > 1) twins += size;
    const byGroup = this.articles.length > 0 && twins / this.articles.length >= tuning.groupIdfTwinShare;
    this.rankN = byGroup ? dense.size : this.articles.length;
    const stamp = new Int32Array(dense.size).fill(-1);
    for (let id = 0; id < vocabularySize; id += 1) {
      const docs = this.postings[id]!.docs;
      let df = docs.length;
      if (byGroup) {
        df = 0;
        for (const doc of docs) {
          const g = docGroup[doc]!;
          if (stamp[g] !== id) {
            stamp[g] = id;
            df += 1;
          }
        }
      }
      this.rankIdfs[id] = this.idfOver(df, this.rankN);
      if ((id & 4095) === 4095) yield;
    }
  }

  /** The near-duplicate group of an article (its own id when it has no twin). */
  groupOf(articleId: number): number {
    return this.groups.get(articleId) ?? articleId;
  }

  /** Ids of the articles in the same near-duplicate group as `articleId`, itself included. */
  groupMembers(articleId: number): number[] {
    const g = this.groupOf(articleId);
    return this.articles.filter((a) => this.groupOf(a.id) === g).map((a) => a.id);
  }

  /** What the current question asks for (set per search; searches are synchronous). */
  private pendingIntent: QuestionIntent = { quantity: false, negated: false };
  private scratchArray: Float64Array | undefined;
  private scratch(): Float64Array {
    this.scratchArray ??= new Float64Array(this.articles.length);
    return this.scratchArray;
  }

  private maxDf(word: QueryWord): number {
    let max = 0;
    for (const id of word.alternatives.keys()) max = Math.max(max, this.postings[id]!.docs.length);
    return max;
  }

  private docById?: Map<number, number>;

  /** The position of an article by its id (built at first use). */
  private docOf(articleId: number): number | undefined {
    this.docById ??= new Map(this.articles.map((a, doc) => [a.id, doc]));
    return this.docById.get(articleId);
  }

  /** Number of articles. */
  get size(): number {
    return this.articles.length;
  }

  private idf(df: number): number {
    return this.idfOver(df, this.articles.length);
  }

  /** Lucene's IDF of a term in `df` of `n` units. */
  private idfOver(df: number, n: number): number {
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** Vocabulary terms a query stem matches: itself, related forms, typo corrections; each with its factor. */
  private alternativesOf(stem: string, tuning: KbTuning): Map<number, number> {
    const out = new Map<number, number>();
    const exact = this.vocabulary.get(stem);
    if (exact !== undefined) out.set(exact, 1);
    if (stem.length >= tuning.prefixMinLength && (tuning.prefixLatin > 0 || /[а-я]/.test(stem))) {
      for (const id of this.byPrefix.get(stem.slice(0, tuning.prefixMinLength)) ?? []) {
        if (id === exact) continue;
        const term = this.terms[id]!;
        // Forms of one word: one begins the other, or they differ only in the last letter or two.
        const shared = commonPrefix(term, stem);
        // A longer word that begins with the whole question word is the same root derived
        // («гарант» → «гарантийн»): it counts nearly as the word itself.
        const factor = shared === stem.length ? tuning.extensionFactor : tuning.prefixFactor;
        if (shared === Math.min(term.length, stem.length) || shared >= Math.max(term.length, stem.length) - 2) {
          out.set(id, Math.max(out.get(id) ?? 0, factor));
        }
      }
    }
    if (exact === undefined && stem.length >= tuning.typoMinLength && stem.length <= TYPO_MAX_LENGTH && !/\p{N}/u.test(stem)) {
      const max = allowedEdits(stem.length);
      const seen = new Set<number>();
      for (const key of [stem, ...deletions(stem)]) {
        this.deletedAs(key, seen);
        const direct = this.vocabulary.get(key);
        if (direct !== undefined) seen.add(direct);
      }
      for (const id of seen) {
        if (boundedEditDistance(stem, this.terms[id]!, max) <= max) out.set(id, Math.max(out.get(id) ?? 0, tuning.typoFactor));
      }
    }
    return out;
  }

  /**
   * Typo corrections read on the written word, for stems the knowledge base lacks: a letter typed
   * three times or more can change how the word stems («даннные» stems to данн, «данные» to дан),
   * so the stem's own one-edit neighbourhood misses it. Each such run is shortened to two letters
   * and to one, and the word stemmed again; returned by the original word's stem. Only runs of
   * three: a doubled letter is usually spelt so, and undoubling it reads correct words the
   * knowledge base lacks as others («hopping» → «hoping», «ввести» → «вести»); dropping any
   * letter did the same («started» → «stated»). Bounded: words of 6 to {@link TYPO_MAX_LENGTH}
   * letters, at most {@link SURFACE_TYPO_MAX_RUNS} runs each, so the work stays linear in the question.
   */
  private surfaceTypos(text: string, tuning: KbTuning): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const word of searchWords(text).slice(0, 2 * tuning.maxQueryWords)) {
      if (word.length < SURFACE_TYPO_MIN_LENGTH || word.length > TYPO_MAX_LENGTH || /\p{N}/u.test(word)) continue;
      const corrected: string[] = [];
      let runs = 0;
      for (let i = 0; i < word.length && runs < SURFACE_TYPO_MAX_RUNS;) {
        let j = i + 1;
        while (j < word.length && word[j] === word[i]) j += 1;
        if (j - i >= 3) {
          runs += 1;
          corrected.push(stemWord(word.slice(0, i + 2) + word.slice(j)), stemWord(word.slice(0, i + 1) + word.slice(j)));
        }
        i = j;
      }
      if (corrected.length === 0) continue;
      const stem = stemWord(word);
      out.set(stem, [...(out.get(stem) ?? []), ...corrected]);
    }
    return out;
  }

  /**
   * Two neighbouring question words the knowledge base writes as one («corona virus» → coronavirus,
   * «back up» → backup, «демо доступ» → демодоступ), by the stem of the first word. Joined only when
   * one of the two is not a word of the knowledge base or the second is a particle (phrasal verbs
   * become nouns: set up → setup): two known words («covid 19», «corona virus») are read as they
   * are, not as a compound a few articles happen to use («covid19»; joining «corona virus» to
   * coronavirus cost en_covid 1.5 points of hit@3, whose articles say COVID-19). Linear in the
   * question's words.
   */
  private joinedWords(text: string, tuning: KbTuning): Map<string, number> {
    const out = new Map<string, number>();
    const words = searchWords(text).slice(0, 2 * tuning.maxQueryWords);
    for (let i = 0; i + 1 < words.length; i += 1) {
      const a = words[i]!;
      const b = words[i + 1]!;
      if (a.length < 2 || b.length < 2) continue;
      const id = this.vocabulary.get(stemWord(a + b));
      if (id === undefined) continue;
      const known = (w: string) => this.vocabulary.has(stemWord(w));
      if (!known(a) || !known(b) || PARTICLE.test(b)) out.set(stemWord(a), id);
    }
    return out;
  }

  /** The question's words, each with its alternatives (synonym groups joined in). */
  private queryWords(query: string, synonyms: string[][], tuning: KbTuning, wordWeight?: (stem: string) => number): QueryWord[] {
    const text = query.length > tuning.maxQueryChars ? query.slice(0, tuning.maxQueryChars) : query;
    const stems = [...new Set(analyze(text, tuning.keepStopWords > 0))].slice(0, tuning.maxQueryWords);
    const content = new Set(analyze(text));
    // The built-in lexicon: English and colloquial words that stand for the knowledge base's usual
    // Russian words («order» → заказ, «привезти» → доставка), matched like a synonym group.
    const lexicon = new Map<string, string[]>();
    for (const w of searchWords(text)) {
      const translation = KB_LEXICON[w];
      if (translation !== undefined) lexicon.set(stemWord(w), analyze(translation));
    }
    const synonymsOf = synonymStems(synonyms);
    const joined = tuning.joinWords > 0 ? this.joinedWords(text, tuning) : new Map<string, number>();
    const typos = tuning.surfaceTypos > 0 ? this.surfaceTypos(text, tuning) : undefined;
    const words = stems.map((stem) => {
      const alternatives = this.alternativesOf(stem, tuning);
      if (alternatives.size === 0) {
        for (const corrected of typos?.get(stem) ?? []) {
          const id = this.vocabulary.get(corrected);
          if (id !== undefined) alternatives.set(id, Math.max(alternatives.get(id) ?? 0, tuning.typoFactor));
        }
      }
      const compound = joined.get(stem);
      if (compound !== undefined) alternatives.set(compound, 1);
      for (const other of lexicon.get(stem) ?? []) {
        for (const [id, f] of this.alternativesOf(other, tuning))
          alternatives.set(id, Math.max(alternatives.get(id) ?? 0, f * tuning.synonymFactor));
      }
      for (const other of synonymsOf.get(stem) ?? []) {
        for (const [id, f] of this.alternativesOf(other, tuning))
          alternatives.set(id, Math.max(alternatives.get(id) ?? 0, f * tuning.synonymFactor));
      }
      const stop = !content.has(stem);
      return { alternatives, scored: alternatives, known: alternatives.size > 0, stop, weight: wordWeight ? wordWeight(stem) : 1 };
    });
    // Question wording counts a little (it matches question-shaped titles), never as much as a
    // topic word: in a knowledge base that seldom says «сколько» it would otherwise be the rarest
    // word. A stop word weighs at most what a word in `stopWordShare` of the articles weighs, and at
    // most `stopWordFactor` of the question's most common topic word.
    const topicIdf = words
      .filter((w) => !w.stop && w.known)
      .map((w) => Math.max(...[...w.alternatives.keys()].map((id) => this.rankIdfs[id]!)));
    const cap = Math.min(
      this.idfOver(Math.max(1, tuning.stopWordShare * this.rankN), this.rankN),
      tuning.stopWordFactor * (topicIdf.length ? Math.min(...topicIdf) : Infinity),
    );
    for (const w of words) {
      if (!w.stop) continue;
      for (const [id, f] of w.alternatives) {
        const idf = this.rankIdfs[id]!;
        if (idf > cap) w.alternatives.set(id, (f * cap) / idf);
      }
    }
    if (tuning.scoreTermOnce > 0) scoreEachTermOnce(words);
    return words;
  }

  /** BM25F of one posting entry of a term (before the word's factor). */
  private entryScore(p: Posting, i: number, idf: number, tuning: KbTuning): number {
    const doc = p.docs[i]!;
    const tf =
      (tuning.titleWeight * p.title[i]!) / (1 - tuning.titleB + (tuning.titleB * this.titleLength[doc]!) / this.avgTitle) +
      p.body[i]! / (1 - tuning.bodyB + (tuning.bodyB * this.bodyLength[doc]!) / this.avgBody);
    return (idf * ((tuning.k1 + 1) * tf)) / (tuning.k1 + tf);
  }

  /**
   * Adds one word's BM25F contribution (its best alternative per article) to `into`. A word in more
   * than `COMMON_SHARE` of the articles (kept stop words, the company's name) only adds to articles
   * other words already found: it reorders candidates but is no reason to read every article.
   */
  private wordScores(word: QueryWord, tuning: KbTuning, weight: number, into: Float64Array, touched: Touched): void {
    const alternatives = [...word.scored].map(([id, factor]) => ({ p: this.postings[id]!, idf: this.rankIdfs[id]!, factor }));
    const maxDf = Math.max(0, ...alternatives.map((a) => a.p.docs.length));
    if (touched.list.length > 0 && maxDf > COMMON_MIN_DF && maxDf > this.articles.length * COMMON_SHARE) {
      for (const doc of touched.list) {
        let best = 0;
        for (const a of alternatives) {
          const i = indexIn(a.p.docs, doc);
          if (i < 0) continue;
          const s = a.factor * this.entryScore(a.p, i, a.idf, tuning);
          if (s > best) best = s;
        }
        into[doc]! += weight * best;
      }
      return;
    }
    if (alternatives.length === 1) {
      const { p, idf, factor } = alternatives[0]!;
      for (let i = 0; i < p.docs.length; i += 1) {
        const doc = p.docs[i]!;
        into[doc]! += weight * factor * this.entryScore(p, i, idf, tuning);
        touched.add(doc);
      }
      return;
    }
    // Best alternative per article, in a scratch array (search is synchronous, so one per index is safe).
    const best = this.scratch();
    const seen: number[] = [];
    for (const { p, idf, factor } of alternatives) {
      for (let i = 0; i < p.docs.length; i += 1) {
        const doc = p.docs[i]!;
        const s = factor * this.entryScore(p, i, idf, tuning);
        if (best[doc] === 0) seen.push(doc);
        if (s > best[doc]!) best[doc] = s;
      }
    }
    for (const doc of seen) {
      into[doc]! += weight * best[doc]!;
      touched.add(doc);
      best[doc] = 0;
    }
  }

  /**
   * Ranks articles for a question; see {@link IndexHit}. Articles that share no word with the
   * question are not returned.
   */
  search(query: string, options: IndexSearchOptions = {}): IndexHit[] {
    const tuning = options.tuning ?? KB_TUNING;
    const limit = options.limit ?? 5;
    const words = this.queryWords(query, options.synonyms ?? [], tuning, options.wordWeight);
    const answered = tuning.answeredWeight > 0 && options.answered && options.answered.size > 0 ? options.answered : undefined;
    if ((!words.some((w) => w.known) && !answered) || this.articles.length === 0) return [];
    const scores = this.scoreBuffer;
    const touched = new Touched(this.touchedFlags);
    this.pendingIntent = questionIntent(query);
    try {
      return this.rankAndQuote(words, tuning, limit, options.exclude, scores, touched, answered);
    } finally {
      for (const doc of touched.list) scores[doc] = 0;
      touched.release();
    }
  }

  private rankAndQuote(
    words: QueryWord[],
    tuning: KbTuning,
    limit: number,
    exclude: ReadonlySet<number> | undefined,
    scores: Float64Array,
    touched: Touched,
    answered?: ReadonlyMap<number, AnsweredEvidence>,
  ): IndexHit[] {
    // Rarest words first, so common ones find candidates to add to.
    const byRarity = [...words].sort((a, b) => this.maxDf(a) - this.maxDf(b));
    for (const w of byRarity) this.wordScores(w, tuning, w.weight, scores, touched);
    // Questions agents answered with an article count as more of its text, in the customers' words
    // (before feedback: the article they point to lends its words to the question too).
    for (const [articleId, evidence] of answered ?? []) {
      const doc = this.docOf(articleId);
      if (doc === undefined) continue;
      scores[doc]! += tuning.answeredWeight * evidence.score;
      touched.add(doc);
    }
    const keep = Math.max(limit, tuning.passageCandidates, tuning.feedbackArticles);
    const ranked = (): number[] => topByScore(touched.list, scores, keep, exclude ? (d) => exclude.has(this.articles[d]!.id) : undefined);

    let order = ranked();
    if (tuning.feedbackArticles > 0 && tuning.feedbackWeight > 0 && order.length > 1) {
      this.feedback(order.slice(0, tuning.feedbackArticles), words, tuning, scores, touched);
      order = ranked();
    }

    // Passage evidence and the quote, for the leading articles only.
    const candidates = order.slice(0, Math.max(limit, tuning.passageCandidates));
    const idfOf = new Map<number, number>();
    const intent = this.pendingIntent;
    const hits = candidates.map((doc) => {
      const article = this.articles[doc]!;
      const { index, score } = this.bestPassage(doc, words, tuning, idfOf, intent);
      const covered = this.coverage(doc, words, tuning);
      const titled = tuning.titleCoverage > 0 ? this.titleCoverage(doc, words) : 0;
      const evidence = answered?.get(article.id);
      const asked = evidence ? tuning.answeredConfidence : 0;
      return {
        doc,
        hit: {
          articleId: article.id,
          passage: article.passages[index] ?? { id: -1, heading: '', text: '' },
          title: article.title,
          url: article.url ?? null,
          rank: scores[doc]! + tuning.passageMix * score + tuning.titleCoverage * titled,
          ...covered,
          // A question like one agents answered with this article is about it, whatever its text says.
          coverage: Math.max(covered.coverage, asked * (evidence?.coverage ?? 0)),
          titleMatch: Math.max(this.titleMatch(doc, words, tuning), asked * (evidence?.titleMatch ?? 0)),
        } satisfies IndexHit,
      };
    });
    hits.sort((a, b) => b.hit.rank - a.hit.rank || a.doc - b.doc);
    const ordered = hits.map((h) => h.hit);
    return (tuning.groupDiversity > 0 ? this.diversified(ordered) : ordered).slice(0, limit);
  }

  /**
   * The hits with each near-duplicate group's best article in score order first, then the others
   * in score order: several answers of one thread that share its title score alike and would
   * otherwise fill the leading places, hiding the other topics a question may be about.
   */
  private diversified(hits: IndexHit[]): IndexHit[] {
    const seen = new Set<number>();
    const first: IndexHit[] = [];
    const rest: IndexHit[] = [];
    for (const h of hits) {
      const group = this.groupOf(h.articleId);
      (seen.has(group) ? rest : first).push(h);
      seen.add(group);
    }
    return first.concat(rest);
  }

  /** Adds the most telling words of the top articles as weak query words (RM3-like feedback). */
  private feedback(top: number[], words: QueryWord[], tuning: KbTuning, scores: Float64Array, touched: Touched): void {
    const inQuery = new Set<number>();
    for (const w of words) for (const id of w.alternatives.keys()) inQuery.add(id);
    const weightOf = new Map<number, number>();
    const topScore = scores[top[0]!]!;
    if (!(topScore > 0)) return;
    for (const doc of top) {
      const share = scores[doc]! / topScore;
      const length = Math.max(1, this.bodyLength[doc]! + this.titleLength[doc]!);
      for (let e = this.articleEntry[doc]!; e < this.articleEntry[doc + 1]!; e += 1) {
        const id = this.articleTerms[e]!;
        const f = this.articleBody[e]!;
        if (f === 0 || inQuery.has(id)) continue;
        const df = this.postings[id]!.docs.length;
        if (df < 2) continue; // a word of one article cannot lead anywhere else
        weightOf.set(id, (weightOf.get(id) ?? 0) + share * (f / length) * this.rankIdfs[id]!);
      }
    }
    const chosen = [...weightOf.entries()].sort((a, b) => b[1] - a[1]).slice(0, tuning.feedbackTerms);
    const max = chosen[0]?.[1] ?? 0;
    if (!(max > 0)) return;
    for (const [id, w] of chosen) {
      this.wordScores(
        { alternatives: new Map([[id, 1]]), scored: new Map([[id, 1]]), known: true, stop: false, weight: 1 },
        tuning,
        tuning.feedbackWeight * (w / max),
        scores,
        touched,
      );
    }
  }

  /** The passage of an article whose own BM25 against the question is highest (the first at a tie). */
  private bestPassage(
    doc: number,
    words: QueryWord[],
    tuning: KbTuning,
    idfOf: Map<number, number>,
    intent: QuestionIntent,
  ): { index: number; score: number } {
    const count = this.passageStart[doc + 1]! - this.passageStart[doc]!;
    if (count <= 1) return { index: 0, score: count === 1 ? this.passageScore(doc, 0, words, tuning, idfOf) : 0 };
    const passages = this.articles[doc]!.passages;
    let best = 0;
    let bestScore = -1;
    for (let i = 0; i < count; i += 1) {
      const p = passages[i];
      let s = this.passageScore(doc, i, words, tuning, idfOf);
      // "How long / how much" wants the passage with the figure; a passage about when something does
      // NOT apply answers only a question that asks about exceptions.
      if (p && intent.quantity && hasQuantity(p.text)) s *= 1 + tuning.quantityBoost;
      if (p && NEGATED_HEADING.test(p.heading)) s *= intent.negated ? 1 + tuning.negationBoost : 1 - tuning.negationPenalty;
      if (s > bestScore) {
        bestScore = s;
        best = i;
      }
    }
    return { index: best, score: Math.max(0, bestScore) };
  }

  private passageScore(doc: number, index: number, words: QueryWord[], tuning: KbTuning, idfOf: Map<number, number>): number {
    const passage = this.passageStart[doc]! + index;
    const from = this.passageEntry[passage]!;
    const to = this.passageEntry[passage + 1]!;
    const terms = this.passageTerms.subarray(from, to);
    const norm = 1 - tuning.passageB + (tuning.passageB * this.passageLength[passage]!) / this.avgPassage;
    let score = 0;
    for (const w of words) {
      let best = 0;
      for (const [id, factor] of w.scored) {
        const at = indexIn(terms, id);
        if (at < 0) continue;
        const f = this.passageFreqs[from + at]!;
        let idf = idfOf.get(id);
        if (idf === undefined) {
          idf = this.rankIdfs[id]!;
          idfOf.set(id, idf);
        }
        const t = f / norm;
        const s = (factor * idf * ((tuning.passageK1 + 1) * t)) / (tuning.passageK1 + t);
        if (s > best) best = s;
      }
      score += best;
    }
    return score;
  }

  /** IDF-weighted share of the question's words the article contains; see {@link IndexHit.coverage}. */
  private coverage(doc: number, words: QueryWord[], tuning: KbTuning): { coverage: number; queryWeight: number } {
    const rarest = this.idf(1);
    let total = 0;
    let covered = 0;
    const counted = words.some((w) => !w.stop) ? words.filter((w) => !w.stop) : words;
    for (const w of counted) {
      let weight = 0;
      let matched = 0;
      for (const [id, factor] of w.alternatives) {
        const p = this.postings[id]!;
        // The word weighs what its most common matching form weighs.
        weight = Math.max(weight, this.idf(p.docs.length) * (factor === 1 ? 1 : 0));
        if (factor > matched && this.contains(p, doc)) matched = factor;
      }
      if (weight === 0) {
        let maxDf = 0;
        for (const id of w.alternatives.keys()) maxDf = Math.max(maxDf, this.postings[id]!.docs.length);
        weight = maxDf > 0 ? this.idf(maxDf) : tuning.unknownFactor * rarest;
      }
      // A word most customers use says little about which article answers (question traffic).
      weight *= w.weight;
      total += weight;
      covered += weight * matched;
    }
    return { coverage: total > 0 ? covered / total : 0, queryWeight: total };
  }

  /**
   * IDF-weighted share of the question's topic words in the article's title and tags, times their
   * total IDF: an article named after the question is the likeliest answer (FAQ titles).
   */
  private titleCoverage(doc: number, words: QueryWord[]): number {
    let total = 0;
    for (const w of words) {
      if (w.stop || !w.known) continue;
      let best = 0;
      let weight = 0;
      for (const [id, factor] of w.scored) {
        const p = this.postings[id]!;
        weight = Math.max(weight, this.rankIdfs[id]!);
        if (factor > best) {
          const i = indexIn(p.docs, doc);
          if (i >= 0 && p.title[i]! > 0) best = factor;
        }
      }
      total += w.weight * weight * best;
    }
    return total;
  }

  /** See {@link IndexHit.titleMatch}. Reads only the article's title and the question's words. */
  private titleMatch(doc: number, words: QueryWord[], tuning: KbTuning): number {
    const titleTerms = [...new Set(analyze(this.articles[doc]!.title.slice(0, 500)))];
    if (titleTerms.length === 0) return 0;
    const rarest = this.idf(1);
    // Question → title: each topic word weighs its IDF (an unknown word as in coverage).
    let total = 0;
    let inTitle = 0;
    const reached = new Map<number, number>();
    for (const w of words) {
      if (w.stop) continue;
      let weight = w.known ? 0 : tuning.unknownFactor * rarest;
      let best = 0;
      for (const [id, factor] of w.alternatives) {
        const p = this.postings[id]!;
        weight = Math.max(weight, this.idf(p.docs.length));
        reached.set(id, Math.max(reached.get(id) ?? 0, factor));
        if (factor > best) {
          const i = indexIn(p.docs, doc);
          if (i >= 0 && p.title[i]! > 0) best = factor;
        }
      }
      total += weight;
      inTitle += weight * best;
    }
    if (total === 0) return 0;
    // Title → question: each title word weighs its IDF; matched as far as a question word reaches it.
    let titleTotal = 0;
    let inQuestion = 0;
    for (const term of titleTerms) {
      const id = this.vocabulary.get(term);
      if (id === undefined) continue;
      const weight = this.idf(this.postings[id]!.docs.length);
      titleTotal += weight;
      inQuestion += weight * (reached.get(id) ?? 0);
    }
    return titleTotal > 0 ? (inTitle / total) * (inQuestion / titleTotal) : 0;
  }

  private contains(p: Posting, doc: number): boolean {
    return indexIn(p.docs, doc) >= 0;
  }
}
