import { LRUCache } from 'lru-cache';
import type { IntegrationsRepo } from '@repo/store';
import { withTimeout } from './with-timeout';

/** A verified webhook token. */
export type FoundToken = { integrationId: string; tokenId: string };

/**
 * Resolves webhook tokens to integrations with a bounded cache, so the hot path costs no database
 * round trip. Unknown tokens are cached too (briefly, as `null`) so a flood of bad tokens does not
 * become a flood of queries; the cache size bounds memory. A token is never kept past its expiry,
 * and `clear` (called when PostgreSQL announces a revoked, re-dated or deleted token) drops every copy
 * at once; `ttlMs` bounds how long a revocation can go unseen while that channel is down. A lookup is bounded by `timeoutMs`
 * (a locked `integrations` table must not hang webhooks): it then rejects with a `TimeoutError`,
 * and the lookup still fills the cache when it finishes.
 */
export function createTokenResolver(repo: Pick<IntegrationsRepo, 'findByToken' | 'touchToken'>, ttlMs: number, timeoutMs = 1000) {
  const cache = new LRUCache<string, FoundToken | 'unknown'>({ max: 10_000, ttl: Math.max(ttlMs, 1) });
  const inFlight = new Map<string, Promise<FoundToken | undefined>>();
  const lookup = (token: string): Promise<FoundToken | undefined> => {
    let running = inFlight.get(token);
    if (!running) {
      running = repo
        .findByToken(token)
        .then((row) => {
          const found = row ? { integrationId: row.integrationId, tokenId: row.tokenId } : undefined;
          const untilExpiry = row?.expiresAt ? row.expiresAt.getTime() - Date.now() : Infinity;
          const ttl = found ? Math.min(ttlMs, untilExpiry) : Math.min(ttlMs, 5000);
          if (ttl >= 1) cache.set(token, found ?? 'unknown', { ttl });
          if (found) void repo.touchToken(found.tokenId).catch(() => undefined);
          return found;
        })
        .finally(() => inFlight.delete(token));
      inFlight.set(token, running);
    }
    return running;
  };
  return {
    /**
     * The cached answer for a token without waiting: the token, `null` for a token known to be
     * unknown, `undefined` when it must be looked up ({@link resolve}).
     */
    peek(token: string): FoundToken | null | undefined {
      const cached = cache.get(token);
      return cached === 'unknown' ? null : cached;
    },
    async resolve(token: string): Promise<FoundToken | undefined> {
      const cached = cache.get(token);
      if (cached !== undefined) return cached === 'unknown' ? undefined : cached;
      return withTimeout(lookup(token), timeoutMs, 'Token lookup');
    },
    /** Resolves without the time bound (spool replay). */
    resolveUnbounded: (token: string) => lookup(token),
    clear: () => cache.clear(),
  };
}
/** See {@link createTokenResolver}. */
export type TokenResolver = ReturnType<typeof createTokenResolver>;
