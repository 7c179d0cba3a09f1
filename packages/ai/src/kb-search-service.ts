import type { KbHit } from '@repo/domain';
import { KbIndex, type IndexHit, type KbSnapshot } from './kb-index';
import {
  CALIBRATION_SETTINGS,
  calibrateInSlices,
  calibrateWithQuestionsInSlices,
  calibratedScore,
  parseCalibration,
  rawConfidence,
  UNCALIBRATED,
  type Calibration,
} from './kb-confidence';
import { KB_TUNING } from './kb-search-tuning';
import { learnQuestionTrafficInSlices, NO_TRAFFIC, type QuestionTraffic } from './question-traffic';
import { runInSlices } from './sliced-work';
import {
  fingerprintArticles,
  learnAnsweredQuestionsInSlices,
  NO_ANSWERED,
  type AnsweredConversation,
  type AnsweredQuestions,
  type ReplyMatcher,
} from './answered-questions';

/** A skill's knowledge base as the store gives it to the index, with the skill's synonym groups. */
export type KbSearchSnapshot = KbSnapshot & { synonyms?: string[][] };

/** Where {@link createKbSearch} reads knowledge bases and keeps what calibration learnt. */
export type KbSearchSource = {
  /** Cheap: the current version of a skill's knowledge base (and synonyms). */
  version(skillId: string): Promise<string>;
  /** Expensive: the whole knowledge base at its version. */
  snapshot(skillId: string): Promise<KbSearchSnapshot>;
  /** Stored calibration of a skill for one version, if any (see {@link calibrate}). */
  calibration?(skillId: string, version: string): Promise<unknown | undefined>;
  saveCalibration?(skillId: string, version: string, data: Calibration): Promise<void>;
  /**
   * The customer text of the skill's most recent conversations, newest first, at most `limit`
   * (one string per conversation): what {@link QuestionTraffic} is learnt from. Without it, every
   * question word counts fully.
   */
  recentQuestions?(skillId: string, limit: number): Promise<string[]>;
  /**
   * The skill's most recent conversations a live agent answered, newest first, at most `limit`:
   * the customer's text before the agent's first reply, and that reply. What
   * {@link AnsweredQuestions} are learnt from. Without it, nothing is learnt from agents.
   */
  answeredConversations?(skillId: string, limit: number): Promise<AnsweredConversation[]>;
};

/** A built index with its synonyms, calibration and question traffic: what one skill's searches use. */
export type LoadedKb = {
  index: KbIndex;
  synonyms: string[][];
  calibration: Calibration;
  checkedAt: number;
  traffic: QuestionTraffic;
  /** Questions agents answered with the knowledge base's articles (learnt with the traffic). */
  answered: AnsweredQuestions;
  /**
   * Calibration with the answered questions as further probes, searched as customers' questions
   * are (with their evidence); used instead of {@link calibration} once enough questions are learnt.
   */
  answeredCalibration?: Calibration;
  /** When {@link traffic} and {@link answered} were learnt (ms). */
  trafficAt: number;
};

/** The knowledge-base search of the pipeline: one hit per article, best first, `score` 0..1 calibrated per skill. */
export type KbSearch = {
  search(skillId: string, query: string, options?: { limit?: number }): Promise<KbHit[]>;
  /** Drops cached indexes (one skill's, or all), e.g. right after an import. */
  invalidate(skillId?: string): void;
  /** The loaded index of a skill, its version checked first when due (built or reused), for diagnostics and evaluation. */
  load(skillId: string): Promise<LoadedKb>;
  /** Resolves when a background version check of the skill (started by a search) has finished. */
  settled(skillId: string): Promise<void>;
};

/** Options of {@link createKbSearch}. */
export type KbSearchOptions = {
  /** A cached index younger than this (ms, default 2,000) is used without asking for the version. */
  revalidateMs?: number;
  /** Skills whose indexes stay in memory (default 64), least recently used dropped first. */
  maxCachedSkills?: number;
  /** Question traffic older than this (ms, default 15 minutes) is learnt again at the next version check. */
  trafficRefreshMs?: number;
  now?(): number;
};

/**
 * Turns index hits into the pipeline's hits: the top hit's score is the calibrated confidence of
 * the list (see {@link rawConfidence}); the others get their own coverage on the same scale, capped
 * below the top. When two different articles are about equally likely, both carry
 * `unscaledScore` (their confidence without the near-tie), so the policy can ask which one is meant.
 */
export function toKbHits(loaded: Pick<LoadedKb, 'index' | 'calibration' | 'answeredCalibration'>, hits: IndexHit[]): KbHit[] {
  const calibration = loaded.answeredCalibration ?? loaded.calibration;
  const confidence = rawConfidence(loaded.index, hits);
  const top = calibratedScore(confidence.raw, calibration);
  const nearTie = confidence.rival !== undefined && confidence.raw < confidence.coverage;
  return hits.map((h, i) => {
    const own = calibratedScore(rawConfidence(loaded.index, [h]).coverage, calibration);
    const score = i === 0 ? top : Math.min(top, own);
    return {
      articleId: h.articleId,
      passageId: h.passage.id,
      title: h.title,
      passage: h.passage.text,
      score,
      ...(h.url ? { sourceUrl: h.url } : {}),
      ...(nearTie && (i === 0 || h === confidence.rival) ? { unscaledScore: own } : {}),
    };
  });
}

/** Builds the index of a snapshot and calibrates it (or reuses a stored calibration of the same version). */
export async function loadKb(
  snapshot: KbSearchSnapshot,
  stored?: { get(): Promise<unknown | undefined>; save(c: Calibration): Promise<void> },
  now = Date.now(),
): Promise<LoadedKb> {
  // Built and calibrated in slices: on the worker this runs beside jobs whose locks must be renewed.
  const index = await KbIndex.build(snapshot);
  const synonyms = snapshot.synonyms ?? [];
  let calibration = stored ? parseCalibration(await stored.get()) : undefined;
  if (!calibration) {
    calibration =
      index.size > 0
        ? await calibrateInSlices(index, (q, exclude) => index.search(q, { limit: 10, synonyms, ...(exclude ? { exclude } : {}) }))
        : UNCALIBRATED;
    await stored?.save(calibration);
  }
  return { index, synonyms, calibration, checkedAt: now, traffic: NO_TRAFFIC, answered: NO_ANSWERED, trafficAt: now };
}

/** Learns a skill's {@link QuestionTraffic} from its source; none when the source keeps no conversations. */
export async function loadTraffic(source: Pick<KbSearchSource, 'recentQuestions'>, skillId: string): Promise<QuestionTraffic> {
  if (!source.recentQuestions) return NO_TRAFFIC;
  return learnQuestionTrafficInSlices(await source.recentQuestions(skillId, KB_TUNING.trafficMaxQuestions));
}

/**
 * The reply matcher's fingerprints of each built index, kept as long as the index is (a few MB at
 * 10,000 articles, per cached skill and process): a relearn every `KB_LEARN_INTERVAL_MS` then reads
 * only the conversations (fingerprinting 10,000 articles costs about 2 s of CPU), and a changed
 * knowledge base is a new index with its own. The promise is kept, so learnings that start
 * together share one fingerprinting; a failed one is not kept.
 */
const FINGERPRINTS = new WeakMap<KbIndex, Promise<ReplyMatcher>>();

function fingerprintsOf(index: KbIndex): Promise<ReplyMatcher> {
  const kept = FINGERPRINTS.get(index);
  if (kept) return kept;
  const building = runInSlices(fingerprintArticles(index.articles, (id) => index.groupOf(id)));
  FINGERPRINTS.set(index, building);
  building.catch(() => FINGERPRINTS.delete(index));
  return building;
}

/** What {@link loadAnswered} learns: the answered questions, and the calibration they allow. */
export type LearntAnswers = Pick<LoadedKb, 'answered' | 'answeredCalibration'>;

/**
 * Learns a skill's {@link AnsweredQuestions} for a built index from its source (none when the
 * source keeps no conversations), and, from `minAnsweredProbes` learnt questions on, calibrates
 * answer confidence again with them as probes: each is searched as a customer's question with
 * its article in and with it left out, never finding itself.
 */
export async function loadAnswered(
  source: Pick<KbSearchSource, 'answeredConversations'>,
  skillId: string,
  index: KbIndex,
  synonyms: string[][] = [],
): Promise<LearntAnswers> {
  if (!source.answeredConversations || index.size === 0) return { answered: NO_ANSWERED };
  const conversations = await source.answeredConversations(skillId, KB_TUNING.trafficMaxQuestions);
  const answered = await learnAnsweredQuestionsInSlices(
    index.articles,
    (id) => index.groupOf(id),
    conversations,
    KB_TUNING,
    await fingerprintsOf(index),
  );
  if (answered.learnt.length < KB_TUNING.minAnsweredProbes || index.size < CALIBRATION_SETTINGS.minArticles) return { answered };
  const probes = answered.learnt.map((q) => ({ query: q.question, articleId: q.articleId, answeredId: q.id }));
  const answeredCalibration = await calibrateWithQuestionsInSlices(index, probes, (query, exclude, probe) =>
    index.search(query, {
      limit: 10,
      synonyms,
      ...(exclude ? { exclude } : {}),
      answered: answered.evidence(query, {
        synonyms,
        ...(exclude ? { exclude } : {}),
        ...(probe?.answeredId !== undefined ? { leaveOut: probe.answeredId } : {}),
      }),
    }),
  );
  return { answered, answeredCalibration };
}

/** Searches a loaded knowledge base; see {@link KbSearch.search}. */
export function searchLoaded(loaded: LoadedKb, query: string, limit = 5): KbHit[] {
  if (query.trim() === '') return [];
  const answered = loaded.answered.questions > 0 ? loaded.answered.evidence(query, { synonyms: loaded.synonyms }) : undefined;
  // A few more than asked, so the near-duplicate rival of the top hit is seen.
  const options = { limit: Math.max(limit, 10), synonyms: loaded.synonyms, wordWeight: loaded.traffic.weightOf };
  const hits = loaded.index.search(query, { ...options, ...(answered ? { answered } : {}) });
  if (!answered || answered.size === 0 || loaded.answeredCalibration || hits.length === 0) return toKbHits(loaded, hits).slice(0, limit);
  // Until enough answered questions calibrate it, their evidence orders the hits but confidence
  // is read as without it (the articles' own probes never saw it, so their boundary would not
  // hold): from the search without it, with the top hit first and the best of the others as its
  // rival; an article only the evidence found has no confidence of its own.
  const cold = loaded.index.search(query, options);
  const top = hits[0]!;
  const coldTop = cold.find((h) => h.articleId === top.articleId) ?? { ...top, rank: 0, coverage: 0, titleMatch: 0 };
  const scored = new Map(toKbHits(loaded, [coldTop, ...cold.filter((h) => h.articleId !== top.articleId)]).map((h) => [h.articleId, h]));
  return toKbHits(loaded, hits)
    .slice(0, limit)
    .map(({ unscaledScore: _learnt, ...h }) => {
      const own = scored.get(h.articleId);
      return { ...h, score: own?.score ?? 0, ...(own?.unscaledScore !== undefined ? { unscaledScore: own.unscaledScore } : {}) };
    });
}

/**
 * How soon learning from conversations is tried again after it failed (a database that could not
 * be read): soon, but not at every check, so a failure that repeats costs little.
 */
export const LEARN_RETRY_MS = 60_000;

/**
 * The pipeline's knowledge-base search: an in-memory {@link KbIndex} per skill, built from the
 * store's snapshot, calibrated once per knowledge-base version (stored, so other processes reuse
 * it), and rebuilt when the version changes (checked in the background at most every
 * `revalidateMs`, so a search never waits for the database once its skill is loaded; `invalidate`
 * makes the next search wait for a fresh build). One build per skill at a time: a burst of turns
 * after an import waits for the same build.
 */
export function createKbSearch(source: KbSearchSource, options: KbSearchOptions = {}): KbSearch {
  const revalidateMs = options.revalidateMs ?? 2000;
  const maxCached = Math.max(1, options.maxCachedSkills ?? 64);
  const trafficRefreshMs = options.trafficRefreshMs ?? 15 * 60_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, LoadedKb>();
  const loading = new Map<string, Promise<LoadedKb>>();
  /** When learning from conversations failed: the `trafficAt` that makes the next try due in {@link LEARN_RETRY_MS}. */
  const retryLearningAt = () => now() - trafficRefreshMs + Math.min(LEARN_RETRY_MS, trafficRefreshMs);

  function remember(skillId: string, loaded: LoadedKb): LoadedKb {
    cache.delete(skillId);
    cache.set(skillId, loaded);
    while (cache.size > maxCached) cache.delete(cache.keys().next().value!);
    return loaded;
  }

  function build(skillId: string): Promise<LoadedKb> {
    let pending = loading.get(skillId);
    if (!pending) {
      pending = (async () => {
        const snapshot = await source.snapshot(skillId);
        const stored =
          source.calibration && source.saveCalibration
            ? {
                get: () => source.calibration!(skillId, snapshot.version),
                save: (c: Calibration) => source.saveCalibration!(skillId, snapshot.version, c),
              }
            : undefined;
        // Traffic only sharpens ranking: when it cannot be read, search without it and try again at the next check.
        const [loaded, traffic] = await Promise.all([
          loadKb(snapshot, stored, now()),
          loadTraffic(source, skillId).then(
            (t) => ({ traffic: t, trafficAt: now() }),
            () => ({ traffic: NO_TRAFFIC, trafficAt: -Infinity }),
          ),
        ]);
        // What agents answered sharpens ranking too, and likewise never stops a search; a failure is
        // tried again at the next check.
        const answers = await loadAnswered(source, skillId, loaded.index, loaded.synonyms).catch(() => undefined);
        return remember(skillId, {
          ...loaded,
          ...traffic,
          ...(answers ?? { answered: NO_ANSWERED }),
          ...(answers ? {} : { trafficAt: retryLearningAt() }),
        });
      })().finally(() => loading.delete(skillId));
      loading.set(skillId, pending);
    }
    return pending;
  }

  /**
   * Checks the version of a cached index and rebuilds it when the knowledge base changed; learns
   * the question traffic again when it is due (a failure keeps the traffic learnt before).
   */
  async function revalidate(skillId: string, cached: LoadedKb): Promise<LoadedKb> {
    if ((await source.version(skillId)) === cached.index.version) {
      if (now() - cached.trafficAt >= trafficRefreshMs) {
        cached.traffic = await loadTraffic(source, skillId).catch(() => cached.traffic);
        const answers = await loadAnswered(source, skillId, cached.index, cached.synonyms).catch(() => undefined);
        if (answers) {
          cached.answered = answers.answered;
          if (answers.answeredCalibration) cached.answeredCalibration = answers.answeredCalibration;
          else delete cached.answeredCalibration;
        }
        // A failed learning keeps what was learnt before and is tried again soon, not a whole interval later.
        cached.trafficAt = answers ? now() : retryLearningAt();
      }
      cached.checkedAt = now();
      return remember(skillId, cached);
    }
    return build(skillId);
  }

  /** Per skill, the check of its cached index under way: a search and a `load` share it. */
  const checking = new Map<string, Promise<LoadedKb>>();

  function check(skillId: string, cached: LoadedKb): Promise<LoadedKb> {
    let pending = checking.get(skillId);
    if (!pending) {
      pending = revalidate(skillId, cached).finally(() => checking.delete(skillId));
      checking.set(skillId, pending);
    }
    return pending;
  }

  async function load(skillId: string): Promise<LoadedKb> {
    const cached = cache.get(skillId);
    if (!cached) return build(skillId);
    if (now() - cached.checkedAt < revalidateMs) return remember(skillId, cached);
    return check(skillId, cached);
  }

  /**
   * The index a search uses: the cached one at once (a search never waits for the database once
   * its skill is loaded); when it is older than `revalidateMs`, its version is checked in the
   * background (one check per skill at a time) and a changed knowledge base rebuilt and swapped in.
   * An empty knowledge base is the exception: its index can only hand off, so a search waits for
   * the check instead (the first question after a skill's first import is answered from it).
   */
  async function current(skillId: string): Promise<LoadedKb> {
    const cached = cache.get(skillId);
    if (!cached) return build(skillId);
    if (cached.index.size === 0 && now() - cached.checkedAt >= revalidateMs) return check(skillId, cached).catch(() => cached);
    if (now() - cached.checkedAt >= revalidateMs && !checking.has(skillId)) {
      // The next search tries again; the cached index stays in use.
      check(skillId, cached).catch(() => undefined);
    }
    return remember(skillId, cached);
  }

  /** Waits for a background check of a skill, if one runs (tests, evaluation). */
  async function settled(skillId: string): Promise<void> {
    await checking.get(skillId)?.catch(() => undefined);
  }

  return {
    async search(skillId, query, searchOptions = {}) {
      if (query.trim() === '') return [];
      return searchLoaded(await current(skillId), query, searchOptions.limit ?? 5);
    },
    invalidate(skillId) {
      if (skillId === undefined) cache.clear();
      else cache.delete(skillId);
    },
    load,
    settled,
  };
}

/**
 * The consultant's knowledge-base search, as the worker and the admin app both build it: the
 * in-process index of each skill over `source` (the store's view, `kbSearchSourceOf`), checked
 * against the store's version at most every `revalidateMs`, with the question traffic of the
 * skill's recent conversations and the questions agents answered with its articles learnt again
 * every `learnEveryMs` (`KB_LEARN_INTERVAL_MS`; default a quarter of an hour; 0: nothing is
 * learnt from conversations, neither read nor shown).
 */
export function createConsultantKbSearch(source: KbSearchSource, options: { revalidateMs?: number; learnEveryMs?: number } = {}): KbSearch {
  const { recentQuestions: _traffic, answeredConversations: _answers, ...withoutConversations } = source;
  return createKbSearch(options.learnEveryMs === 0 ? withoutConversations : source, {
    ...(options.revalidateMs !== undefined ? { revalidateMs: options.revalidateMs } : {}),
    ...(options.learnEveryMs ? { trafficRefreshMs: options.learnEveryMs } : {}),
  });
}
