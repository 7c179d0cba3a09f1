import {
  accountKeyOf,
  createSharedAccountBudgets,
  waitingBudget,
  type AccountBudgetRedis,
  type HdeBudget,
  type HdeClient,
} from '@repo/hde-client';
import { DEFAULT_RATE_LIMIT_PER_MINUTE } from '@repo/domain';
import type { Integration } from '@repo/store';
import type { AppDeps } from '../deps';

/** A page waits at most this long for the account's budget; past it, the read fails and the page says so. */
const MAX_WAIT_MS = 5_000;

/** Which account and limit an admin read counts against. */
export type AdminBudgetTarget = { hdeBaseUrl: string; integrationId?: string; rateLimitPerMinute?: number };

/**
 * The admin app's HDE budgets: the worker's own per-account limiter in Redis (same keys, same
 * smallest limit of the account's integrations), so the admin's reads (key checks, setup, the
 * department and agent lists, agent names) and the worker's replies together stay under the
 * account's limit. A refusal is waited out for a few seconds at most: a page must not hang.
 */
export function createAdminBudgets(options: { redis: AccountBudgetRedis; prefix: string; remainingFloor: number }): AdminBudgets {
  const shared = createSharedAccountBudgets({
    redis: options.redis,
    prefix: options.prefix,
    remainingFloor: options.remainingFloor,
    banPauseMs: 20 * 60_000,
    refuse: (until, pause) => Object.assign(new Error(`HDE account budget: ${pause}`), { until, retryable: true }),
  });
  return (target) => {
    const account = accountKeyOf(target.hdeBaseUrl);
    // Before its integration exists (setup), a read obeys the account's registered limits without adding one.
    const budget = target.integrationId
      ? shared.forAccount(account, target.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE, target.integrationId, true)
      : shared.forAccount(account, DEFAULT_RATE_LIMIT_PER_MINUTE, 'admin', false);
    return waitingBudget(budget, { maxWaitMs: MAX_WAIT_MS });
  };
}

/** See {@link createAdminBudgets}. */
export type AdminBudgets = (target: AdminBudgetTarget) => HdeBudget;

/**
 * An HDE client of a stored integration for the admin's reads, behind the account's budget; with
 * `apiKey`, that key instead of the stored one (checking a replacement). Undefined when the
 * integration has no stored credentials.
 */
export async function adminClientFor(
  deps: Pick<AppDeps, 'hdeBudgets' | 'hdeClient' | 'store'>,
  integration: Integration,
  apiKey?: string,
): Promise<HdeClient | undefined> {
  const credentials = apiKey ? { email: integration.adminEmail, apiKey } : await deps.store.integrations.credentials(integration.id);
  if (!credentials) return undefined;
  return deps.hdeClient({
    baseUrl: integration.hdeBaseUrl,
    email: credentials.email,
    apiKey: credentials.apiKey,
    budget: deps.hdeBudgets({
      hdeBaseUrl: integration.hdeBaseUrl,
      integrationId: integration.id,
      rateLimitPerMinute: integration.rateLimitPerMinute,
    }),
  });
}
