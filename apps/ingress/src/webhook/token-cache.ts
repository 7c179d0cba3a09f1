import { LRUCache } from 'lru-cache';
import type { IntegrationsRepo } from '@repo/store';

type Found = { integrationId: string; tokenId: string };

/**
 * Resolves webhook tokens to integrations with a bounded cache, so the hot path costs no database
 * round trip. Unknown tokens are cached too (briefly, as `null`) so a flood of bad tokens does not
 * become a flood of queries; the cache size bounds memory.
 */
export function createTokenResolver(repo: Pick<IntegrationsRepo, 'findByToken' | 'touchToken'>, ttlMs: number) {
  const cache = new LRUCache<string, Found | 'unknown'>({ max: 10_000, ttl: Math.max(ttlMs, 1) });
  return {
    async resolve(token: string): Promise<Found | undefined> {
      const cached = cache.get(token);
      if (cached !== undefined) return cached === 'unknown' ? undefined : cached;
      const found = await repo.findByToken(token);
      cache.set(token, found ?? 'unknown', { ttl: found ? ttlMs : Math.min(ttlMs, 5000) });
      if (found) void repo.touchToken(found.tokenId).catch(() => undefined);
      return found;
    },
    clear: () => cache.clear(),
  };
}
/** See {@link createTokenResolver}. */
export type TokenResolver = ReturnType<typeof createTokenResolver>;
