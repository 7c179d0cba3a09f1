import { stem, tokenize } from './text-tokens';
import { correctWord } from './spelling';

/**
 * A small logistic-regression model that scores how likely a customer message asks for a live
 * person. It complements the hand-written rules in `operator-request.ts`: the rules are precise on
 * the phrasings they were written for, the model generalises over word stems and character n-grams
 * to phrasings the rules have not seen. Training is in `eval/train-handoff-model.ts`; the weights
 * are committed in `models/operator-request-model.json`.
 *
 * Everything here is deterministic and offline: no random initialisation, no shuffling, a fixed
 * number of full-batch iterations, so the same training files give the same JSON byte for byte.
 */

/** Which feature groups are extracted; stored in the model so prediction matches training. */
export type FeatureConfig = {
  /** Stem unigrams (`u:`) — always on. */
  unigrams: boolean;
  /** Stem bigrams (`b:`), with a start marker so "не надо" at the start differs from inside. */
  bigrams: boolean;
  /** Smallest and largest character n-gram (`c:`) over the corrected words; 0 turns them off. */
  charMin: number;
  charMax: number;
};

/** Training settings chosen by cross-validation. */
export type TrainConfig = {
  features: FeatureConfig;
  /** L2 penalty on the weights (not on the bias), per example. */
  l2: number;
  /** Full-batch gradient iterations. */
  iterations: number;
  /** A feature must occur in at least this many training texts to get a weight. */
  minCount: number;
  /** After training, keep only this many features with the largest |weight| (the model file's size). */
  maxFeatures: number;
};

/**
 * How the rules and the model are combined for `intent === 'operator_request'`:
 * a message is a request when `rules && p ≥ vetoBelow` or when `p ≥ threshold`.
 * `vetoBelow = 0` means the model never overrides a rule hit; `threshold > 1` means the model never
 * adds a hit of its own (rules only).
 */
export type DecisionRule = { threshold: number; vetoBelow: number };

/** The committed model: feature settings, weights, bias, decision rule and how it was measured. */
export type OperatorRequestModel = {
  version: 1;
  features: FeatureConfig;
  bias: number;
  weights: Record<string, number>;
  decision: DecisionRule;
  /** Free-form provenance: training files, settings, cross-validation figures. */
  meta: Record<string, unknown>;
};

/** One labelled training text (already cleaned and layout-fixed). */
export type TrainingExample = { text: string; label: boolean };

/**
 * The words the model sees: the tokens of the (already prepared) text with misspellings of the
 * intent vocabulary corrected, as the rules see them, so "опертор" and "оператор" share features.
 */
export function modelTokens(preparedText: string): string[] {
  return tokenize(preparedText).map(correctWord);
}

/**
 * The feature set of one text: each feature once (binary), because in messages of a few words a
 * repeated word rarely means more than the word once. Stopwords are kept on purpose: "не", "no",
 * "с/with" carry refusals and "talk *to*", which is most of what separates requests here.
 */
export function extractFeatures(preparedText: string, config: FeatureConfig): string[] {
  // Sorted so training indexes features in a fixed order.
  return [...featureSet(preparedText, config)].sort();
}

/** The features of {@link extractFeatures}, unsorted: scoring a message needs no order. */
function featureSet(preparedText: string, config: FeatureConfig): Set<string> {
  const tokens = modelTokens(preparedText);
  const stems = tokens.map(stem);
  const out = new Set<string>();
  if (config.unigrams) for (const s of stems) out.add(`u:${s}`);
  if (config.bigrams) {
    const seq = ['<s>', ...stems, '</s>'];
    for (let i = 0; i + 1 < seq.length; i++) out.add(`b:${seq[i]}_${seq[i + 1]}`);
  }
  if (config.charMin > 0) {
    // Character n-grams over the corrected words catch inflections and typos the stemmer misses
    // ("операторa", "спецiалiст", "человечка"); the spaces mark word edges.
    const joined = ` ${tokens.join(' ')} `;
    for (let n = config.charMin; n <= config.charMax; n++) {
      for (let i = 0; i + n <= joined.length; i++) {
        const g = joined.slice(i, i + n);
        if (g.trim() !== '') out.add(`c:${g}`);
      }
    }
  }
  return out;
}

/**
 * The model's weights as a `Map`, built once per model: a 50,000-key object is a dictionary-mode
 * object to V8, several times slower to look up, and a message of a few hundred characters looks up
 * over a thousand features.
 */
const weightMaps = new WeakMap<OperatorRequestModel['weights'], Map<string, number>>();

function weightMap(weights: OperatorRequestModel['weights']): Map<string, number> {
  let map = weightMaps.get(weights);
  if (!map) {
    map = new Map(Object.entries(weights));
    weightMaps.set(weights, map);
  }
  return map;
}

/**
 * The model's probability for a prepared text: {@link scoreFeatures} of its features, without
 * sorting them (the sum's order moves only its last bits).
 */
export function scoreText(preparedText: string, model: Pick<OperatorRequestModel, 'features' | 'weights' | 'bias'>): number {
  const weights = weightMap(model.weights);
  const features = featureSet(preparedText, model.features);
  return weighedSum(features, features.size, (f) => weights.get(f) ?? 0, model.bias);
}

/** Logistic function, guarded against overflow. */
function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/**
 * The model's probability that the features come from a request for a person. Each feature's
 * weight is divided by √(number of features), so long messages (many char n-grams) do not get
 * extreme scores just for being long — the same scaling is used in training.
 */
export function scoreFeatures(features: string[], model: Pick<OperatorRequestModel, 'weights' | 'bias'>): number {
  // Read from the object, not a cached Map: training scores weights it is still changing.
  return weighedSum(features, features.length, (f) => model.weights[f] ?? 0, model.bias);
}

/** The logistic of the bias plus the features' weights, each divided by √count (see {@link scoreFeatures}). */
function weighedSum(features: Iterable<string>, count: number, weightOf: (feature: string) => number, bias: number): number {
  if (count === 0) return sigmoid(bias);
  const scale = 1 / Math.sqrt(count);
  let z = bias;
  for (const f of features) z += weightOf(f) * scale;
  return sigmoid(z);
}

/**
 * Trains a logistic regression on the feature sets of the examples: L2-regularised log-loss,
 * minimised by full-batch gradient descent with Adagrad step sizes. Classes are weighted to be
 * balanced so the probability is not pulled towards the majority class of a given set.
 * Deterministic: features are indexed in sorted order and there is no randomness.
 */
export function trainModel(
  examples: { features: string[]; label: boolean }[],
  config: TrainConfig,
): Pick<OperatorRequestModel, 'weights' | 'bias'> {
  const counts = new Map<string, number>();
  for (const e of examples) for (const f of e.features) counts.set(f, (counts.get(f) ?? 0) + 1);
  const vocab = [...counts.entries()]
    .filter(([, c]) => c >= config.minCount)
    .map(([f]) => f)
    .sort();
  const index = new Map(vocab.map((f, i) => [f, i]));
  const rows = examples.map((e) => {
    const ids = e.features.map((f) => index.get(f)).filter((i): i is number => i !== undefined);
    return { ids, scale: e.features.length > 0 ? 1 / Math.sqrt(e.features.length) : 0, y: e.label ? 1 : 0 };
  });
  const positives = rows.filter((r) => r.y === 1).length;
  const negatives = rows.length - positives;
  const weightOf = (y: number): number =>
    rows.length === 0 ? 0 : y === 1 ? rows.length / (2 * Math.max(1, positives)) : rows.length / (2 * Math.max(1, negatives));

  const w = new Float64Array(vocab.length);
  const g2 = new Float64Array(vocab.length);
  let b = 0;
  let b2 = 0;
  const rate = 0.5;
  const grad = new Float64Array(vocab.length);
  for (let it = 0; it < config.iterations; it++) {
    grad.fill(0);
    let gb = 0;
    for (const r of rows) {
      let z = b;
      for (const i of r.ids) z += (w[i] as number) * r.scale;
      const err = (sigmoid(z) - r.y) * weightOf(r.y);
      gb += err;
      for (const i of r.ids) grad[i] = (grad[i] as number) + err * r.scale;
    }
    const m = Math.max(1, rows.length);
    for (let i = 0; i < vocab.length; i++) {
      const g = (grad[i] as number) / m + config.l2 * (w[i] as number);
      g2[i] = (g2[i] as number) + g * g;
      w[i] = (w[i] as number) - (rate * g) / (Math.sqrt(g2[i] as number) + 1e-8);
    }
    const gbm = gb / m;
    b2 += gbm * gbm;
    b -= (rate * gbm) / (Math.sqrt(b2) + 1e-8);
  }

  // Prune to the strongest features: the rest move scores by little and would only bloat the file.
  const order = vocab.map((f, i) => ({ f, v: w[i] as number })).filter((x) => Math.abs(x.v) >= 1e-4);
  order.sort((x, y) => Math.abs(y.v) - Math.abs(x.v) || (x.f < y.f ? -1 : x.f > y.f ? 1 : 0));
  const kept = order.slice(0, config.maxFeatures).sort((x, y) => (x.f < y.f ? -1 : x.f > y.f ? 1 : 0));
  const weights: Record<string, number> = {};
  for (const { f, v } of kept) weights[f] = Math.round(v * 10000) / 10000;
  return { weights, bias: Math.round(b * 10000) / 10000 };
}

/** Applies the decision rule to the rules' verdict and the model's probability. */
export function decide(rulesSay: boolean, probability: number, rule: DecisionRule): boolean {
  return (rulesSay && probability >= rule.vetoBelow) || probability >= rule.threshold;
}
