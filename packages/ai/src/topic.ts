import type { Topic, TopicCandidate } from '@repo/domain';
import { contentStems, stem, tokenize } from './text-tokens';
import { isFuzzyMatch } from './edit-distance';

/** Stems of a text plus, for each synonym group one of whose words occurs, the stems of the others. */
export function expandWithSynonyms(stems: string[], synonyms: string[][]): Set<string> {
  const set = new Set(stems);
  for (const group of synonyms) {
    const groupStems = group.map((w) => tokenize(w).map(stem));
    if (groupStems.some((ws) => ws.length > 0 && ws.every((s) => set.has(s)))) {
      for (const ws of groupStems) for (const s of ws) set.add(s);
    }
  }
  return set;
}

function hasStem(stems: Set<string>, wanted: string): boolean {
  if (stems.has(wanted)) return true;
  if (wanted.length < 5) return false;
  for (const s of stems) if (s.length >= 5 && isFuzzyMatch(s, wanted)) return true;
  return false;
}

/**
 * How well a text matches one topic, 0..1: each keyword (a word or phrase, compared by stems, with
 * one typo allowed in longer words) adds evidence (1 keyword → 0.6, 2 → 0.84, …), and the best
 * example counts by the share of its content stems found in the text.
 */
export function scoreTopic(textStems: Set<string>, topic: Topic): number {
  let keywordHits = 0;
  for (const kw of topic.keywords) {
    const kwStems = contentStems(kw);
    if (kwStems.length > 0 && kwStems.every((s) => hasStem(textStems, s))) keywordHits++;
  }
  const keywordScore = 1 - Math.pow(0.4, keywordHits);
  let exampleScore = 0;
  for (const ex of topic.examples) {
    const exStems = [...new Set(contentStems(ex))];
    if (exStems.length === 0) continue;
    const common = exStems.filter((s) => hasStem(textStems, s)).length;
    exampleScore = Math.max(exampleScore, (common / exStems.length) * (common >= 2 || exStems.length === 1 ? 1 : 0.5));
  }
  return Math.min(1, Math.max(keywordScore, exampleScore) + 0.15 * Math.min(keywordScore, exampleScore));
}

/** Candidates below this score are not reported. */
export const MIN_TOPIC_SCORE = 0.3;

/**
 * Ranks the skill's topics for a text, best first, keeping those scoring at least
 * {@link MIN_TOPIC_SCORE}. Stemming makes "доставку", "доставки" and "доставка" one word.
 */
export function rankTopics(text: string, topics: Topic[], synonyms: string[][] = []): TopicCandidate[] {
  const stems = expandWithSynonyms(contentStems(text), synonyms);
  return topics
    .map((t) => ({ id: t.id, score: Math.round(scoreTopic(stems, t) * 1000) / 1000 }))
    .filter((c) => c.score >= MIN_TOPIC_SCORE)
    .sort((a, b) => b.score - a.score);
}

/** The first of `topics` the text matches by keywords or examples, or undefined; used for blocked topics. */
export function matchTopic(text: string, topics: Topic[], synonyms: string[][] = []): Topic | undefined {
  const stems = expandWithSynonyms(contentStems(text), synonyms);
  return topics.find((t) => scoreTopic(stems, t) >= 0.5);
}
