import { parseSkillSettings } from '@repo/domain';
import type { IndexHit, KbIndex } from './kb-index';
import { runAtOnce, runInSlices, type SlicedWork } from './sliced-work';

/**
 * How a search's top hits become one raw confidence in 0..1: the top article's ranking score
 * (evidence strength) times its coverage of the question (how much of it is accounted for), lowered
 * when the best article that is not its near-duplicate ranks almost as high (a near-tie between two
 * different answers is where the top hit is most often wrong), squashed as x / (x + `scale`). Only
 * the order matters: calibration places each knowledge base's boundary on this scale. Chosen by
 * ranking right against wrong top hits (with and without the relevant article) on the tuning sets:
 * ROC AUC 0.82 (own set), 0.72 (en_covid), 0.89 (ru_school), against 0.76 / 0.58 / 0.83 for
 * coverage alone.
 */
export const CONFIDENCE_SHAPE = {
  /** Relative rank gap from which the runner-up no longer lowers confidence. */
  marginGap: 0.35,
  /** Share of confidence a dead heat takes away. */
  marginWeight: 0.5,
  /**
   * Evidence at which raw confidence is 0.5. Read against the ranking's score scale: 5 when
   * `KB_TUNING.k1` was 2; with k1 4 (larger scores) it is 6, chosen so that no set's answer
   * precision falls and none answers more with its articles left out (at 5, ru_aitk's small
   * calibration let 31 wrong answers through instead of 20; see docs/quality.md).
   */
  scale: 6,
  /**
   * Share of the remaining doubt a question that restates the top article's title removes (scaled
   * by {@link IndexHit.titleMatch}): on a small knowledge base of common words («Способы оплаты»)
   * ranking evidence alone stays low even for the title itself.
   */
  titleMatchWeight: 0.2,
  /** Title match below which a question is not read as restating the title (shared words alone are no restatement). */
  titleMatchFrom: 0.5,
} as const;

/** The raw confidence of a ranked list, with the parts it is made of. */
export type RawConfidence = {
  raw: number;
  /** The raw confidence without the near-tie penalty (what a clarifying question between two articles may use). */
  coverage: number;
  /** (top − runner-up) / top of the ranking scores; 1 without a rival. */
  gap: number;
  /** The runner-up from another near-duplicate group, when there is one. */
  rival?: IndexHit;
};

/** See {@link CONFIDENCE_SHAPE}. */
export function rawConfidence(index: Pick<KbIndex, 'groupOf'>, hits: IndexHit[]): RawConfidence {
  const top = hits[0];
  if (!top) return { raw: 0, coverage: 0, gap: 0 };
  const group = index.groupOf(top.articleId);
  const rival = hits.find((h) => index.groupOf(h.articleId) !== group);
  const gap = rival && top.rank > 0 ? Math.max(0, (top.rank - rival.rank) / top.rank) : 1;
  const penalty = CONFIDENCE_SHAPE.marginWeight * Math.max(0, 1 - gap / CONFIDENCE_SHAPE.marginGap);
  const evidence = Math.max(0, top.rank) * top.coverage * (1 - penalty);
  const squash = (x: number) => x / (x + CONFIDENCE_SHAPE.scale);
  const from = CONFIDENCE_SHAPE.titleMatchFrom;
  const restated = Math.max(0, ((top.titleMatch ?? 0) - from) / (1 - from));
  const titled = (c: number, keep: number) => c + (1 - c) * CONFIDENCE_SHAPE.titleMatchWeight * restated * keep;
  return {
    raw: titled(squash(evidence), 1 - penalty),
    coverage: titled(squash(Math.max(0, top.rank) * top.coverage), 1),
    gap,
    ...(rival ? { rival } : {}),
  };
}

/** The skills' default answer threshold: calibration maps a knowledge base's own boundary onto it. */
export const DEFAULT_ANSWER_THRESHOLD = parseSkillSettings(undefined).confidenceThreshold;

/**
 * What calibration learnt about one knowledge base: the raw confidence from which answers are
 * right often enough (`boundary`), and a typical raw confidence of a right answer (`typical`).
 */
export type Calibration = {
  boundary: number;
  typical: number;
  /** Probes asked, and how many of them the boundary would have answered with the article left out. */
  probes: number;
  leftOutAnswered: number;
  /** Probes answered right with the article in. */
  answeredRight: number;
};

/** Used before a knowledge base is calibrated (too few articles to learn from). */
export const UNCALIBRATED: Calibration = { boundary: 0.55, typical: 0.9, probes: 0, leftOutAnswered: 0, answeredRight: 0 };

/**
 * Maps a raw confidence to the 0..1 score the skill's threshold reads: piecewise linear, so the
 * knowledge base's `boundary` lands on {@link DEFAULT_ANSWER_THRESHOLD} and `typical` on 0.9. A skill
 * that keeps the default threshold answers exactly from its own calibrated boundary; raising the
 * threshold makes it stricter on every knowledge base alike.
 */
export function calibratedScore(raw: number, c: Calibration): number {
  const t0 = DEFAULT_ANSWER_THRESHOLD;
  const b = Math.min(Math.max(c.boundary, 0.01), 0.98);
  const top = Math.max(c.typical, b + 0.01);
  let s: number;
  if (raw <= b) s = (t0 * raw) / b;
  else if (raw <= top) s = t0 + ((0.9 - t0) * (raw - b)) / (top - b);
  else s = 0.9 + (0.1 * (raw - top)) / Math.max(1e-6, 1 - top);
  return Math.min(1, Math.max(0, s));
}

/** Knobs of {@link calibrate}. */
export const CALIBRATION_SETTINGS = {
  /** Most probes asked (articles sampled evenly beyond this): bounds the work to ~2 × this searches. */
  maxProbes: 160,
  /** Fewest articles a knowledge base needs before it is calibrated at all. */
  minArticles: 4,
  /** Share of wrong answers (article left out, or a wrong top hit) the boundary may still let through. */
  wrongRate: 0.1,
  /**
   * The same share when answered questions are among the probes. Real questions are harder probes
   * than titles: with title probes alone a 10 % share let 1.4–4.7 % of real left-out questions
   * through, with real questions as probes it lets about that share through, so it is set near
   * the product's 5 % limit.
   */
  answeredWrongRate: 0.04,
  /** The boundary never goes below this raw confidence. */
  minBoundary: 0.05,
  /** Weight, in probes, of the uncalibrated boundary: a small knowledge base's few probes are not trusted alone. */
  priorProbes: 5,
} as const;

/** The probe question of an article: its title, or else the first sentence of its text (at most 20 words). */
export function probeOf(article: { title: string; passages: Array<{ text: string }> }): string {
  const title = article.title.trim();
  if (title) return title;
  const text = article.passages[0]?.text ?? '';
  const sentence = text.split(/(?<=[.!?])\s+|\n+/).find((s) => (s.match(/[\p{L}\p{N}]+/gu) ?? []).length >= 3) ?? text;
  return (sentence.match(/\S+/g) ?? []).slice(0, 20).join(' ');
}

/**
 * Learns where a knowledge base's answers become trustworthy, from probes made of its own articles
 * (see {@link probeOf}): each probe is searched with its article (and near-duplicates) in the index
 * and again with them left out. With them left out every answer would be wrong; with them in, a
 * wrong top hit is wrong too. The boundary is the raw confidence that only `wrongRate` of those
 * wrong cases reach; `typical` is the median raw confidence of right answers. Linear in the number
 * of probes, which is bounded.
 */
export function calibrate(index: KbIndex, search: ProbeSearch): Calibration {
  return runAtOnce(calibrationSteps(index, articleProbes(index), search));
}

/** {@link calibrate} in slices of at most `sliceMs` of CPU, giving the event loop a turn between them. */
export function calibrateInSlices(index: KbIndex, search: ProbeSearch, sliceMs?: number): Promise<Calibration> {
  return runInSlices(calibrationSteps(index, articleProbes(index), search), sliceMs);
}

/**
 * {@link calibrate} with further probes: real questions known to be answered by an article (the
 * questions agents answered, `AnsweredQuestions`), asked beside the article probes, each at most
 * `maxProbes`. A real question is a truer probe than a title: with its article left out, its
 * neighbour's answered questions still look like it, which title probes never show.
 */
export function calibrateWithQuestionsInSlices(
  index: KbIndex,
  questions: readonly Probe[],
  search: ProbeSearch,
  sliceMs?: number,
): Promise<Calibration> {
  const sampled = sampleEvenly(questions, CALIBRATION_SETTINGS.maxProbes);
  return runInSlices(
    calibrationSteps(index, [...articleProbes(index), ...sampled], search, CALIBRATION_SETTINGS.answeredWrongRate),
    sliceMs,
  );
}

/** One calibration probe: a question, the article that answers it, and (an answered question) its own entry. */
export type Probe = { query: string; articleId: number; answeredId?: number };

/**
 * How calibration searches: a probe, with some articles left out of the index or none. A probe
 * that is itself an answered question must not find itself (`probe.answeredId`).
 */
export type ProbeSearch = (query: string, exclude: ReadonlySet<number> | undefined, probe?: Probe) => IndexHit[];

/** The article probes (see {@link probeOf}), at most `maxProbes`, sampled evenly. */
function articleProbes(index: KbIndex): Probe[] {
  if (index.articles.length < CALIBRATION_SETTINGS.minArticles) return [];
  return sampleEvenly(index.articles, CALIBRATION_SETTINGS.maxProbes).flatMap((article) => {
    const query = probeOf(article);
    return query ? [{ query, articleId: article.id }] : [];
  });
}

/** At most `max` of `items`, spread evenly from the first to the last. */
function sampleEvenly<T>(items: readonly T[], max: number): T[] {
  const step = Math.max(1, items.length / max);
  const out: T[] = [];
  for (let i = 0; i < items.length && out.length < max; i += step) out.push(items[Math.floor(i)]!);
  return out;
}

/** {@link calibrate}, one step per probe. */
function* calibrationSteps(
  index: KbIndex,
  probeList: readonly Probe[],
  search: ProbeSearch,
  wrongRate: number = CALIBRATION_SETTINGS.wrongRate,
): SlicedWork<Calibration> {
  if (index.articles.length < CALIBRATION_SETTINGS.minArticles) return UNCALIBRATED;
  const wrong: number[] = [];
  const right: number[] = [];
  let probes = 0;
  for (const probe of probeList) {
    probes += 1;
    const members = new Set(index.groupMembers(probe.articleId));
    const inside = search(probe.query, undefined, probe);
    const withIt = rawConfidence(index, inside);
    if (inside[0] && members.has(inside[0].articleId)) right.push(withIt.raw);
    else if (inside[0]) wrong.push(withIt.raw);
    const outside = search(probe.query, members, probe);
    wrong.push(rawConfidence(index, outside).raw);
    yield;
  }
  if (probes === 0) return UNCALIBRATED;
  wrong.sort((a, b) => a - b);
  right.sort((a, b) => a - b);
  const q = wrong[Math.min(wrong.length - 1, Math.floor((1 - wrongRate) * wrong.length))] ?? UNCALIBRATED.boundary;
  // Few probes say little: the learnt boundary is drawn towards the uncalibrated one by `priorProbes`.
  const learnt =
    (probes * (q + 1e-6) + CALIBRATION_SETTINGS.priorProbes * UNCALIBRATED.boundary) / (probes + CALIBRATION_SETTINGS.priorProbes);
  const boundary = Math.min(0.95, Math.max(CALIBRATION_SETTINGS.minBoundary, learnt));
  const typical = Math.max(boundary + 0.02, right[Math.floor(right.length / 2)] ?? UNCALIBRATED.typical);
  return {
    boundary,
    typical: Math.min(1, typical),
    probes,
    leftOutAnswered: wrong.filter((r) => r >= boundary).length,
    answeredRight: right.filter((r) => r >= boundary).length,
  };
}

/** Reads a stored calibration leniently (another version of the product may have written it). */
export function parseCalibration(value: unknown): Calibration | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  const num = (k: string) => (typeof v[k] === 'number' && Number.isFinite(v[k]) ? (v[k] as number) : undefined);
  const boundary = num('boundary');
  const typical = num('typical');
  if (boundary === undefined || typical === undefined) return undefined;
  return {
    boundary,
    typical,
    probes: num('probes') ?? 0,
    leftOutAnswered: num('leftOutAnswered') ?? 0,
    answeredRight: num('answeredRight') ?? 0,
  };
}
