import type { HdeBudget, HdeBudgetObservation } from './budget';

/** Options of {@link createPacedBudget}. */
export type PacedBudgetOptions = {
  /** Requests per minute this process may spend at most. */
  perMinute: number;
  /** Stop for a minute when HDE says this few requests are left in the account's window. */
  remainingFloor?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
};

/**
 * A budget for one-off processes without the worker's shared Redis limiter (the CLI): it spaces its
 * own requests evenly at `perMinute`, and when HDE's account-wide `X-Rate-Limit-Remaining` falls to
 * the floor — whoever spent it, the worker included — it waits a minute before the next request.
 * HDE's counter is the one every client of the account shares, so this cooperates with the worker
 * without talking to it.
 */
export function createPacedBudget(options: PacedBudgetOptions): HdeBudget {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const intervalMs = Math.ceil(60_000 / Math.max(1, options.perMinute));
  const floor = options.remainingFloor ?? 10;
  let nextAt = 0;
  let pausedUntil = 0;
  return {
    async acquire() {
      const at = Math.max(nextAt, pausedUntil, now());
      nextAt = at + intervalMs;
      const wait = at - now();
      if (wait > 0) await sleep(wait);
    },
    observe(info: HdeBudgetObservation) {
      if (info.remaining !== undefined && info.remaining <= floor) pausedUntil = Math.max(pausedUntil, now() + 60_000);
    },
  };
}
