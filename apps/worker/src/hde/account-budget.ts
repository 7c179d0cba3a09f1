import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type Redis from 'ioredis';
import type { HdeBudget, HdeBudgetObservation } from '@repo/hde-client';
import { JobDelay } from '@repo/queue';

/**
 * Thrown when an HDE account's budget is spent or the account is paused: a {@link JobDelay}, so the
 * job waits until then without spending an attempt, and a send in progress knows nothing was sent.
 */
export class AccountPausedError extends JobDelay {
  /** Why the account is paused. */
  readonly pause: 'budget' | 'rate_limited' | 'banned' | 'low_remaining';

  constructor(until: number, pause: AccountPausedError['pause']) {
    super(until, `hde_${pause}`);
    this.name = 'AccountPausedError';
    this.pause = pause;
  }
}

/**
 * Splits a per-minute limit into short windows so that no 60-second span, however it is placed, can
 * hold more than the limit: with windows of `d` seconds, any minute touches at most `60/d + 1` of
 * them. Picks the window length that leaves the most of the budget usable.
 */
export function planWindows(perMinute: number): { seconds: number; points: number } {
  // With 60-second windows half the limit always fits; shorter windows use more of it when they can.
  let best = { seconds: 60, points: Math.max(1, Math.floor(perMinute / 2)) };
  for (let seconds = 1; seconds < 60; seconds += 1) {
    const points = Math.floor((perMinute * seconds) / (60 + seconds));
    if (points >= 1 && points / seconds > best.points / best.seconds) best = { seconds, points };
  }
  return best;
}

/** The account an integration talks to: every integration of one HDE account shares its budget. */
export function accountKeyOf(hdeBaseUrl: string): string {
  const url = new URL(hdeBaseUrl);
  return `${url.host}${url.pathname.replace(/\/+$/, '')}`.toLowerCase().replace(/[^a-z0-9./_-]/g, '_');
}

/** How often a process re-reads the smallest limit of an account's integrations. */
const LIMIT_REFRESH_MS = 10_000;

// Returns max(now, next) and moves `next` one interval on; the key expires when the account is idle.
const RESERVE_SLOT = `
local earliest = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local nxt = tonumber(redis.call('GET', KEYS[1]) or '0')
if nxt < earliest then nxt = earliest end
redis.call('SET', KEYS[1], tostring(nxt + interval), 'PX', 600000)
return tostring(nxt)
`;

/** Options of {@link createAccountBudgets}. */
export type AccountBudgetOptions = {
  redis: Redis;
  prefix: string;
  /** Pause when `X-Rate-Limit-Remaining` falls to this. */
  remainingFloor: number;
  /** Pause after a ban when HDE does not say how long. */
  banPauseMs: number;
};

/**
 * Per-account HDE budgets in Redis, shared by every worker process. A budget refuses (with
 * {@link AccountPausedError}) instead of waiting, so the job is delayed and the worker slot goes to
 * another account's job: one account's backlog never holds up another's.
 */
export function createAccountBudgets(options: AccountBudgetOptions) {
  const limiters = new Map<string, RateLimiterRedis>();
  const pauseKey = (account: string) => `{${options.prefix}}:hde-pause:${account}`;
  const slotKey = (account: string) => `{${options.prefix}}:hde-next-slot:${account}`;

  /**
   * Hands a refused caller the next free moment of the account's schedule, one interval after the
   * previous caller's, so a backlog wakes up one job at a time instead of all at once.
   */
  const reserveSlot = async (account: string, intervalMs: number, earliest: number): Promise<number> => {
    const slot = await options.redis.eval(RESERVE_SLOT, 1, slotKey(account), String(earliest), String(intervalMs));
    return Number(slot);
  };

  const limitsKey = (account: string) => `{${options.prefix}}:hde-limits:${account}`;
  const known = new Map<string, { perMinute: number; at: number }>();

  /**
   * The limit every client of an account obeys: the smallest configured by any of its integrations
   * (each registers its own in Redis), re-read every few seconds. Integrations of one account with
   * different limits share one limiter instead of writing one counter with different windows.
   */
  const accountLimit = async (account: string, integrationId: string, perMinute: number): Promise<number> => {
    const cached = known.get(`${account}|${integrationId}|${perMinute}`);
    if (cached && Date.now() - cached.at < LIMIT_REFRESH_MS) return cached.perMinute;
    const key = limitsKey(account);
    const [, , values] = (await options.redis
      .multi()
      .hset(key, integrationId, String(perMinute))
      .pexpire(key, 24 * 3600_000)
      .hvals(key)
      .exec()) ?? [];
    const list = Array.isArray(values?.[1]) ? (values[1] as string[]).map(Number).filter((n) => Number.isInteger(n) && n > 0) : [];
    const limit = Math.min(perMinute, ...list);
    known.set(`${account}|${integrationId}|${perMinute}`, { perMinute: limit, at: Date.now() });
    return limit;
  };

  const limiterFor = (account: string, perMinute: number) => {
    const id = `${account}|${perMinute}`;
    let limiter = limiters.get(id);
    if (!limiter) {
      const plan = planWindows(perMinute);
      limiter = new RateLimiterRedis({
        storeClient: options.redis,
        // The limit is part of the key: counters of different windows never mix.
        keyPrefix: `{${options.prefix}}:hde-budget:${perMinute}`,
        points: plan.points,
        duration: plan.seconds,
      });
      limiters.set(id, limiter);
    }
    return limiter;
  };

  const pause = async (account: string, ms: number) => {
    // Keep the later of two pauses: a ban must not be shortened by a later short pause.
    const until = Date.now() + ms;
    const current = Number(await options.redis.get(pauseKey(account)));
    if (!Number.isFinite(current) || current < until) await options.redis.set(pauseKey(account), String(until), 'PX', ms);
  };

  return {
    /**
     * The budget one HDE client of an account uses: the account's single limiter at the smallest
     * limit any of its integrations configured.
     */
    forAccount(account: string, perMinute: number, integrationId = 'default'): HdeBudget {
      return {
        async acquire() {
          const pausedUntil = Number(await options.redis.get(pauseKey(account)));
          if (Number.isFinite(pausedUntil) && pausedUntil > Date.now()) throw new AccountPausedError(pausedUntil, 'banned');
          const limit = await accountLimit(account, integrationId, perMinute);
          const limiter = limiterFor(account, limit);
          const plan = planWindows(limit);
          const intervalMs = Math.ceil((plan.seconds * 1000) / plan.points);
          try {
            await limiter.consume(account, 1);
          } catch (error) {
            if (error instanceof RateLimiterRes) {
              throw new AccountPausedError(await reserveSlot(account, intervalMs, Date.now() + error.msBeforeNext), 'budget');
            }
            throw error;
          }
        },
        async observe(info: HdeBudgetObservation) {
          if (info.remaining !== undefined && info.remaining <= options.remainingFloor && info.status < 400) {
            await pause(account, 10_000);
          }
        },
      };
    },
    /** Pauses an account (after a 429 or a ban). */
    pause,
    /** How long a ban pauses an account when HDE does not say. */
    banPauseMs: options.banPauseMs,
    /** Epoch ms until which an account is paused, or 0. */
    async pausedUntil(account: string): Promise<number> {
      const value = Number(await options.redis.get(pauseKey(account)));
      return Number.isFinite(value) && value > Date.now() ? value : 0;
    },
  };
}
/** See {@link createAccountBudgets}. */
export type AccountBudgets = ReturnType<typeof createAccountBudgets>;
