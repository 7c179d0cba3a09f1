import { isHdeApiError } from '@repo/hde-client';
import type { AdminUser, Integration } from '@repo/store';
import type { AppDeps } from '../deps';
import { HttpError, invalid } from '../errors';
import { webhookUrl, WEBHOOK_BODY_TEMPLATE } from '@repo/domain';

/** What the setup form asks for. */
export type SetupInput = { domain: string; email: string; apiKey: string };

/** A new integration with its token, which exists only in this value. */
export type SetupResult = {
  integration: Integration;
  botUser: { id: number; name: string };
  token: string;
  webhookUrl: string;
  body: string;
};

/**
 * Turns what people type as the HDE domain into the account's base URL: `acme.helpdeskeddy.com`,
 * `https://acme.helpdeskeddy.com/ru/…` and full URLs all work; only http(s) is accepted.
 */
export function normaliseHdeUrl(domain: string): string {
  const trimmed = domain.trim();
  const withScheme = /^https?:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw invalid();
  }
  if (!/^https?:$/.test(url.protocol) || !url.hostname) throw invalid();
  // A pasted ticket or admin page URL: keep the account root (the simulator's accounts live under /a/<slug>).
  const path = url.pathname.replace(/\/(ru|en|ua)(\/.*)?$/, '').replace(/\/api\/v2.*$/, '').replace(/\/+$/, '');
  return `${url.protocol}//${url.host}${path}`;
}

/**
 * Checks the credentials against HDE and finds the bot's own user: the staff user the e-mail and key
 * belong to. Throws a 400 that says what to fix; the key never appears in errors or logs.
 */
export async function checkHdeCredentials(deps: AppDeps, input: SetupInput): Promise<{ baseUrl: string; botUser: { id: number; name: string } }> {
  const baseUrl = normaliseHdeUrl(input.domain);
  const email = input.email.trim();
  if (!email || !input.apiKey.trim()) throw invalid();
  let hde: ReturnType<AppDeps['hdeClient']>;
  try {
    hde = deps.hdeClient({ baseUrl, email, apiKey: input.apiKey.trim() });
  } catch {
    // The client refuses plain http and private addresses unless HDE_ALLOW_PRIVATE_NETWORK is on.
    throw invalid('setup.badUrl');
  }
  try {
    const user = await hde.findUserByEmail(email);
    if (!user) throw invalid('setup.userNotFound');
    if (!user.isStaff) throw invalid('setup.notStaff');
    return { baseUrl, botUser: { id: user.id, name: [user.name, user.lastname].filter(Boolean).join(' ') || email } };
  } catch (error) {
    if (error instanceof HttpError) throw error;
    if (isHdeApiError(error) && error.reason === 'auth') throw invalid('setup.authFailed');
    if (isHdeApiError(error)) throw invalid('setup.unreachable', { reason: error.reason });
    throw invalid('setup.unreachable', { reason: 'network' });
  } finally {
    hde.close();
  }
}

/** Checks the credentials, creates the integration for a skill, and issues its first webhook token. */
export async function setupIntegration(deps: AppDeps, user: AdminUser, skillId: string, input: SetupInput): Promise<SetupResult> {
  const { baseUrl, botUser } = await checkHdeCredentials(deps, input);
  const integration = await deps.store.integrations.create({
    organizationId: user.organizationId,
    skillId,
    hdeBaseUrl: baseUrl,
    adminEmail: input.email.trim(),
    apiKey: input.apiKey.trim(),
    botUserId: botUser.id,
    // Start in draft mode: nothing reaches customers until someone has looked at the answers.
    replyMode: 'note',
  });
  const { token } = await deps.store.integrations.issueToken(integration.id);
  deps.logger.info('Integration created', { integrationId: integration.id, skillId, botUserId: botUser.id, by: user.id });
  return { integration, botUser, token, webhookUrl: webhookUrl(deps.settings.publicWebhookBaseUrl, token), body: WEBHOOK_BODY_TEMPLATE };
}

/** Issues a new token; the integration's other tokens keep working for the grace period. */
export async function rotateToken(deps: AppDeps, user: AdminUser, integration: Integration): Promise<{ token: string; webhookUrl: string; body: string }> {
  const { token } = await deps.store.integrations.issueToken(integration.id, { graceSeconds: deps.settings.tokenGraceSeconds });
  deps.logger.info('Webhook token rotated', { integrationId: integration.id, by: user.id });
  return { token, webhookUrl: webhookUrl(deps.settings.publicWebhookBaseUrl, token), body: WEBHOOK_BODY_TEMPLATE };
}
