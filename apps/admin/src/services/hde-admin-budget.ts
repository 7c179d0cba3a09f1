import { accountKeyOf, createPacedBudget, type HdeBudget } from '@repo/hde-client';

/** Requests per minute the admin app spends at most on one HDE account: a handful of reads per page. */
const ADMIN_REQUESTS_PER_MINUTE = 120;

const budgets = new Map<string, HdeBudget>();

/**
 * The admin app's budget for an HDE account, one per account and process: every integration of the
 * account shares it. It spaces the admin's few reads and, like the CLI's, stops for a minute when
 * HDE's account-wide `X-Rate-Limit-Remaining` (the counter the worker spends too) runs low, so the
 * admin never eats the worker's replies' share of the account's limit.
 */
export function adminBudgetFor(hdeBaseUrl: string): HdeBudget {
  const account = accountKeyOf(hdeBaseUrl);
  let budget = budgets.get(account);
  if (!budget) {
    budget = createPacedBudget({ perMinute: ADMIN_REQUESTS_PER_MINUTE, remainingFloor: 20 });
    budgets.set(account, budget);
  }
  return budget;
}
