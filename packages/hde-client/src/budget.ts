/** What the client reports to the budget after each HTTP response. */
export type HdeBudgetObservation = {
  /** `X-Rate-Limit`: the account's requests per minute. */
  limit?: number;
  /** `X-Rate-Limit-Remaining`. */
  remaining?: number;
  status: number;
};

/**
 * The account-wide API budget (HDE allows ~300 requests/min shared by all integrations; over it the
 * account is banned). Injected so the worker can back it with a Redis limiter shared by processes.
 * `acquire` runs before every HTTP attempt (retries included) and may wait or throw; what it
 * throws reaches the caller unchanged. `observe` runs after every response; its failures are
 * logged and ignored, so a post that landed is never reported as failed.
 */
export type HdeBudget = {
  acquire(): Promise<void>;
  observe(info: HdeBudgetObservation): void | Promise<void>;
};

function headerInt(value: unknown): number | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  if (typeof first === 'number') return Number.isFinite(first) ? first : undefined;
  if (typeof first !== 'string' || !/^\s*\d+\s*$/.test(first)) return undefined;
  return Number(first.trim());
}

/** Reads `X-Rate-Limit` and `X-Rate-Limit-Remaining` from (lower-cased) response headers. */
export function readRateLimitHeaders(headers: Record<string, unknown>, status: number): HdeBudgetObservation {
  const info: HdeBudgetObservation = { status };
  const limit = headerInt(headers['x-rate-limit']);
  const remaining = headerInt(headers['x-rate-limit-remaining']);
  if (limit !== undefined) info.limit = limit;
  if (remaining !== undefined) info.remaining = remaining;
  return info;
}
