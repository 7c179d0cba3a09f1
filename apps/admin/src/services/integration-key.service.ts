import { accountKeyOf, isHdeApiError, type HdeClient } from '@repo/hde-client';
import type { AdminUser, Integration } from '@repo/store';
import type { AppDeps } from '../deps';
import { adminClientFor } from './hde-admin-budget';
import { forgetHdeDirectory } from './hde-directory.service';
import { IntegrationFieldError } from './integration-errors';

/**
 * Replaces an integration's HDE API key. The key is first tried in HDE with the integration's bot
 * e-mail — one cheap authenticated read (`GET /statuses/`) through the account's budget — and only a
 * key HDE accepts is stored, encrypted. Storing bumps the integration's key version, so every process
 * that keeps an HDE client per integration builds a new one on its next job; the "key worked before"
 * state of the ban watch is kept per key and starts empty for the new one, and a suspected ban of the
 * account is cleared (the refused key may have been the cause). The key never reaches logs or errors.
 */
export async function replaceApiKey(deps: AppDeps, user: AdminUser, integration: Integration, input: unknown): Promise<Integration> {
  const apiKey = typeof input === 'string' ? input.trim() : '';
  if (!apiKey || apiKey.length > 500) throw new IntegrationFieldError('apiKey', 'api_key_empty');
  let hde: HdeClient | undefined;
  try {
    hde = (await adminClientFor(deps, integration, apiKey))!;
    await hde.listStatuses();
  } catch (error) {
    if (isHdeApiError(error) && error.reason === 'auth')
      throw new IntegrationFieldError('apiKey', 'api_key_rejected', { email: integration.adminEmail });
    const reason = isHdeApiError(error) ? error.reason : 'network';
    throw new IntegrationFieldError('apiKey', 'hde_unreachable', { reason });
  } finally {
    hde?.close();
  }
  const updated = await deps.store.integrations.update(integration.id, { apiKey });
  if (!updated) throw new IntegrationFieldError('apiKey', 'hde_unreachable', { reason: 'deleted' });
  forgetHdeDirectory(deps, integration.id);
  await deps.banWatch?.clear?.(accountKeyOf(integration.hdeBaseUrl)).catch(() => undefined);
  deps.logger.info('HDE API key replaced', { integrationId: integration.id, keyVersion: updated.apiKeyVersion, by: user.id });
  return updated;
}
