import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import type { HdeBudget, HdeBudgetObservation } from '@repo/hde-client';
import { JobDelay } from '@repo/queue';
// The account key lives beside the ban watch, which the admin app reads too.
export { accountKeyOf } from '@repo/hde-client';

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

// A sliding log: the time of every request of the last 60 s (Redis's clock, so every process
// agrees). A request is allowed while fewer than the limit are in the log, so no 60-second span,
// however placed, holds more than the limit, and the whole limit is usable (fixed windows leave a
// part of it unused). Returns -1 when allowed, else the ms until the oldest entry leaves the log.
const SLIDING_LOG = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return -1
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now + 1)
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
    const [, , values] =
      (await options.redis
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
          // The limit is part of the key: logs of different limits never mix.
          const waitMs = Number(
            await options.redis.eval(
              SLIDING_LOG,
              1,
              `{${options.prefix}}:hde-log:${limit}:${account}`,
              '60000',
              String(limit),
              randomUUID(),
            ),
          );
          if (waitMs >= 0)
            throw new AccountPausedError(await reserveSlot(account, Math.ceil(60_000 / limit), Date.now() + waitMs), 'budget');
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
