import { createSharedAccountBudgets, type AccountPause } from '@repo/hde-client';
import { JobDelay, type RedisConnection } from '@repo/queue';
// The account key lives beside the ban watch, which the admin app reads too.
export { accountKeyOf } from '@repo/hde-client';

/**
 * Thrown when an HDE account's budget is spent or the account is paused: a {@link JobDelay}, so the
 * job waits until then without spending an attempt, and a send in progress knows nothing was sent.
 */
export class AccountPausedError extends JobDelay {
  /** Why the account is paused. */
  readonly pause: AccountPause;

  constructor(until: number, pause: AccountPause) {
    super(until, `hde_${pause}`);
    this.name = 'AccountPausedError';
    this.pause = pause;
  }
}

/** Options of {@link createAccountBudgets}. */
export type AccountBudgetOptions = {
  redis: RedisConnection;
  prefix: string;
  /** Pause when `X-Rate-Limit-Remaining` falls to this. */
  remainingFloor: number;
  /** Pause after a ban when HDE does not say. */
  banPauseMs: number;
};

/**
 * The worker's per-account HDE budgets: the limiter every process shares (CLI commands included,
 * see `createSharedAccountBudgets`), refusing with {@link AccountPausedError} so the job is delayed
 * and the worker slot goes to another account's job.
 */
export function createAccountBudgets(options: AccountBudgetOptions) {
  return createSharedAccountBudgets({ ...options, refuse: (until, pause) => new AccountPausedError(until, pause) });
}
/** See {@link createAccountBudgets}. */
export type AccountBudgets = ReturnType<typeof createAccountBudgets>;
