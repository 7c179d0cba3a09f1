import { createHdeClient, isHdeApiError } from '@repo/hde-client';
import type { ReplyMode, Store } from '@repo/store';
import { webhookUrl, WEBHOOK_BODY_TEMPLATE } from '@repo/domain';
import { dispatcherSteps } from './webhook-instructions';

/** Input of {@link setupIntegration}. */
export type SetupInput = {
  organization: string;
  consultant: string;
  skill: string;
  hdeUrl: string;
  email: string;
  apiKey: string;
  replyMode: ReplyMode;
  handoffDepartmentId?: number;
  handoffAgentId?: number;
  rateLimitPerMinute?: number;
  publicBaseUrl: string;
  /** Allow http and private addresses (simulator, on-premises HDE). */
  allowPrivateNetwork?: boolean;
};

/** What setup created; the token appears here once and is stored only as a hash. */
export type SetupResult = {
  organizationId: string;
  consultantId: string;
  skillId: string;
  integrationId: string;
  botUserId: number;
  token: string;
  webhookUrl: string;
  body: string;
  instructions: string;
};

/** A setup problem the user can fix; its message says what to fix. */
export class SetupError extends Error {
  override readonly name = 'SetupError';
}

/**
 * Creates an organization, consultant, skill and HDE integration after checking the credentials
 * against HDE and finding the bot's own user (the admin whose key is used), then issues a token.
 */
export async function setupIntegration(store: Store, input: SetupInput): Promise<SetupResult> {
  const hde = createHdeClient({ baseUrl: input.hdeUrl, email: input.email, apiKey: input.apiKey, getRetries: 1, allowPrivateNetwork: input.allowPrivateNetwork });
  let botUserId: number;
  try {
    const me = await hde.findUserByEmail(input.email);
    if (!me) throw new SetupError(`HDE has no user with the e-mail ${input.email}; use the admin's e-mail that owns the API key`);
    if (!me.isStaff) throw new SetupError('The API key belongs to a client account; use a staff (admin) account');
    botUserId = me.id;
  } catch (error) {
    if (error instanceof SetupError) throw error;
    if (isHdeApiError(error) && error.reason === 'auth') throw new SetupError('HDE refused the e-mail and API key (check Управление → Глобальные настройки → Система)');
    if (isHdeApiError(error)) throw new SetupError(`HDE could not be reached to check the credentials (${error.reason})`);
    throw error;
  } finally {
    hde.close();
  }
  const org = await store.organizations.createOrganization(input.organization);
  const consultant = await store.organizations.createConsultant(org.id, input.consultant);
  const skill = await store.organizations.createSkill({ organizationId: org.id, consultantId: consultant.id, name: input.skill });
  const integration = await store.integrations.create({
    organizationId: org.id,
    skillId: skill.id,
    hdeBaseUrl: input.hdeUrl,
    adminEmail: input.email,
    apiKey: input.apiKey,
    botUserId,
    replyMode: input.replyMode,
    handoffDepartmentId: input.handoffDepartmentId ?? null,
    handoffAgentId: input.handoffAgentId ?? null,
    rateLimitPerMinute: input.rateLimitPerMinute,
  });
  const { token } = await store.integrations.issueToken(integration.id);
  const url = webhookUrl(input.publicBaseUrl, token);
  return {
    organizationId: org.id, consultantId: consultant.id, skillId: skill.id, integrationId: integration.id, botUserId,
    token, webhookUrl: url, body: WEBHOOK_BODY_TEMPLATE, instructions: dispatcherSteps(url),
  };
}
