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
 * at once, also the answers of lookups still running then; `ttlMs` bounds how long a revocation can go
 * unseen while that channel is down. A lookup is bounded by `timeoutMs` (a locked `integrations`
 * table must not hang webhooks): it then rejects with a `TimeoutError`, and the lookup still fills
 * the cache when it finishes (unless a change was announced meanwhile).
 */
export function createTokenResolver(repo: Pick<IntegrationsRepo, 'findByToken' | 'touchToken'>, ttlMs: number, timeoutMs = 1000) {
  const cache = new LRUCache<string, FoundToken | 'unknown'>({ max: 10_000, ttl: Math.max(ttlMs, 1) });
  // Tokens verified within the last day (no integration kept): a body with such a token that cannot
  // be checked now is not charged to the budget of made-up ones (see webhook.route).
  const verified = new LRUCache<string, true>({ max: 10_000, ttl: 24 * 3_600_000 });
  const inFlight = new Map<string, Promise<FoundToken | undefined>>();
  // Bumped by `clear`: a lookup that began before a change was announced may have read the token as
  // it was, so its answer is not kept, and later requests do not join it.
  let generation = 0;
  const lookup = (token: string): Promise<FoundToken | undefined> => {
    let running = inFlight.get(token);
    if (!running) {
      const startedIn = generation;
      const started: Promise<FoundToken | undefined> = repo
        .findByToken(token)
        .then((row) => {
          const found = row ? { integrationId: row.integrationId, tokenId: row.tokenId } : undefined;
          // Time left until expiry as the database counts it: no other clock is involved.
          const untilExpiry = row?.expiresInMs ?? Infinity;
          const ttl = found ? Math.min(ttlMs, untilExpiry) : Math.min(ttlMs, 5000);
          if (ttl >= 1 && startedIn === generation) cache.set(token, found ?? 'unknown', { ttl });
          if (found && startedIn === generation) verified.set(token, true);
          if (found) void repo.touchToken(found.tokenId).catch(() => undefined);
          return found;
        })
        .finally(() => {
          if (inFlight.get(token) === started) inFlight.delete(token);
        });
      running = started;
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
    /** Whether the token was verified within the last day (and no token change was announced since). */
    recentlyVerified: (token: string): boolean => verified.has(token),
    /** Drops every copy, and the answers of lookups still running (a token changed). */
    clear: () => {
      generation += 1;
      cache.clear();
      verified.clear();
      inFlight.clear();
    },
  };
}
/** See {@link createTokenResolver}. */
export type TokenResolver = ReturnType<typeof createTokenResolver>;
