import { checkTimeZone, inspectBotAccount, isHdeApiError, type BotAccountWarning, type TimeZoneCheck } from '@repo/hde-client';
import type { AdminUser, Integration } from '@repo/store';
import type { AppDeps } from '../deps';
import { HttpError, invalid } from '../errors';
import { DEFAULT_HDE_TIME_ZONE, hdeAccountUrl, isTimeZone, webhookUrl, WEBHOOK_BODY_TEMPLATE } from '@repo/domain';
import { checkHandoffChoice, type HandoffChoice } from './handoff-target.service';
import { readHdeDirectory, type HdeDirectory } from './hde-directory.service';
import { IntegrationFieldError } from './integration-errors';

/**
 * What the setup form asks for: the HDE domain, the e-mail and API key of the bot's own (dedicated)
 * agent account, and the account's time zone (default Europe/Moscow).
 */
export type SetupInput = {
  domain: string;
  email: string;
  apiKey: string;
  timeZone?: string;
  /**
   * Who gets handed-off tickets. The form always sends it and a target that leads nowhere is refused;
   * API clients that leave it out get the integration without one (the overview then warns).
   */
  handoff?: HandoffChoice;
};

/** A new integration with its token, which exists only in this value. */
export type SetupResult = {
  integration: Integration;
  botUser: { id: number; name: string };
  token: string;
  webhookUrl: string;
  body: string;
  /** Problems with the bot account (an administrator's key, a person who answers tickets): shown loudly. */
  warnings: BotAccountWarning[];
  /** What HDE's own dates say about the chosen time zone. */
  timeZoneCheck: TimeZoneCheck | null;
};

/** What the credentials check learned. */
export type CredentialsCheck = {
  baseUrl: string;
  botUser: { id: number; name: string };
  timeZone: string;
  warnings: BotAccountWarning[];
  timeZoneCheck: TimeZoneCheck | null;
};

/** The account's base URL from the setup form's domain field (see `hdeAccountUrl`); a 400 when it is none. */
export function normaliseHdeUrl(domain: string): string {
  const url = hdeAccountUrl(domain);
  if (url === undefined) throw invalid();
  return url;
}

/**
 * Checks the credentials against HDE and finds the bot's own user: the staff user the e-mail and key
 * belong to, warning when it looks like a person's account rather than a dedicated bot agent, and
 * checks the time zone against HDE's own dates. Throws a 400 that says what to fix; the key never
 * appears in errors or logs.
 */
export async function checkHdeCredentials(deps: AppDeps, input: SetupInput): Promise<CredentialsCheck> {
  const baseUrl = normaliseHdeUrl(input.domain);
  const email = input.email.trim();
  const timeZone = input.timeZone?.trim() || DEFAULT_HDE_TIME_ZONE;
  if (!email || !input.apiKey.trim()) throw invalid();
  if (!isTimeZone(timeZone)) throw invalid('setup.badTimeZone');
  let hde: ReturnType<AppDeps['hdeClient']>;
  let wallClock: ReturnType<AppDeps['hdeClient']>;
  try {
    // Both spend the account's admin budget, like every HDE read of the admin app.
    const budget = deps.hdeBudgets({ hdeBaseUrl: baseUrl });
    hde = deps.hdeClient({ baseUrl, email, apiKey: input.apiKey.trim(), budget });
    // Dates read as UTC wall clocks: what the time-zone check compares with now.
    wallClock = deps.hdeClient({
      baseUrl,
      email,
      apiKey: input.apiKey.trim(),
      tzOffsetMinutes: 0,
      budget,
    });
  } catch {
    // The client refuses plain http and private addresses unless HDE_ALLOW_PRIVATE_NETWORK is on.
    throw invalid('setup.badUrl');
  }
  try {
    const account = await inspectBotAccount(hde, email);
    if ('problem' in account) throw invalid(account.problem === 'not_found' ? 'setup.userNotFound' : 'setup.notStaff');
    const { user } = account;
    const timeZoneCheck = await checkTimeZone(wallClock, timeZone).catch(() => null);
    return {
      baseUrl,
      timeZone,
      warnings: account.warnings,
      timeZoneCheck,
      botUser: { id: user.id, name: [user.name, user.lastname].filter(Boolean).join(' ') || email },
    };
  } catch (error) {
    if (error instanceof HttpError) throw error;
    if (isHdeApiError(error) && error.reason === 'auth') throw invalid('setup.authFailed');
    if (isHdeApiError(error)) throw invalid('setup.unreachable', { reason: error.reason });
    throw invalid('setup.unreachable', { reason: 'network' });
  } finally {
    hde.close();
    wallClock.close();
  }
}

/** Checks the credentials, creates the integration for a skill, and issues its first webhook token. */
export async function setupIntegration(deps: AppDeps, user: AdminUser, skillId: string, input: SetupInput): Promise<SetupResult> {
  const { baseUrl, botUser, timeZone, warnings, timeZoneCheck } = await checkHdeCredentials(deps, input);
  const handoff = input.handoff;
  if (handoff) {
    const credentials = { baseUrl, email: input.email.trim(), apiKey: input.apiKey.trim() };
    let directory: Promise<HdeDirectory> | undefined;
    const read = () => (directory ??= readHdeDirectory(deps, credentials, botUser.id));
    try {
      await checkHandoffChoice(handoff, async () => {
        const found = await read();
        return found.available ? found.departments : undefined;
      });
    } catch (error) {
      // The key works: the form comes back offering HDE's departments and agents by name.
      if (error instanceof IntegrationFieldError) throw new IntegrationFieldError(error.field, error.problem, error.details, await read());
      throw error;
    }
  }
  const integration = await deps.store.integrations.create({
    organizationId: user.organizationId,
    skillId,
    hdeBaseUrl: baseUrl,
    adminEmail: input.email.trim(),
    apiKey: input.apiKey.trim(),
    botUserId: botUser.id,
    // Start in draft mode: nothing reaches customers until someone has looked at the answers.
    replyMode: 'note',
    ...(handoff ? { handoffDepartmentId: handoff.departmentId, handoffAgentId: handoff.agentId } : {}),
    settings: { timeZone, ...(handoff ? { handoff: { target: handoff.target } } : {}) },
  });
  const { token } = await deps.store.integrations.issueToken(integration.id);
  deps.logger.info('Integration created', { integrationId: integration.id, skillId, botUserId: botUser.id, by: user.id, warnings });
  return {
    integration,
    botUser,
    token,
    webhookUrl: webhookUrl(deps.settings.publicWebhookBaseUrl, token),
    body: WEBHOOK_BODY_TEMPLATE,
    warnings,
    timeZoneCheck,
  };
}

/** Issues a new token; the integration's other tokens keep working for the grace period. */
export async function rotateToken(
  deps: AppDeps,
  user: AdminUser,
  integration: Integration,
): Promise<{ token: string; webhookUrl: string; body: string }> {
  const { token } = await deps.store.integrations.issueToken(integration.id, { graceSeconds: deps.settings.tokenGraceSeconds });
  deps.logger.info('Webhook token rotated', { integrationId: integration.id, by: user.id });
  return { token, webhookUrl: webhookUrl(deps.settings.publicWebhookBaseUrl, token), body: WEBHOOK_BODY_TEMPLATE };
}
