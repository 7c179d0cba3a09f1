import { z } from 'zod';
import { WorkingHoursSchema } from '@repo/domain';
import type { AdminUser, Integration } from '@repo/store';
import type { AppDeps } from '../deps';
import { invalid } from '../errors';

const OptionalId = z.number().int().positive().nullable();

/** What an admin may change on an integration (UI form and API alike). */
export const IntegrationSettingsSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    replyMode: z.enum(['public', 'note', 'off']),
    /** HDE department ids the bot works in; empty means every department. */
    scopeDepartmentIds: z.array(z.number().int().positive()).max(200),
    handoffDepartmentId: OptionalId,
    handoffAgentId: OptionalId,
    workingHours: WorkingHoursSchema.nullable(),
    /** How classification results enrich the ticket, e.g. `{ "tagsByTopic": { "billing": ["оплата"] } }`. */
    enrichment: z.record(z.string(), z.unknown()),
    dialogsVisibleToAll: z.boolean(),
    enabled: z.boolean(),
  })
  .partial();
/** See {@link IntegrationSettingsSchema}. */
export type IntegrationSettingsInput = z.infer<typeof IntegrationSettingsSchema>;

/** The integration's settings as the forms and the API show them. */
export function settingsView(integration: Integration) {
  const s = integration.settings as { scope?: { departmentIds?: number[] }; workingHours?: unknown; enrichment?: Record<string, unknown> };
  return {
    name: integration.name,
    replyMode: integration.replyMode,
    scopeDepartmentIds: s.scope?.departmentIds ?? [],
    handoffDepartmentId: integration.handoffDepartmentId,
    handoffAgentId: integration.handoffAgentId,
    workingHours: (s.workingHours ?? null) as z.infer<typeof WorkingHoursSchema> | null,
    enrichment: s.enrichment ?? {},
    dialogsVisibleToAll: integration.dialogsVisibleToAll,
    enabled: integration.enabled,
  };
}

/**
 * Applies a settings change. Scope, working hours and enrichment live in the integration's
 * `settings` JSON (`scope.departmentIds`, `workingHours`, `enrichment`); the rest are columns.
 */
export async function updateIntegrationSettings(deps: AppDeps, user: AdminUser, integration: Integration, input: unknown): Promise<Integration> {
  const parsed = IntegrationSettingsSchema.safeParse(input);
  if (!parsed.success) throw invalid();
  const p = parsed.data;
  const settings: Record<string, unknown> = { ...integration.settings };
  if (p.scopeDepartmentIds !== undefined) settings.scope = { ...(settings.scope as object | undefined), departmentIds: p.scopeDepartmentIds };
  if (p.workingHours !== undefined) settings.workingHours = p.workingHours;
  if (p.enrichment !== undefined) settings.enrichment = p.enrichment;
  const updated = await deps.store.integrations.update(integration.id, {
    name: p.name,
    replyMode: p.replyMode,
    handoffDepartmentId: p.handoffDepartmentId,
    handoffAgentId: p.handoffAgentId,
    dialogsVisibleToAll: p.dialogsVisibleToAll,
    enabled: p.enabled,
    settings,
  });
  deps.logger.info('Integration settings changed', { integrationId: integration.id, by: user.id, fields: Object.keys(p) });
  return updated!;
}
