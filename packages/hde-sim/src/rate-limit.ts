/** Settings of an account's request limiter. */
export type RateLimitOptions = {
  /** Requests allowed within any window. */
  limit: number;
  /** Window length; 60 000 ms on a real account, scaled down for benchmarks. */
  windowMs: number;
  /** How long an account stays banned after exceeding the limit. */
  banMs: number;
  now?: () => number;
};

/** The verdict for one request. */
export type RateDecision =
  { allowed: true; remaining: number } | { allowed: false; reason: 'banned' | 'limit_exceeded'; bannedUntil: number };

/**
 * Sliding-window request limiter with HDE's punishment: the first request over the limit bans the
 * whole account for `banMs`; requests while banned are refused and do not extend the ban. When the
 * ban ends the window starts empty.
 */
export class RateLimiter {
  private readonly stamps: number[] = [];
  private head = 0;
  private bannedUntil = 0;
  private readonly now: () => number;

  constructor(private readonly options: RateLimitOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The configured limit, sent as `X-Rate-Limit`. */
  get limit(): number {
    return this.options.limit;
  }

  /** Counts one request and decides whether it may proceed. */
  check(): RateDecision {
    const now = this.now();
    if (this.isBanned(now)) return { allowed: false, reason: 'banned', bannedUntil: this.bannedUntil };
    const used = this.prune(now);
    if (used >= this.options.limit) {
      this.ban(now);
      return { allowed: false, reason: 'limit_exceeded', bannedUntil: this.bannedUntil };
    }
    this.stamps.push(now);
    return { allowed: true, remaining: this.options.limit - used - 1 };
  }

  /** Requests still allowed in the current window without counting one. */
  remaining(): number {
    const now = this.now();
    return this.isBanned(now) ? 0 : Math.max(0, this.options.limit - this.prune(now));
  }

  /** Bans the account now (a fault, or the limit being exceeded). */
  ban(now = this.now()): void {
    this.bannedUntil = now + this.options.banMs;
    this.stamps.length = 0;
    this.head = 0;
  }

  /** Ends a ban now, as its time running out would (a test need not wait for it). */
  lift(): void {
    this.bannedUntil = 0;
  }

  /** Whether the account is banned at `now`. */
  isBanned(now = this.now()): boolean {
    return now < this.bannedUntil;
  }

  private prune(now: number): number {
    const cutoff = now - this.options.windowMs;
    while (this.head < this.stamps.length && (this.stamps[this.head] ?? Infinity) <= cutoff) this.head++;
    // Compact occasionally so a long benchmark does not grow the array without bound.
    if (this.head > 1024 && this.head * 2 > this.stamps.length) {
      this.stamps.splice(0, this.head);
      this.head = 0;
    }
    return this.stamps.length - this.head;
  }
}
