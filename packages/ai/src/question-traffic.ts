import { analyze } from './kb-analyzer';
import { KB_TUNING, type KbTuning } from './kb-search-tuning';
import { runInSlices, type SlicedWork } from './sliced-work';

/**
 * What a skill's customers usually ask, as word weights for ranking: a word that most of them use
 * (the product's own name, «заказ» in a shop, "coronavirus" in a COVID help line whose articles say
 * COVID-19) tells one question from another no better than a stop word, however rare it is in the
 * articles. Plain IDF only sees the articles, so such a word pulls the few articles that happen to
 * use it to the top; this weight, learnt from the questions themselves, takes that pull away.
 */
export type QuestionTraffic = {
  /** Conversations the weights were learnt from. */
  questions: number;
  /** Weight (0..1) of a question word, by its stem: 1 for a word few conversations use. */
  weightOf(stem: string): number;
};

/** No traffic learnt: every word counts fully. */
export const NO_TRAFFIC: QuestionTraffic = { questions: 0, weightOf: () => 1 };

/**
 * Learns {@link QuestionTraffic} from recent conversations' customer text (one string per
 * conversation, so one talkative customer counts once per word). A word in at most
 * `trafficCommonShare` of the conversations keeps weight 1; above that its weight falls as the
 * log of its share, log(1/share) / log(1/trafficCommonShare), never below `trafficMinWeight`.
 * Fewer than `trafficMinQuestions` conversations say too little, and nothing is learnt. Linear in
 * the text read: at most `trafficMaxQuestions` conversations of at most `maxQueryChars` each.
 */
export function* learnQuestionTraffic(texts: Iterable<string>, tuning: KbTuning = KB_TUNING): SlicedWork<QuestionTraffic> {
  const counts = new Map<string, number>();
  let questions = 0;
  for (const text of texts) {
    if (questions >= tuning.trafficMaxQuestions) break;
    const stems = new Set(analyze(text.length > tuning.maxQueryChars ? text.slice(0, tuning.maxQueryChars) : text, true));
    if (stems.size === 0) continue;
    questions += 1;
    for (const stem of stems) counts.set(stem, (counts.get(stem) ?? 0) + 1);
    if ((questions & 63) === 0) yield;
  }
  if (questions < tuning.trafficMinQuestions) return { questions, weightOf: () => 1 };
  const common = tuning.trafficCommonShare;
  const weights = new Map<string, number>();
  for (const [stem, n] of counts) {
    const share = n / questions;
    if (share > common) weights.set(stem, Math.max(tuning.trafficMinWeight, Math.log(1 / share) / Math.log(1 / common)));
  }
  return { questions, weightOf: (stem) => weights.get(stem) ?? 1 };
}

/** {@link learnQuestionTraffic} in slices, beside other work (the worker's loop renews job locks). */
export function learnQuestionTrafficInSlices(texts: Iterable<string>, tuning: KbTuning = KB_TUNING): Promise<QuestionTraffic> {
  return runInSlices(learnQuestionTraffic(texts, tuning));
}
