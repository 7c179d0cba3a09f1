import type { AdminUser, Integration } from '@repo/store';
import type { AppDeps } from '../deps';
import { notFound } from '../errors';
import { forgetHdeDirectory } from './hde-directory.service';

/**
 * Switches an integration on or off. Off, its webhooks are still acknowledged and stored, and the
 * worker's deliver stage — which reads the integration again right before every HDE call — sends
 * nothing: no reply, draft, hand-off or enrichment.
 */
export async function setIntegrationEnabled(
  deps: AppDeps,
  user: AdminUser,
  integration: Integration,
  enabled: boolean,
): Promise<Integration> {
  const updated = await deps.store.integrations.update(integration.id, { enabled });
  if (!updated) throw notFound();
  deps.logger.info(enabled ? 'Integration switched on' : 'Integration switched off', { integrationId: integration.id, by: user.id });
  return updated;
}

/**
 * Deletes an integration of the admin's organization with its webhook tokens, settings, dialog access
 * and its dialogs history (dialogs, messages, decisions, send ledger, webhook log). Webhooks with its
 * tokens are then refused like unknown tokens (after the ingress's token cache, 30 s by default).
 */
export async function deleteIntegration(deps: AppDeps, user: AdminUser, integration: Integration): Promise<void> {
  const deleted = await deps.store.integrations.delete(integration.id, user.organizationId);
  if (!deleted) throw notFound();
  forgetHdeDirectory(deps, integration.id);
  deps.logger.info('Integration deleted', { integrationId: integration.id, skillId: integration.skillId, by: user.id });
}
