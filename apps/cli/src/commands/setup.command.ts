import {
  checkTimeZone,
  createHdeClient,
  inspectBotAccount,
  isHdeApiError,
  type BotAccountWarning,
  type TimeZoneCheck,
} from '@repo/hde-client';
import type { ReplyMode, Store } from '@repo/store';
import {
  DEFAULT_HDE_TIME_ZONE,
  DEFAULT_RATE_LIMIT_PER_MINUTE,
  MAX_RATE_LIMIT_PER_MINUTE,
  hdeAccountUrl,
  isTimeZone,
  webhookUrl,
  WEBHOOK_BODY_TEMPLATE,
} from '@repo/domain';
import { dispatcherSteps } from './webhook-instructions';
import type { CliBudgets } from './hde-budget';

/** Input of {@link setupIntegration}. */
export type SetupInput = {
  /** The organization's name: created, or with `joinNamed` an existing one of that name is joined. */
  organization: string;
  /** Join the organization of that name when there is one (`--org` given explicitly). */
  joinNamed?: boolean;
  /** An existing organization's id (`--org-id`), used instead of the name. */
  organizationId?: string;
  consultant: string;
  skill: string;
  hdeUrl: string;
  /** E-mail of the bot's own HDE agent account (a dedicated one: see the README). */
  email: string;
  /** That account's API key. */
  apiKey: string;
  /** IANA time zone of the HDE account; default Europe/Moscow. */
  timeZone?: string;
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
  organizationName: string;
  /** False when an existing organization was joined (`--org` of a known name, or `--org-id`). */
  organizationCreated: boolean;
  consultantId: string;
  skillId: string;
  integrationId: string;
  botUserId: number;
  token: string;
  webhookUrl: string;
  body: string;
  instructions: string;
  timeZone: string;
  /** What HDE's own dates say about the time zone. */
  timeZoneCheck: TimeZoneCheck | null;
  /** Problems with the bot account, to be shown loudly. */
  warnings: BotAccountWarning[];
};

/** What each bot-account warning means for the person setting up. */
export const BOT_ACCOUNT_WARNINGS: Record<BotAccountWarning, string> = {
  administrator:
    "The API key belongs to an HDE administrator. The bot tells its own posts from people's by their author: " +
    'create a dedicated agent account for the bot (e.g. bot@your-company) and use its e-mail and API key.',
  answers_tickets:
    'Open tickets are assigned to this account: a person answers tickets with it. Replies written by hand from the ' +
    "bot's account are taken for a human (the bot then goes silent on that ticket), and the bot's load counts as theirs. " +
    'Use a dedicated agent account for the bot.',
};

/** A setup problem the user can fix; its message says what to fix. */
export class SetupError extends Error {
  override readonly name = 'SetupError';
}

/**
 * Creates an organization, consultant, skill and HDE integration after checking the credentials
 * against HDE and finding the bot's own user (the dedicated agent account whose key is used; a key
 * of a person who also answers tickets is warned about), then issues a token.
 */
export async function setupIntegration(store: Store, input: SetupInput, budgets: Pick<CliBudgets, 'forAccount'>): Promise<SetupResult> {
  const timeZone = input.timeZone ?? DEFAULT_HDE_TIME_ZONE;
  // What people paste: `acme.helpdeskeddy.com`, a ticket page's URL, or the API's `…/api/v2/`.
  const hdeUrl = hdeAccountUrl(input.hdeUrl);
  if (hdeUrl === undefined) throw new SetupError("--hde-url must be the HDE account's address, e.g. https://acme.helpdeskeddy.com");
  if (!isTimeZone(timeZone)) throw new SetupError('--time-zone must be an IANA time zone, e.g. Europe/Moscow or Asia/Yekaterinburg');
  // The database refuses 0 with an opaque error. Above HDE's documented account limit is allowed (an
  // on-premises HDE, a negotiated limit, the simulator) and warned about by the command.
  if (
    input.rateLimitPerMinute !== undefined &&
    !(Number.isInteger(input.rateLimitPerMinute) && input.rateLimitPerMinute >= 1 && input.rateLimitPerMinute <= MAX_RATE_LIMIT_PER_MINUTE)
  )
    throw new SetupError(`--rate-limit must be a whole number of requests per minute, from 1 to ${MAX_RATE_LIMIT_PER_MINUTE}`);
  const common = {
    baseUrl: hdeUrl,
    email: input.email,
    apiKey: input.apiKey,
    getRetries: 1,
    allowPrivateNetwork: input.allowPrivateNetwork,
    // The account's shared budget (the worker's limiter): setup's few reads count against the same limit.
    budget: budgets.forAccount(hdeUrl, input.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE),
  };
  const hde = createHdeClient(common);
  // Dates read as UTC wall clocks: what the time-zone check compares with now.
  const wallClock = createHdeClient({ ...common, tzOffsetMinutes: 0 });
  let botUserId: number;
  let warnings: BotAccountWarning[];
  let timeZoneCheck: TimeZoneCheck | null = null;
  try {
    const account = await inspectBotAccount(hde, input.email);
    if ('problem' in account) {
      throw new SetupError(
        account.problem === 'not_found'
          ? `HDE has no user with the e-mail ${input.email}; use the e-mail of the bot's agent account that owns the API key`
          : "The API key belongs to a client account; use the bot's own staff (agent) account",
      );
    }
    botUserId = account.user.id;
    warnings = account.warnings;
    if (input.handoffDepartmentId !== undefined) {
      // A department HDE does not have would make every hand-off's reassignment fail (400).
      const departments = await hde.listDepartments().catch(() => undefined);
      if (departments && !departments.some((d) => d.id === input.handoffDepartmentId))
        throw new SetupError(
          `HDE has no department ${input.handoffDepartmentId}; its departments: ${departments.map((d) => d.id).join(', ') || 'none'}`,
        );
    }
    timeZoneCheck = await checkTimeZone(wallClock, timeZone).catch(() => null);
  } catch (error) {
    if (error instanceof SetupError) throw error;
    if (isHdeApiError(error) && error.reason === 'auth')
      throw new SetupError("HDE refused the e-mail and API key (the key is in the bot user's card: Контакты → user → API key)");
    if (isHdeApiError(error)) throw new SetupError(`HDE could not be reached to check the credentials (${error.reason})`);
    throw error;
  } finally {
    hde.close();
    wallClock.close();
  }
  // Joining by name only when asked: a second company set up with the default name must not land
  // in the first one's organization, where that company's admins would see it.
  const org =
    input.organizationId !== undefined
      ? await store.organizations.getOrganization(input.organizationId)
      : input.joinNamed
        ? await store.organizations.organizationNamed(input.organization)
        : { ...(await store.organizations.createOrganization(input.organization)), created: true };
  if (!org) throw new SetupError(`There is no organization with the id ${input.organizationId}`);
  const organizationCreated = 'created' in org && org.created === true;
  const consultant = await store.organizations.createConsultant(org.id, input.consultant);
  const skill = await store.organizations.createSkill({ organizationId: org.id, consultantId: consultant.id, name: input.skill });
  const integration = await store.integrations.create({
    organizationId: org.id,
    skillId: skill.id,
    hdeBaseUrl: hdeUrl,
    adminEmail: input.email,
    apiKey: input.apiKey,
    botUserId,
    replyMode: input.replyMode,
    handoffDepartmentId: input.handoffDepartmentId ?? null,
    handoffAgentId: input.handoffAgentId ?? null,
    rateLimitPerMinute: input.rateLimitPerMinute,
    settings: { timeZone },
  });
  const { token } = await store.integrations.issueToken(integration.id);
  const url = webhookUrl(input.publicBaseUrl, token);
  return {
    organizationId: org.id,
    organizationName: org.name,
    organizationCreated,
    consultantId: consultant.id,
    skillId: skill.id,
    integrationId: integration.id,
    botUserId,
    token,
    webhookUrl: url,
    body: WEBHOOK_BODY_TEMPLATE,
    instructions: dispatcherSteps(url),
    timeZone,
    timeZoneCheck,
    warnings,
  };
}
