import { z } from 'zod';
import { EnrichmentRuleSchema, isTimeZone, KB_ACCESS_LEVELS, parseIntegrationSettings, WorkingHoursSchema } from '@repo/domain';
import type { AdminUser, Integration } from '@repo/store';
import type { AppDeps } from '../deps';
import { invalid } from '../errors';
import { checkHandoffChoice } from './handoff-target.service';
import { RESUME_AFTER_MAX_MINUTES } from '@repo/domain';
import { hdeDirectory } from './hde-directory.service';
import { HDE_ACCOUNT_LIMIT_PER_MINUTE, MAX_RATE_LIMIT_PER_MINUTE, MAX_STALE_AFTER_MS } from './integration-limits';
import { patchProblem, rateLimitProblem } from './integration-patch-problems';

const OptionalId = z.number().int().positive().nullable();

/**
 * What an admin may change on an integration (UI form and API alike). Columns: name, reply mode,
 * hand-off department/agent, visibility, enabled. The rest goes into the integration's settings JSON
 * in the shape the worker reads (`IntegrationSettingsSchema` of @repo/domain).
 */
export const IntegrationPatchSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    replyMode: z.enum(['public', 'note', 'off']),
    /** HDE department ids the bot works in; empty means every department. */
    scopeDepartmentIds: z.array(z.number().int().positive()).max(200),
    /** Ticket channels (`email`, `telegram`…); empty means every channel. */
    scopeSources: z.array(z.string().trim().min(1)).max(50),
    /** Ticket tags; when set a ticket needs one of them. */
    scopeTags: z.array(z.string().trim().min(1)).max(50),
    handoffDepartmentId: OptionalId,
    handoffAgentId: OptionalId,
    handoffTarget: z.enum(['agent', 'department', 'least_loaded']),
    handoffStatusId: z.string().trim().min(1).nullable(),
    handoffTag: z.string().trim().min(1).nullable(),
    handBackOnReopen: z.boolean(),
    /** After a staff reply: the bot stays silent, or answers again after `resumeAfterMinutes` without one. */
    afterAgentReply: z.enum(['silent', 'resume_after']),
    resumeAfterMinutes: z.number().int().min(1).max(RESUME_AFTER_MAX_MINUTES),
    workingHours: WorkingHoursSchema.nullable(),
    /** Rules: when the classification matches, set tags and custom fields. */
    enrichment: z.array(EnrichmentRuleSchema),
    dialogsVisibleToAll: z.boolean(),
    enabled: z.boolean(),
    /** IANA time zone of the HDE account: HDE's dates carry none. */
    timeZone: z.string().trim().refine(isTimeZone),
    /** HDE user ids of other bots and automations: neither customers nor humans taking over. */
    automationUserIds: z.array(z.number().int().positive()).max(200),
    /** Keep the skill's KB in step with the HDE account's knowledge base on the worker's schedule. */
    kbSyncEnabled: z.boolean(),
    /** HDE KB category ids to sync (negative: HDE's built-in ones); empty means all but the built-in. */
    kbSyncCategoryIds: z
      .array(
        z
          .number()
          .int()
          .refine((id) => id !== 0),
      )
      .max(200),
    /** Access levels of the articles synced; at least one. */
    kbSyncAccess: z.array(z.enum(KB_ACCESS_LEVELS)).min(1),
    /** How long what webhooks told of a ticket is trusted before a reply (ms); 0 reads it before every reply. */
    staleAfterMs: z.number().int().min(0).max(MAX_STALE_AFTER_MS),
    /**
     * The HDE account's requests per minute; the smallest of an account's integrations applies. At
     * most HDE's account limit (checked in {@link updateIntegrationSettings}, which lets a higher
     * limit set with the CLI for an on-premises HDE stand unchanged).
     */
    rateLimitPerMinute: z.number().int().min(1).max(MAX_RATE_LIMIT_PER_MINUTE),
  })
  .partial();
/** See {@link IntegrationPatchSchema}. */
export type IntegrationPatchInput = z.infer<typeof IntegrationPatchSchema>;

/** The integration's settings as the forms and the API show them. */
export function settingsView(integration: Integration) {
  const s = parseIntegrationSettings(integration.settings);
  return {
    name: integration.name,
    replyMode: integration.replyMode,
    scopeDepartmentIds: s.scope.departmentIds,
    scopeSources: s.scope.sources,
    scopeTags: s.scope.tags,
    handoffDepartmentId: integration.handoffDepartmentId,
    handoffAgentId: integration.handoffAgentId,
    handoffTarget: s.handoff.target,
    handoffStatusId: s.handoff.statusId ?? null,
    handoffTag: s.handoff.tag ?? null,
    handBackOnReopen: s.takeover.handBackOnReopen,
    afterAgentReply: s.takeover.afterAgentReply,
    resumeAfterMinutes: s.takeover.resumeAfterMinutes,
    workingHours: s.workingHours,
    enrichment: s.enrichment,
    dialogsVisibleToAll: integration.dialogsVisibleToAll,
    enabled: integration.enabled,
    timeZone: s.timeZone,
    automationUserIds: s.automationUserIds,
    kbSyncEnabled: s.kbSync.enabled,
    kbSyncCategoryIds: s.kbSync.categoryIds,
    kbSyncAccess: s.kbSync.access,
    staleAfterMs: s.staleAfterMs,
    rateLimitPerMinute: integration.rateLimitPerMinute,
  };
}

/**
 * The integration as it would be with the change applied, without saving: what `update` stores, and
 * what a refused form shows again (with what was typed). Fields not given stay as they are.
 */
export function applyIntegrationPatch(integration: Integration, p: IntegrationPatchInput): Integration {
  const current = parseIntegrationSettings(integration.settings);
  const settings = {
    ...integration.settings,
    ...current,
    scope: {
      departmentIds: p.scopeDepartmentIds ?? current.scope.departmentIds,
      sources: p.scopeSources ?? current.scope.sources,
      tags: p.scopeTags ?? current.scope.tags,
    },
    handoff: {
      target: p.handoffTarget ?? current.handoff.target,
      ...(p.handoffStatusId === undefined
        ? current.handoff.statusId
          ? { statusId: current.handoff.statusId }
          : {}
        : p.handoffStatusId
          ? { statusId: p.handoffStatusId }
          : {}),
      ...(p.handoffTag === undefined
        ? current.handoff.tag
          ? { tag: current.handoff.tag }
          : {}
        : p.handoffTag
          ? { tag: p.handoffTag }
          : {}),
    },
    takeover: {
      handBackOnReopen: p.handBackOnReopen ?? current.takeover.handBackOnReopen,
      afterAgentReply: p.afterAgentReply ?? current.takeover.afterAgentReply,
      resumeAfterMinutes: p.resumeAfterMinutes ?? current.takeover.resumeAfterMinutes,
    },
    workingHours: p.workingHours === undefined ? current.workingHours : p.workingHours,
    enrichment: p.enrichment ?? current.enrichment,
    timeZone: p.timeZone ?? current.timeZone,
    automationUserIds: p.automationUserIds ?? current.automationUserIds,
    kbSync: {
      enabled: p.kbSyncEnabled ?? current.kbSync.enabled,
      categoryIds: p.kbSyncCategoryIds ? [...new Set(p.kbSyncCategoryIds)] : current.kbSync.categoryIds,
      access: p.kbSyncAccess ? [...new Set(p.kbSyncAccess)] : current.kbSync.access,
    },
    staleAfterMs: p.staleAfterMs ?? current.staleAfterMs,
  };
  return {
    ...integration,
    name: p.name ?? integration.name,
    replyMode: p.replyMode ?? integration.replyMode,
    handoffDepartmentId: p.handoffDepartmentId === undefined ? integration.handoffDepartmentId : p.handoffDepartmentId,
    handoffAgentId: p.handoffAgentId === undefined ? integration.handoffAgentId : p.handoffAgentId,
    dialogsVisibleToAll: p.dialogsVisibleToAll ?? integration.dialogsVisibleToAll,
    enabled: p.enabled ?? integration.enabled,
    rateLimitPerMinute: p.rateLimitPerMinute ?? integration.rateLimitPerMinute,
    settings,
  };
}

/**
 * {@link applyIntegrationPatch} for raw input. Fields that do not parse are left as they are, so a
 * refused form shows the rest of what was typed.
 */
export function previewIntegration(integration: Integration, input: unknown): Integration {
  const parsed = IntegrationPatchSchema.safeParse(input);
  if (parsed.success) return applyIntegrationPatch(integration, parsed.data);
  const raw = input && typeof input === 'object' ? (input as Record<string, unknown>) : {};
  const valid: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(IntegrationPatchSchema.shape)) {
    const one = field.safeParse(raw[key]);
    if (one.success && one.data !== undefined) valid[key] = one.data;
  }
  return applyIntegrationPatch(integration, valid as IntegrationPatchInput);
}

/**
 * Applies a settings change; fields not given stay as they are. A changed hand-off must have its
 * target (see {@link checkHandoffChoice}): refused with an `IntegrationFieldError` naming the field.
 */
export async function updateIntegrationSettings(
  deps: AppDeps,
  user: AdminUser,
  integration: Integration,
  input: unknown,
): Promise<Integration> {
  const parsed = IntegrationPatchSchema.safeParse(input);
  // A field with its own words (range, list) is named beside it; anything else stays a plain 400.
  if (!parsed.success) throw patchProblem(parsed.error) ?? invalid();
  const p = parsed.data;
  // Above HDE's account limit only as it stands: `setup --rate-limit` may set more for an
  // on-premises HDE or a negotiated limit, and the form, which sends the field back, must still save.
  if (
    p.rateLimitPerMinute !== undefined &&
    p.rateLimitPerMinute > HDE_ACCOUNT_LIMIT_PER_MINUTE &&
    p.rateLimitPerMinute !== integration.rateLimitPerMinute
  )
    throw rateLimitProblem();
  const current = parseIntegrationSettings(integration.settings);
  if (p.handoffTarget !== undefined || p.handoffDepartmentId !== undefined || p.handoffAgentId !== undefined) {
    // Only when the hand-off is being changed: an old integration without a target can still be
    // renamed or switched off (the overview keeps warning about it).
    await checkHandoffChoice(
      {
        target: p.handoffTarget ?? current.handoff.target,
        departmentId: p.handoffDepartmentId === undefined ? integration.handoffDepartmentId : p.handoffDepartmentId,
        agentId: p.handoffAgentId === undefined ? integration.handoffAgentId : p.handoffAgentId,
      },
      async (fresh) => {
        const directory = await hdeDirectory(deps, integration, { fresh });
        return directory.available ? directory.departments : undefined;
      },
    );
  }
  const next = applyIntegrationPatch(integration, p);
  const updated = await deps.store.integrations.update(integration.id, {
    name: p.name,
    replyMode: p.replyMode,
    handoffDepartmentId: p.handoffDepartmentId,
    handoffAgentId: p.handoffAgentId,
    dialogsVisibleToAll: p.dialogsVisibleToAll,
    enabled: p.enabled,
    rateLimitPerMinute: p.rateLimitPerMinute,
    settings: next.settings,
  });
  deps.logger.info('Integration settings changed', { integrationId: integration.id, by: user.id, fields: Object.keys(p) });
  return updated!;
}
