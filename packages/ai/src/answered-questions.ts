import { cleanCustomerText } from './clean-text';
import { KbIndex, type AnsweredEvidence, type IndexedArticle, type IndexSearchOptions } from './kb-index';
import { KB_TUNING, type KbTuning } from './kb-search-tuning';
import { runInSlices, type SlicedWork } from './sliced-work';

/**
 * One conversation a live agent answered: the customer's text before the agent's first reply, and
 * that reply. What {@link learnAnsweredQuestions} reads.
 */
export type AnsweredConversation = { question: string; reply: string };

export type { AnsweredEvidence };

/**
 * Questions live agents answered with a knowledge-base article, learnt from the skill's handed-off
 * conversations: an agent's reply that quotes an article (its link, or its text) ties the
 * customer's question to that article. A knowledge base's wording is the company's; its customers'
 * wording is in these questions, so an article whose text says little — a bare link, a short
 * answer in other words — becomes findable by the questions it has answered.
 */
export type AnsweredQuestions = {
  /** Questions learnt (conversations whose reply was tied to exactly one article). */
  questions: number;
  /** The questions learnt, each with its own entry id and the article it was answered with (calibration probes). */
  learnt: ReadonlyArray<{ id: number; question: string; articleId: number }>;
  /**
   * Per article id, the evidence of its answered questions most like `query`; empty when nothing
   * is learnt. `exclude` leaves articles out; `leaveOut` one learnt question (a probe must not find itself).
   */
  evidence(
    query: string,
    options?: Pick<IndexSearchOptions, 'synonyms' | 'exclude'> & { leaveOut?: number },
  ): Map<number, AnsweredEvidence>;
};

/** Nothing learnt. */
export const NO_ANSWERED: AnsweredQuestions = { questions: 0, learnt: [], evidence: () => new Map() };

/** Words of a shingle: enough that two articles seldom share one by chance. */
const SHINGLE_WORDS = 8;
/**
 * A shingle is kept when its hash is divisible by this (content-defined sampling): the same text
 * keeps the same shingles at any offset, so a footer that several articles share is seen as shared
 * wherever it starts, and the fingerprints take a quarter of the memory.
 */
const SHINGLE_SAMPLE = 4;
/** Sampled shingles kept per passage, besides its opening and closing ones. */
const SHINGLES_PER_PASSAGE = 12;
/** Fewest words of a passage a reply is matched against (shorter ones are too common to tell). */
const MIN_SHORT_WORDS = 4;
/** A reply ties to an article through at least this many of its shingles, or through one of its links. */
const MIN_SHINGLES = 2;
/** Characters of a reply's HTML read at most (agents' replies come as HDE's HTML, links in `href`s). */
const MAX_REPLY_HTML_CHARS = 8000;
/** Characters of a reply's text read at most (a quoted article is near its start; a pasted log must not cost more). */
const MAX_REPLY_CHARS = 4000;
/** Characters of a question kept. */
const MAX_QUESTION_CHARS = 1000;
/** Answered questions a search looks at (the most similar first). */
const EVIDENCE_CANDIDATES = 20;

// Linear scans: one character class each, no nested quantifiers.
const WORD = /[\p{L}\p{N}]+/gu;
const LINK = /https?:\/\/[^\s<>"'()]{1,500}/giu;

function words(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/** A link as compared: lower case, without the scheme, `www.` and trailing punctuation or slash, `&amp;` read as `&`. */
function linkKey(url: string): string {
  return url
    .toLowerCase()
    .replaceAll('&amp;', '&')
    .replace(/^https?:\/\/(www\.)?/u, '')
    .replace(/[.,;:!?/]+$/u, '');
}

function linksOf(text: string): string[] {
  return (text.match(LINK) ?? []).map(linkKey).filter((k) => k.length > 0);
}

/**
 * A 52-bit hash of a string (two 32-bit FNV-1a variants): shingles are kept as numbers, so the
 * fingerprints of a 10,000-article knowledge base stay small while they are built and read.
 */
function hashOf(text: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return (a >>> 0) * 0x100000 + ((b >>> 0) & 0xfffff);
}

const sampled = (hash: number) => hash % SHINGLE_SAMPLE === 0;

/** A passage's fingerprints (hashes): its opening and closing shingles, and up to {@link SHINGLES_PER_PASSAGE} sampled ones. */
function passageShingles(ws: readonly string[]): number[] {
  const out = new Set<number>([hashOf(ws.slice(0, SHINGLE_WORDS).join(' ')), hashOf(ws.slice(ws.length - SHINGLE_WORDS).join(' '))]);
  let kept = 0;
  for (let at = 1; at + SHINGLE_WORDS < ws.length && kept < SHINGLES_PER_PASSAGE; at += 1) {
    const hash = hashOf(ws.slice(at, at + SHINGLE_WORDS).join(' '));
    if (sampled(hash)) {
      out.add(hash);
      kept += 1;
    }
  }
  return [...out];
}

/**
 * Ties agents' replies to articles. A fingerprint (a link of the article, a shingle of one of its
 * passages) that several near-duplicate groups share tells nothing and is dropped, so six articles
 * that all say «Вот ссылка по вашему вопросу <link>» are told apart by their links alone.
 */
class ReplyMatcher {
  private readonly byLink = new Map<string, number>();
  private readonly byShingle = new Map<number, number>();
  /** Passages of four to seven words, by the hash of their words: a reply must hold one whole. */
  private readonly shortPassages = new Map<number, number>();

  constructor(
    articles: readonly IndexedArticle[],
    private readonly groupOf: (articleId: number) => number,
  ) {
    const claim = <K>(map: Map<K, number>, key: K, articleId: number) => {
      const had = map.get(key);
      if (had === undefined) map.set(key, articleId);
      else if (had !== -1 && groupOf(had) !== groupOf(articleId)) map.set(key, -1);
    };
    for (const article of articles) {
      const links = new Set<string>(article.url ? [linkKey(article.url)] : []);
      for (const p of article.passages) {
        for (const link of linksOf(p.text)) links.add(link);
        const ws = words(p.text);
        if (ws.length < SHINGLE_WORDS) {
          if (ws.length >= MIN_SHORT_WORDS) claim(this.shortPassages, hashOf(ws.join(' ')), article.id);
          continue;
        }
        for (const s of passageShingles(ws)) claim(this.byShingle, s, article.id);
      }
      for (const link of links) claim(this.byLink, link, article.id);
    }
  }

  /**
   * The article a reply quotes, or undefined when it quotes none or several. The reply is HTML or
   * text: links are read from it as it is (an `href` holds them), the quoted text from its text
   * without quoted earlier messages and the agent's signature.
   */
  match(reply: string): number | undefined {
    const raw = reply.length > MAX_REPLY_HTML_CHARS ? reply.slice(0, MAX_REPLY_HTML_CHARS) : reply;
    const text = cleanCustomerText(raw).slice(0, MAX_REPLY_CHARS);
    // Group → the article its link named: links of one near-duplicate group name one answer.
    const linked = new Map<number, number>();
    for (const link of linksOf(raw)) {
      const id = this.byLink.get(link);
      if (id !== undefined && id !== -1 && !linked.has(this.groupOf(id))) linked.set(this.groupOf(id), id);
    }
    if (linked.size === 1) return [...linked.values()][0];
    if (linked.size > 1) return undefined;
    const ws = words(text);
    const hits = new Map<number, number>();
    // Every run of the reply is looked up: an opening or closing shingle may sit anywhere in it.
    for (let at = 0; at + SHINGLE_WORDS <= ws.length; at += 1) {
      const id = this.byShingle.get(hashOf(ws.slice(at, at + SHINGLE_WORDS).join(' ')));
      if (id !== undefined && id !== -1) hits.set(id, (hits.get(id) ?? 0) + 1);
    }
    // A short passage (four to seven words) counts as much as a long one when the reply holds it
    // whole: one look-up per length at each position, so the work stays linear in the reply.
    if (this.shortPassages.size > 0) {
      for (let at = 0; at < ws.length; at += 1) {
        for (let n = MIN_SHORT_WORDS; n < SHINGLE_WORDS && at + n <= ws.length; n += 1) {
          const id = this.shortPassages.get(hashOf(ws.slice(at, at + n).join(' ')));
          if (id !== undefined && id !== -1) hits.set(id, (hits.get(id) ?? 0) + MIN_SHINGLES);
        }
      }
    }
    let best: number | undefined;
    let bestCount = 0;
    let tied = false;
    for (const [id, n] of hits) {
      if (n > bestCount) [best, bestCount, tied] = [id, n, false];
      else if (n === bestCount) tied = true;
    }
    return best !== undefined && bestCount >= MIN_SHINGLES && !tied ? best : undefined;
  }
}

/**
 * Learns {@link AnsweredQuestions}: each conversation whose reply quotes exactly one article of the
 * knowledge base (a link of it, or at least two eight-word runs of its text) adds the customer's
 * question to that article. The questions are indexed as their own small knowledge base (each
 * question one entry) with the same analysis as the articles. Linear in the text read: at most
 * `trafficMaxQuestions` conversations, of each reply its first 8,000 characters (4,000 of its
 * text), of each question 1,000.
 */
export function* learnAnsweredQuestions(
  articles: readonly IndexedArticle[],
  groupOf: (articleId: number) => number,
  conversations: Iterable<AnsweredConversation>,
  tuning: KbTuning = KB_TUNING,
): SlicedWork<AnsweredQuestions> {
  const matcher = new ReplyMatcher(articles, groupOf);
  yield;
  const entries: IndexedArticle[] = [];
  const articleOf: number[] = [];
  let read = 0;
  for (const c of conversations) {
    if (read >= tuning.trafficMaxQuestions) break;
    read += 1;
    const question = c.question.length > MAX_QUESTION_CHARS ? c.question.slice(0, MAX_QUESTION_CHARS) : c.question;
    if (question.trim() === '') continue;
    const articleId = matcher.match(c.reply);
    if (articleId === undefined) continue;
    const id = entries.length;
    entries.push({ id, title: question, passages: [{ id, heading: '', text: question }] });
    articleOf.push(articleId);
    if ((read & 31) === 0) yield;
  }
  if (entries.length === 0) return NO_ANSWERED;
  const index = new KbIndex({ version: 'answered', articles: entries }, tuning, true);
  yield* index.buildSteps(tuning);
  return {
    questions: entries.length,
    learnt: entries.map((e, i) => ({ id: e.id, question: e.title, articleId: articleOf[i]! })),
    evidence(query, options = {}) {
      const out = new Map<number, AnsweredEvidence>();
      const hits = index.search(query, {
        limit: EVIDENCE_CANDIDATES,
        ...(options.synonyms ? { synonyms: options.synonyms } : {}),
        ...(options.leaveOut !== undefined ? { exclude: new Set([options.leaveOut]) } : {}),
      });
      for (const h of hits) {
        const articleId = articleOf[h.articleId]!;
        if (options.exclude?.has(articleId)) continue;
        const had = out.get(articleId);
        out.set(articleId, {
          score: Math.max(had?.score ?? 0, h.rank * h.titleMatch * h.titleMatch),
          coverage: Math.max(had?.coverage ?? 0, h.coverage),
          titleMatch: Math.max(had?.titleMatch ?? 0, h.titleMatch),
        });
      }
      return out;
    },
  };
}

/** {@link learnAnsweredQuestions} in slices, beside other work (the worker's loop renews job locks). */
export function learnAnsweredQuestionsInSlices(
  articles: readonly IndexedArticle[],
  groupOf: (articleId: number) => number,
  conversations: Iterable<AnsweredConversation>,
  tuning: KbTuning = KB_TUNING,
): Promise<AnsweredQuestions> {
  return runInSlices(learnAnsweredQuestions(articles, groupOf, conversations, tuning));
}
