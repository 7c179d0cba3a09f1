/** Counts of one token in the current window. */
type Window = { count: number; resetAt: number };

/** The verdict of {@link TokenRateLimit.take}: allowed, or how long until the window resets. */
export type RateVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

const ALLOWED: RateVerdict = { allowed: true };

/**
 * Per-token request limit over a fixed window (the window of a token starts with its first request,
 * so a burst may use the whole window's allowance), in memory. Synchronous and one map lookup per
 * request: the webhook's hot path needs no promise for it. Keys are verified token ids, so the map
 * holds at most one entry per live token; expired windows are dropped as the map grows.
 */
export function createTokenRateLimit(options: { points: number; windowMs: number; now?: () => number }) {
  const now = options.now ?? Date.now;
  const windows = new Map<string, Window>();
  let nextSweepAt = 1024;
  return {
    /** Counts one request of `key` (worth `cost` points); past `points` in the window it is refused. */
    take(key: string, cost = 1): RateVerdict {
      const at = now();
      let window = windows.get(key);
      if (window === undefined || at >= window.resetAt) {
        window = { count: 0, resetAt: at + options.windowMs };
        windows.set(key, window);
        if (windows.size >= nextSweepAt) {
          for (const [k, w] of windows) if (at >= w.resetAt) windows.delete(k);
          nextSweepAt = Math.max(1024, windows.size * 2);
        }
      }
      window.count += cost;
      if (window.count <= options.points) return ALLOWED;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((window.resetAt - at) / 1000)) };
    },
  };
}
/** See {@link createTokenRateLimit}. */
export type TokenRateLimit = ReturnType<typeof createTokenRateLimit>;
