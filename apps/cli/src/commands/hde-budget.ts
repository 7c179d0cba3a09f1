import { accountKeyOf, createSharedAccountBudgets, waitingBudget, type HdeBudget } from '@repo/hde-client';
import { openRedis, type RedisTargetLike } from '@repo/queue';

/** HDE budgets of a CLI command: the limiter the worker uses, in the same Redis, under the same account key. */
export type CliBudgets = {
  /**
   * The budget of calls to one HDE account. With an `integrationId` its configured limit counts
   * like the worker's; without one (setup, before the integration exists) the command obeys the
   * limits the account's integrations registered, or `perMinute` when there are none.
   */
  forAccount(hdeBaseUrl: string, perMinute: number, integrationId?: string): HdeBudget;
  close(): Promise<void>;
};

/** Raised when the shared budget's Redis cannot be reached: the command cannot keep to the account's limit. */
export class SharedBudgetUnavailableError extends Error {
  /** Redis may be back soon; running the command again may work. */
  readonly retryable = true;
  constructor(cause: unknown) {
    super(
      `HDE requests of this command take from the per-account budget in Redis (REDIS_URL, the worker's), which could not be used: ${
        cause instanceof Error ? cause.message : String(cause)
      }`,
      { cause },
    );
    this.name = 'SharedBudgetUnavailableError';
  }
}

/** The budget with Redis failures (anything but a refusal, which carries `until`) told apart. */
function explained(budget: HdeBudget): HdeBudget {
  return {
    async acquire() {
      try {
        await budget.acquire();
      } catch (error) {
        if (typeof (error as { until?: unknown }).until === 'number') throw error;
        throw new SharedBudgetUnavailableError(error);
      }
    },
    observe: (info) => budget.observe(info),
  };
}

/** Options of {@link createCliBudgets}. */
export type CliBudgetOptions = {
  /** The worker's Redis (`REDIS_URL`, `REDIS_CLUSTER`). */
  redis: RedisTargetLike;
  prefix: string;
  /** Pause the account when `X-Rate-Limit-Remaining` falls to this (the worker's HDE_REMAINING_FLOOR). */
  remainingFloor?: number;
  /** Longest a command waits for the budget before it gives up, ms. */
  maxWaitMs?: number;
};

/**
 * Connects the CLI to the shared per-account budget in Redis. A command has no queue to delay a job
 * in, so a refusal is waited out (up to `maxWaitMs`) instead; the worker's jobs meanwhile keep their
 * share, and CLI and worker together stay under the account's limit.
 */
export function createCliBudgets(options: CliBudgetOptions): CliBudgets {
  // A command fails fast when Redis is down rather than retrying forever (a cluster client would
  // otherwise hold its commands while it looks for the cluster's nodes again and again).
  const redis = openRedis(options.redis, {
    maxRetriesPerRequest: 1,
    connectTimeout: 5_000,
    lazyConnect: true,
    retryStrategy: (times) => (times > 5 ? null : times * 200),
  });
  redis.on('error', () => undefined);
  const shared = createSharedAccountBudgets({
    redis,
    prefix: options.prefix,
    remainingFloor: options.remainingFloor ?? 10,
    banPauseMs: 20 * 60_000,
    refuse: (until, pause) => Object.assign(new Error(`HDE account budget: ${pause}`), { until, retryable: true }),
  });
  const maxWaitMs = options.maxWaitMs ?? 5 * 60_000;
  return {
    forAccount(hdeBaseUrl, perMinute, integrationId) {
      const budget = shared.forAccount(accountKeyOf(hdeBaseUrl), perMinute, integrationId ?? 'cli', integrationId !== undefined);
      return waitingBudget(explained(budget), { maxWaitMs });
    },
    async close() {
      redis.disconnect();
    },
  };
}
