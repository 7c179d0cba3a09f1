import { randomUUID } from 'node:crypto';
import type { HdeBudget, HdeBudgetObservation } from './budget';

/** The few Redis commands the account budget uses (ioredis satisfies it; no Redis client dependency here). */
export type AccountBudgetRedis = {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, px: 'PX', ms: number): Promise<unknown>;
  eval(script: string, numKeys: number, ...args: string[]): Promise<unknown>;
};

/** Why an account's budget refused a request. */
export type AccountPause = 'budget' | 'rate_limited' | 'banned' | 'low_remaining';

/** Options of {@link createSharedAccountBudgets}. */
export type SharedAccountBudgetOptions = {
  redis: AccountBudgetRedis;
  prefix: string;
  /** Pause when `X-Rate-Limit-Remaining` falls to this. */
  remainingFloor: number;
  /** Pause after a ban when HDE does not say how long. */
  banPauseMs: number;
  /**
   * The error a refused `acquire` throws: the worker's delays its job without spending an attempt,
   * a command's waits (see {@link waitingBudget}). It should carry `until` (epoch ms).
   */
  refuse: (until: number, pause: AccountPause) => Error;
};

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

// Counts 429s that said nothing of how long to wait, and returns the pause of this one: doubled
// at each, from ARGV[1] up to ARGV[2]. The count is forgotten ARGV[3] ms after the pause would
// end, so a 429 long after the last one starts from the base again, and no request that succeeds
// has to touch this key. While such a pause runs (KEYS[2] holds its end, epoch ms of the callers'
// clock, ARGV[4] being now), a 429 of a request that was in flight when it began counts for
// nothing: the time left is returned, so four requests refused at once pause the account once.
// Other pauses (a ban, the low-remaining one) neither count nor stop the count.
const UNTIMED_429 = `
local now = tonumber(ARGV[4])
local ends = tonumber(redis.call('GET', KEYS[2]) or '0') or 0
if ends > now then return ends - now end
local n = redis.call('INCR', KEYS[1])
local ms = math.min(tonumber(ARGV[2]), tonumber(ARGV[1]) * math.pow(2, math.min(n - 1, 30)))
redis.call('PEXPIRE', KEYS[1], ms + tonumber(ARGV[3]))
redis.call('SET', KEYS[2], tostring(now + ms), 'PX', ms)
return ms
`;

/** The first pause after a 429 that names no wait, doubled at each further one up to the ban pause. */
const UNTIMED_429_BASE_MS = 60_000;

// Registers this integration's limit (unless ARGV[3] is '0') and returns every registered limit.
const ACCOUNT_LIMITS = `
if ARGV[3] ~= '0' then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  redis.call('PEXPIRE', KEYS[1], 86400000)
end
return redis.call('HVALS', KEYS[1])
`;

/**
 * Per-account HDE budgets in Redis, shared by every process that calls HDE — worker stages and CLI
 * commands alike — under one key per account ({@link accountKeyOf}). A budget refuses (with the
 * `refuse` error) instead of waiting, so a worker's job is delayed and its slot goes to another
 * account's job: one account's backlog never holds up another's.
 */
export function createSharedAccountBudgets(options: SharedAccountBudgetOptions) {
  const pauseKey = (account: string) => `{${options.prefix}}:hde-pause:${account}`;
  const slotKey = (account: string) => `{${options.prefix}}:hde-next-slot:${account}`;
  const limitsKey = (account: string) => `{${options.prefix}}:hde-limits:${account}`;
  const untimedKey = (account: string) => `{${options.prefix}}:hde-429-streak:${account}`;
  const untimedEndKey = (account: string) => `{${options.prefix}}:hde-429-until:${account}`;

  /**
   * Hands a refused caller the next free moment of the account's schedule, one interval after the
   * previous caller's, so a backlog wakes up one job at a time instead of all at once.
   */
  const reserveSlot = async (account: string, intervalMs: number, earliest: number): Promise<number> => {
    const slot = await options.redis.eval(RESERVE_SLOT, 1, slotKey(account), String(earliest), String(intervalMs));
    return Number(slot);
  };

  const known = new Map<string, { perMinute: number; at: number }>();

  /**
   * The limit every client of an account obeys: the smallest configured by any of its integrations
   * (each registers its own in Redis), re-read every few seconds. Integrations of one account with
   * different limits share one limiter instead of writing one counter with different windows.
   */
  const accountLimit = async (account: string, integrationId: string, perMinute: number, register: boolean): Promise<number> => {
    const cacheKey = `${account}|${integrationId}|${perMinute}|${register}`;
    const cached = known.get(cacheKey);
    if (cached && Date.now() - cached.at < LIMIT_REFRESH_MS) return cached.perMinute;
    const values = await options.redis.eval(ACCOUNT_LIMITS, 1, limitsKey(account), integrationId, String(perMinute), register ? '1' : '0');
    const list = Array.isArray(values) ? values.map(Number).filter((n) => Number.isInteger(n) && n > 0) : [];
    const limit = Math.min(perMinute, ...list);
    known.set(cacheKey, { perMinute: limit, at: Date.now() });
    return limit;
  };

  /**
   * Pauses an account for `ms` from `from` (epoch ms, default now): a caller that reports the pause's
   * end computes it from the same instant, so what it says and what is stored agree to the
   * millisecond however long the Redis round trips take.
   */
  const pause = async (account: string, ms: number, from: number = Date.now()) => {
    // Keep the later of two pauses: a ban must not be shortened by a later short pause.
    const until = from + ms;
    const current = Number(await options.redis.get(pauseKey(account)));
    if (!Number.isFinite(current) || current < until) {
      await options.redis.set(pauseKey(account), String(until), 'PX', Math.max(1, until - Date.now()));
    }
  };

  return {
    /**
     * The budget one HDE client of an account uses: the account's single limiter at the smallest
     * limit any of its integrations configured. `register: false` (a command acting before its
     * integration exists) obeys the account's limits without adding its own.
     */
    forAccount(account: string, perMinute: number, integrationId = 'default', register = true): HdeBudget {
      return {
        async acquire() {
          const pausedUntil = Number(await options.redis.get(pauseKey(account)));
          if (Number.isFinite(pausedUntil) && pausedUntil > Date.now()) throw options.refuse(pausedUntil, 'banned');
          const limit = await accountLimit(account, integrationId, perMinute, register);
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
          if (waitMs >= 0) throw options.refuse(await reserveSlot(account, Math.ceil(60_000 / limit), Date.now() + waitMs), 'budget');
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
    /**
     * Pauses an account after a 429 that names no wait (no Retry-After) and returns the pause: 60 s,
     * then twice as long at each such 429 in a row, up to the ban pause. Some accounts answer a ban
     * with a plain 429 (hde-api.md §2), and a fixed minute would knock on a banned account every
     * minute of a ban that may last twenty minutes or more.
     */
    async pauseUntimed429(account: string, from: number = Date.now()): Promise<number> {
      const longest = Math.max(1000, options.banPauseMs);
      const base = Math.min(UNTIMED_429_BASE_MS, longest);
      const ms = Number(
        await options.redis.eval(
          UNTIMED_429,
          2,
          untimedKey(account),
          untimedEndKey(account),
          String(base),
          String(longest),
          '60000',
          String(Date.now()),
        ),
      );
      await pause(account, ms, from);
      return ms;
    },
    /** How long a ban pauses an account when HDE does not say. */
    banPauseMs: options.banPauseMs,
    /** Epoch ms until which an account is paused, or 0. */
    async pausedUntil(account: string): Promise<number> {
      const value = Number(await options.redis.get(pauseKey(account)));
      return Number.isFinite(value) && value > Date.now() ? value : 0;
    },
  };
}
/** See {@link createSharedAccountBudgets}. */
export type SharedAccountBudgets = ReturnType<typeof createSharedAccountBudgets>;

/** Raised by a command's budget that would have to wait longer than it is allowed to. */
export class BudgetWaitTooLongError extends Error {
  /** Waiting again later may work; the command decides. */
  readonly retryable = true;
  constructor(waitMs: number) {
    super(`The HDE account's request budget is spent for the next ${Math.ceil(waitMs / 1000)} s`);
    this.name = 'BudgetWaitTooLongError';
  }
}

/**
 * A budget that waits out refusals instead of throwing them: for a command (the CLI) that has no
 * queue to delay a job in. Waits while the refusal carries an `until` (epoch ms) no further away
 * than `maxWaitMs`; other errors pass through unchanged.
 */
export function waitingBudget(
  budget: HdeBudget,
  options: { maxWaitMs: number; sleep?: (ms: number) => Promise<void> } = { maxWaitMs: 5 * 60_000 },
): HdeBudget {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  return {
    async acquire() {
      for (;;) {
        try {
          return await budget.acquire();
        } catch (error) {
          const until = (error as { until?: unknown }).until;
          if (typeof until !== 'number') throw error;
          const waitMs = Math.max(0, until - Date.now());
          if (waitMs > options.maxWaitMs) throw new BudgetWaitTooLongError(waitMs);
          await sleep(waitMs);
        }
      }
    },
    observe: (info) => budget.observe(info),
  };
}
