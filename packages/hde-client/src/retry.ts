/** Backoff settings for retried GETs. */
export type RetryPolicy = {
  /** Retries after the first attempt (GET only). */
  retries: number;
  /** First backoff ceiling; doubles per retry. */
  baseDelayMs: number;
  /** Backoff ceiling after doubling. */
  maxDelayMs: number;
  /** Longest `Retry-After` the client waits out itself; longer ones are returned to the caller. */
  maxRetryAfterMs: number;
};

/** Defaults: 2 retries, 200 ms base, 5 s cap, and up to 10 s of `Retry-After` waited in-process. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  retries: 2,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
  maxRetryAfterMs: 10_000,
});

/**
 * "Full jitter" backoff (AWS Architecture Blog, Exponential Backoff and Jitter): a uniform delay in
 * `[0, min(cap, base * 2^retry))`, so clients that failed together do not retry together.
 *
 * @param retry - 0 for the first retry
 * @param random - injectable for tests; returns `[0, 1)`
 */
export function backoffDelayMs(
  retry: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry));
  return Math.floor(random() * ceiling);
}

/**
 * Reads a `Retry-After` header (RFC 9110 §10.2.3): delay-seconds or an HTTP date.
 *
 * @returns milliseconds to wait, or `undefined` when absent or unreadable
 */
export function parseRetryAfterMs(header: unknown, now: number = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value * 1000) : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // An HTTP date always has a month name; without this, Date.parse reads "-5" as a year.
  if (!/[a-z]{3}/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
