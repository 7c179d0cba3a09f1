import type { KbHit } from '@repo/domain';
import type { KbRepo } from './kb.repo';

function best(hits: KbHit[]): number {
  return hits[0]?.score ?? 0;
}

/**
 * Searches for a customer's turn. A short follow-up ("а сколько это стоит?") means little alone, so
 * when the text alone finds nothing above `threshold` it is searched together with the previous
 * question, and the better of the two result lists wins.
 */
export async function searchTurn(
  kb: Pick<KbRepo, 'search'>,
  input: { skillId: string; text: string; previous?: string; threshold: number; limit?: number },
): Promise<KbHit[]> {
  const limit = input.limit ?? 5;
  const hits = input.text ? await kb.search(input.skillId, input.text, { limit }) : [];
  if (best(hits) >= input.threshold || !input.previous) return hits;
  const combined = await kb.search(input.skillId, `${input.previous} ${input.text}`, { limit });
  return best(combined) > best(hits) ? combined : hits;
}
