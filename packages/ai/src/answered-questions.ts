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
/** Sampled shingles kept per passage at most (evenly spread over it), besides its opening and closing ones. */
const SHINGLES_PER_PASSAGE = 24;
/** Fewest words of a passage a reply is matched against (shorter ones are too common to tell). */
const MIN_SHORT_WORDS = 5;
/**
 * Share of a reply's sampled runs the article's text must hold (counted once the reply has
 * {@link MIN_SAMPLED_FOR_SHARE} of them; runs several articles share do not count): an agent's own
 * words around a quote are fine, a long text of which the article holds two runs is not its quote.
 */
const MIN_QUOTED_SHARE = 0.25;
const MIN_SAMPLED_FOR_SHARE = 8;
/** A reply ties to an article through at least this many distinct fingerprints of its text, or through a link. */
const MIN_SHINGLES = 2;
/** Characters of a reply's HTML read at most (agents' replies come as HDE's HTML, links in `href`s). */
const MAX_REPLY_HTML_CHARS = 8000;
/** Characters of a reply's text read at most (a quoted article is near its start; a pasted log must not cost more). */
const MAX_REPLY_CHARS = 4000;
/** Characters of a question kept. */
const MAX_QUESTION_CHARS = 1000;
/**
 * A second group quoted at least a third as much as the best (two pasted answers, or one answer and
 * a long part of another) makes a reply nobody's quote.
 */
const RIVAL_QUOTE_RATIO = 3;
/** See {@link boilerplateLinks}. */
const BOILERPLATE_MIN_REPLIES = 5;
const BOILERPLATE_SHARE = 0.2;
/** Answered questions a search looks at (the most similar first). */
const EVIDENCE_CANDIDATES = 20;
/** Articles fingerprinted, or conversations read, between two turns of the event loop. */
const STEP = 16;

// Linear scans: one character class each, no nested quantifiers; the anchor pattern's parts are bounded.
const WORD = /[\p{L}\p{N}]+/gu;
const LINK = /https?:\/\/[^\s<>"'()«»“”]{1,500}/giu;
const ANCHOR = /<a\s[^>]{0,500}?href\s*=\s*["']([^"'\s<>]{1,500})["'][^>]{0,500}>/giu;

function words(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/**
 * A link as compared: lower case, without the scheme, `www.`, the `#fragment`, `utm_*` tracking
 * parameters and trailing punctuation or slash, `&amp;` read as `&`: an agent's copy of an
 * article's address often carries a section anchor or a mail tool's tracking.
 */
function linkKey(url: string): string {
  let key = url
    .toLowerCase()
    .replaceAll('&amp;', '&')
    .replace(/^https?:\/\/(www\.)?/u, '');
  const hash = key.indexOf('#');
  if (hash >= 0) key = key.slice(0, hash);
  const query = key.indexOf('?');
  if (query >= 0) {
    const kept = key
      .slice(query + 1)
      .split('&')
      .filter((p) => p !== '' && !p.startsWith('utm_'));
    key = kept.length > 0 ? `${key.slice(0, query)}?${kept.join('&')}` : key.slice(0, query);
  }
  let end = key.length;
  while (end > 0 && '.,;:!?/'.includes(key[end - 1]!)) end -= 1;
  key = key.slice(0, end);
  return key;
}

/** Whether a link key is a site's home page (a host and nothing after it). */
function isSiteRoot(key: string): boolean {
  return !key.includes('/') && !key.includes('?');
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

/**
 * A passage's fingerprints (hashes, each with the word position it starts at): its opening and
 * closing shingles, and its sampled ones, at most {@link SHINGLES_PER_PASSAGE} spread evenly from
 * its start to its end, so a quote from any part of a long passage is seen.
 */
function passageShingles(ws: readonly string[]): Map<number, number> {
  const sampled: Array<[hash: number, at: number]> = [];
  for (let at = 1; at + SHINGLE_WORDS < ws.length; at += 1) {
    const hash = hashOf(ws.slice(at, at + SHINGLE_WORDS).join(' '));
    if (hash % SHINGLE_SAMPLE === 0) sampled.push([hash, at]);
  }
  const out = new Map<number, number>();
  const keep = (hash: number, at: number) => {
    if (!out.has(hash)) out.set(hash, at);
  };
  keep(hashOf(ws.slice(0, SHINGLE_WORDS).join(' ')), 0);
  keep(hashOf(ws.slice(ws.length - SHINGLE_WORDS).join(' ')), ws.length - SHINGLE_WORDS);
  const step = Math.max(1, sampled.length / SHINGLES_PER_PASSAGE);
  for (let i = 0; i < sampled.length; i += step) keep(...sampled[Math.floor(i)]!);
  return out;
}

/**
 * A reply as the matcher reads it: its text without quoted earlier messages and the agent's
 * signature, with each link's address written into the text where the link was (so a link in a
 * quoted message or a signature is dropped with it).
 */
function replyText(reply: string): string {
  const raw = reply.length > MAX_REPLY_HTML_CHARS ? reply.slice(0, MAX_REPLY_HTML_CHARS) : reply;
  const withAddresses = raw.replace(ANCHOR, (tag: string, href: string) => ` ${href} ${tag}`);
  return cleanCustomerText(withAddresses).slice(0, MAX_REPLY_CHARS);
}

/**
 * Ties agents' replies to articles. A fingerprint (a link of the article, a shingle of one of its
 * passages) that several near-duplicate groups share tells nothing and is dropped, so six articles
 * that all say «Вот ссылка по вашему вопросу <link>» are told apart by their links alone. An
 * article's own address (its `url`) outranks a link its text mentions: another article may cite it.
 */
export class ReplyMatcher {
  private readonly byOwnLink = new Map<string, number>();
  private readonly byLink = new Map<string, number>();
  private readonly byShingle = new Map<number, number>();
  /**
   * Where each kept shingle stands: its passage and word position there. Two of one passage found
   * in a reply as far apart as in the passage mark the words between as copied verbatim, though
   * only a few of a long passage's runs are kept.
   */
  private readonly placeOf = new Map<number, { passage: number; at: number }>();
  /** Whole short passages (five to seven words) of one-passage articles, by the hash of their words. */
  private readonly shortPassages = new Map<number, number>();
  /** Text fingerprints several articles of one near-duplicate group share: they name the group, not one of them. */
  private readonly sharedInGroup = new Set<number>();

  constructor(private readonly groupOf: (articleId: number) => number) {}

  private claim<K>(map: Map<K, number>, key: K, articleId: number): void {
    const had = map.get(key);
    if (had === undefined) map.set(key, articleId);
    else if (had !== -1 && this.groupOf(had) !== this.groupOf(articleId)) map.set(key, -1);
    else if (had !== articleId && typeof key === 'number') this.sharedInGroup.add(key);
  }

  /** Fingerprints the articles, {@link STEP} at a time between turns of the event loop. */
  *fingerprint(articles: readonly IndexedArticle[]): SlicedWork<void> {
    for (const [i, article] of articles.entries()) {
      if (article.url && !isSiteRoot(linkKey(article.url))) this.claim(this.byOwnLink, linkKey(article.url), article.id);
      // The addresses its body links to (an HTML `href`, a Markdown target) and any its text shows.
      const links = new Set<string>((article.links ?? []).map(linkKey).filter((k) => k.length > 0));
      for (const p of article.passages) {
        for (const link of linksOf(p.text)) links.add(link);
        const ws = words(p.text);
        if (ws.length >= SHINGLE_WORDS) {
          for (const [hash, at] of passageShingles(ws)) {
            this.claim(this.byShingle, hash, article.id);
            if (!this.placeOf.has(hash)) this.placeOf.set(hash, { passage: p.id, at });
          }
        } else if (ws.length >= MIN_SHORT_WORDS && article.passages.length === 1) {
          this.claim(this.shortPassages, hashOf(ws.join(' ')), article.id);
        }
      }
      // A site's home page names no answer (articles and signatures alike link it).
      for (const link of links) if (!isSiteRoot(link)) this.claim(this.byLink, link, article.id);
      if (i % STEP === STEP - 1) yield;
    }
  }

  /**
   * What a reply says of its answer: per link key, the article that link names (an article's own
   * address first, then a link only one group's text holds), and the article its text quotes
   * (`null` when it quotes more than one group). `text` is the reply as {@link readReply} reads it.
   */
  evidence(text: string, links: ReadonlySet<string>): ReplyEvidence {
    const linked = new Map<string, number>();
    for (const link of links) {
      const own = this.byOwnLink.get(link);
      const cited = this.byLink.get(link);
      const id = own !== undefined && own !== -1 ? own : cited;
      if (id !== undefined && id !== -1) linked.set(link, id);
    }
    return { linked, quoted: this.quoted(text) };
  }

  /**
   * The article a reply quotes, or undefined when it quotes none or more than one: its links (those
   * not in `boilerplate`) and its text must all name one near-duplicate group; the text names one
   * when it holds at least two distinct fingerprints of the group's articles (a whole one-passage
   * short article counts as two) and no other group a third as many. An article's own address
   * decides which of the group; else the text, else a link its text holds.
   */
  match(evidence: ReplyEvidence, boilerplate: ReadonlySet<string>): number | undefined {
    if (evidence.quoted === null) return undefined;
    let chosen: number | undefined;
    let ownLink = false;
    const groups = new Set<number>();
    for (const [link, id] of evidence.linked) {
      if (boilerplate.has(link)) continue;
      groups.add(this.groupOf(id));
      const own = this.byOwnLink.get(link) === id;
      if (chosen === undefined || (own && !ownLink)) [chosen, ownLink] = [id, own];
    }
    if (evidence.quoted !== undefined) {
      groups.add(this.groupOf(evidence.quoted));
      if (!ownLink) chosen = evidence.quoted;
    }
    return groups.size === 1 ? chosen : undefined;
  }

  /** The group a link names (for finding boilerplate links). */
  group(articleId: number): number {
    return this.groupOf(articleId);
  }

  /**
   * How many of the reply's sampled runs (`sampledAt`, ascending) a group's text covers: those it
   * holds itself, and those between two of its kept shingles of one passage that stand as far
   * apart in the reply as in the passage (copied verbatim between them). Linear in the reply.
   */
  private copiedRuns(hits: ReadonlyArray<{ at: number; hash: number }>, sampledAt: readonly number[]): number {
    const spans: Array<[from: number, to: number]> = [];
    const last = new Map<number, { at: number; pos: number }>();
    for (const h of hits) {
      const place = this.placeOf.get(h.hash);
      if (!place) continue;
      const before = last.get(place.passage);
      if (before && h.at - before.at === place.at - before.pos && h.at > before.at) spans.push([before.at, h.at]);
      last.set(place.passage, { at: h.at, pos: place.at });
    }
    const held = new Set(hits.filter((h) => h.hash % SHINGLE_SAMPLE === 0).map((h) => h.at));
    spans.sort((a, b) => a[0] - b[0]);
    let covered = 0;
    let span = 0;
    for (const at of sampledAt) {
      while (span < spans.length && spans[span]![1] < at) span += 1;
      const inSpan = span < spans.length && spans[span]![0] <= at;
      if (inSpan || held.has(at)) covered += 1;
    }
    return covered;
  }

  /** The article the reply's text quotes, undefined when none, `null` when it quotes more than one group. */
  private quoted(text: string): number | null | undefined {
    const ws = words(text);
    const seen = new Set<number>();
    // Per group: every fingerprint of its articles; per article: those no twin shares.
    const groups = new Map<number, { total: number; first: number; hits: Array<{ at: number; hash: number }> }>();
    // Reply positions of its sampled runs (runs several articles share are the knowledge base's
    // common text, not the reply's own, and do not count).
    const sampledAt: number[] = [];
    const own = new Map<number, number>();
    const count = (hash: number, map: Map<number, number>, weight: number, at: number) => {
      const id = map.get(hash);
      if (id === undefined || id === -1 || seen.has(hash)) return;
      seen.add(hash);
      const group = this.groupOf(id);
      const g = groups.get(group) ?? { total: 0, first: id, hits: [] };
      g.total += weight;
      if (map === this.byShingle) g.hits.push({ at, hash });
      groups.set(group, g);
      if (!this.sharedInGroup.has(hash)) own.set(id, (own.get(id) ?? 0) + weight);
    };
    // Every run of the reply is looked up: an opening or closing shingle may sit anywhere in it; a
    // short passage takes one look-up per length at each position, so the work stays linear.
    for (let at = 0; at < ws.length; at += 1) {
      if (at + SHINGLE_WORDS <= ws.length) {
        const hash = hashOf(ws.slice(at, at + SHINGLE_WORDS).join(' '));
        if (hash % SHINGLE_SAMPLE === 0 && this.byShingle.get(hash) !== -1) sampledAt.push(at);
        count(hash, this.byShingle, 1, at);
      }
      if (this.shortPassages.size === 0) continue;
      for (let n = MIN_SHORT_WORDS; n < SHINGLE_WORDS && at + n <= ws.length; n += 1) {
        count(hashOf(ws.slice(at, at + n).join(' ')), this.shortPassages, MIN_SHINGLES, at);
      }
    }
    // Counted per near-duplicate group (a reply that pastes a thread's answer matches its twins
    // too); within the group, the article with most of its own text quoted.
    let best: { group: number; total: number; first: number; hits: Array<{ at: number; hash: number }> } | undefined;
    let second = 0;
    for (const [group, g] of groups) {
      if (!best || g.total > best.total) {
        second = best?.total ?? 0;
        best = { group, ...g };
      } else second = Math.max(second, g.total);
    }
    if (!best || best.total < MIN_SHINGLES) return undefined;
    // A second article quoted too (two pasted answers) makes the reply no one article's quote.
    if (second >= MIN_SHINGLES && second * RIVAL_QUOTE_RATIO >= best.total) return null;
    // The article must be much of what the reply quotes: two runs it shares with a long pasted text
    // of another article (one the knowledge base no longer has, say) do not make it the answer.
    if (sampledAt.length >= MIN_SAMPLED_FOR_SHARE && this.copiedRuns(best.hits, sampledAt) < MIN_QUOTED_SHARE * sampledAt.length) {
      return undefined;
    }
    let article = best.first;
    let most = 0;
    for (const [id, n] of own) {
      if (this.groupOf(id) === best.group && n > most) [article, most] = [id, n];
    }
    return article;
  }
}

/** A reply as the matcher reads it: its text (see {@link replyText}) and the keys of the links in it. */
function readReply(reply: string): { text: string; links: Set<string> } {
  const text = replyText(reply);
  return { text, links: new Set(linksOf(text)) };
}

/** See {@link ReplyMatcher.evidence}. */
type ReplyEvidence = { linked: ReadonlyMap<string, number>; quoted: number | null | undefined };

/**
 * Links that name no answer: an agent's signature or a template's footer that happens to point at
 * an article. Such a link stands beside other answers: it is one when, in at least
 * {@link BOILERPLATE_MIN_REPLIES} of the replies holding it and in at least
 * {@link BOILERPLATE_SHARE} of them, the reply also names another group (by a link or its text),
 * and at least two other groups in all. A popular article's link mostly stands alone or with its
 * own text, and stays. (A site's home page never names an answer at all: see `isSiteRoot`.)
 */
function boilerplateLinks(matcher: ReplyMatcher, replies: readonly ReplyEvidence[]): Set<string> {
  const seen = new Map<string, { replies: number; beside: number; partners: Set<number> }>();
  for (const r of replies) {
    const named = new Set<number>([...r.linked.values()].map((id) => matcher.group(id)));
    if (typeof r.quoted === 'number') named.add(matcher.group(r.quoted));
    for (const [link, id] of r.linked) {
      const s = seen.get(link) ?? { replies: 0, beside: 0, partners: new Set<number>() };
      s.replies += 1;
      const own = matcher.group(id);
      const others = [...named].filter((g) => g !== own);
      if (others.length > 0) s.beside += 1;
      for (const g of others) if (s.partners.size < 3) s.partners.add(g);
      seen.set(link, s);
    }
  }
  const out = new Set<string>();
  for (const [link, s] of seen) {
    if (s.beside >= BOILERPLATE_MIN_REPLIES && s.beside >= BOILERPLATE_SHARE * s.replies && s.partners.size >= 2) out.add(link);
  }
  return out;
}

/**
 * Learns {@link AnsweredQuestions}: each conversation whose reply quotes exactly one article of the
 * knowledge base (a link of it, or at least two eight-word runs of its text) adds the customer's
 * question to that article. The questions are indexed as their own small knowledge base (each
 * question one entry) with the same analysis as the articles. Linear in the text read: at most
 * `trafficMaxQuestions` conversations, of each reply its first 8,000 characters (4,000 of its
 * text), of each question 1,000; the articles are fingerprinted and the conversations read a few
 * at a time between turns of the event loop. `fingerprints`, when given, must be
 * {@link fingerprintArticles} of these `articles` and `groupOf` (kept from an earlier learning on
 * the same index); the articles are then not read again.
 */
export function* learnAnsweredQuestions(
  articles: readonly IndexedArticle[],
  groupOf: (articleId: number) => number,
  conversations: Iterable<AnsweredConversation>,
  tuning: KbTuning = KB_TUNING,
  fingerprints?: ReplyMatcher,
): SlicedWork<AnsweredQuestions> {
  const matcher = fingerprints ?? (yield* fingerprintArticles(articles, groupOf));
  // First every reply is read, so that a link standing beside many other answers (a signature, a
  // template's footer) is known before any reply is tied by it.
  const replies: Array<{ question: string; evidence: ReplyEvidence }> = [];
  for (const c of conversations) {
    if (replies.length >= tuning.trafficMaxQuestions) break;
    if (replies.length % STEP === STEP - 1) yield;
    const question = c.question.length > MAX_QUESTION_CHARS ? c.question.slice(0, MAX_QUESTION_CHARS) : c.question;
    if (question.trim() === '') continue;
    const { text, links } = readReply(c.reply);
    replies.push({ question, evidence: matcher.evidence(text, links) });
  }
  const boilerplate = boilerplateLinks(
    matcher,
    replies.map((r) => r.evidence),
  );
  const entries: IndexedArticle[] = [];
  const articleOf: number[] = [];
  for (const r of replies) {
    const articleId = matcher.match(r.evidence, boilerplate);
    if (articleId === undefined) continue;
    const id = entries.length;
    entries.push({ id, title: r.question, passages: [{ id, heading: '', text: r.question }] });
    articleOf.push(articleId);
  }
  if (entries.length === 0) return NO_ANSWERED;
  const index = new KbIndex({ version: 'answered', articles: entries }, tuning, true);
  yield* index.buildSteps(tuning);
  const entriesOf = new Map<number, number[]>();
  articleOf.forEach((articleId, id) => entriesOf.set(articleId, [...(entriesOf.get(articleId) ?? []), id]));
  return {
    questions: entries.length,
    learnt: entries.map((e, i) => ({ id: e.id, question: e.title, articleId: articleOf[i]! })),
    evidence(query, options = {}) {
      const out = new Map<number, AnsweredEvidence>();
      // Left-out articles' questions are left out of the search itself, so they do not take the
      // places of their neighbours' among the candidates.
      const exclude = new Set<number>(options.leaveOut !== undefined ? [options.leaveOut] : []);
      for (const articleId of options.exclude ?? []) for (const id of entriesOf.get(articleId) ?? []) exclude.add(id);
      const hits = index.search(query, {
        limit: EVIDENCE_CANDIDATES,
        ...(options.synonyms ? { synonyms: options.synonyms } : {}),
        ...(exclude.size > 0 ? { exclude } : {}),
      });
      for (const h of hits) {
        const articleId = articleOf[h.articleId]!;
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
  fingerprints?: ReplyMatcher,
): Promise<AnsweredQuestions> {
  return runInSlices(learnAnsweredQuestions(articles, groupOf, conversations, tuning, fingerprints));
}

/**
 * Fingerprints `articles` for {@link learnAnsweredQuestions}, {@link STEP} articles between turns of
 * the event loop. The result depends on the articles and their near-duplicate groups only, and
 * nothing reading it changes it, so it is built once per knowledge-base version and serves every
 * relearn: the conversations change, the articles do not.
 */
export function* fingerprintArticles(
  articles: readonly IndexedArticle[],
  groupOf: (articleId: number) => number,
): SlicedWork<ReplyMatcher> {
  const matcher = new ReplyMatcher(groupOf);
  yield* matcher.fingerprint(articles);
  return matcher;
}
