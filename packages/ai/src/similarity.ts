import { contentStems } from './text-tokens';

/**
 * How alike two customer questions are, 0..1: the overlap of their content-word stems, measured
 * against the smaller set (so a shorter restatement of a longer question still counts), damped for
 * one-word texts. Stemming makes "доставка"/"доставку" and "returns"/"return" the same.
 */
export function questionSimilarity(a: string, b: string): number {
  const sa = new Set(contentStems(a));
  const sb = new Set(contentStems(b));
  if (sa.size === 0 || sb.size === 0) return 0;
  let common = 0;
  for (const s of sa) if (sb.has(s)) common++;
  const overlap = common / Math.min(sa.size, sb.size);
  const jaccard = common / (sa.size + sb.size - common);
  const damp = Math.min(sa.size, sb.size) >= 2 ? 1 : 0.7;
  return Math.max(jaccard, overlap * 0.9) * damp;
}

/** Questions at least this similar count as the same question asked again. */
export const REPEAT_SIMILARITY = 0.6;
