import { accountKeyOf } from '@repo/hde-client';
import type { Integration } from '@repo/store';
import type { AppDeps } from '../deps';

/**
 * The limit an HDE account's clients obey as far as one organization can tell: the smallest of its
 * integrations on that account, and how many there are.
 */
export type AccountLimit = { perMinute: number; integrations: number };

/**
 * The requests-per-minute limit an integration's HDE account obeys as far as its organization can
 * tell: every client of an account (worker, admin, CLI) takes the smallest limit any of the
 * account's integrations set (`createSharedAccountBudgets` of @repo/hde-client). Another
 * organization's integrations on the same account count there too but are not shown here.
 */
export async function accountLimitOf(deps: AppDeps, integration: Integration): Promise<AccountLimit> {
  const account = accountKeyOf(integration.hdeBaseUrl);
  const same = (await deps.store.integrations.list(integration.organizationId)).filter((i) => accountKeyOf(i.hdeBaseUrl) === account);
  const limits = [integration.rateLimitPerMinute, ...same.filter((i) => i.id !== integration.id).map((i) => i.rateLimitPerMinute)];
  return { perMinute: Math.min(...limits), integrations: Math.max(1, same.length) };
}
