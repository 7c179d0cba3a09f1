import type { AdminUser, Dialog, Integration, SkillRow } from '@repo/store';
import type { AppDeps } from '../deps';
import { viewerOf } from '../context';
import { forbidden, notFound } from '../errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a path parameter is a UUID (anything else is simply not found). */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** Parses a positive integer id from a path parameter, or throws 404. */
export function intId(value: unknown): number {
  const n = typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n <= 0) throw notFound();
  return n;
}

/** A skill of the user's organization, or 404. */
export async function loadSkill(deps: AppDeps, user: AdminUser, skillId: unknown): Promise<SkillRow> {
  if (!isUuid(skillId)) throw notFound();
  const skill = await deps.store.organizations.getSkill(skillId);
  if (!skill || skill.organizationId !== user.organizationId) throw notFound();
  return skill;
}

/** An integration of the user's organization (settings: admins only), or 404/403. */
export async function loadIntegrationForAdmin(deps: AppDeps, user: AdminUser, integrationId: unknown): Promise<Integration> {
  if (!isUuid(integrationId)) throw notFound();
  const integration = await deps.store.integrations.get(integrationId);
  if (!integration || integration.organizationId !== user.organizationId) throw notFound();
  if (user.role !== 'admin') throw forbidden();
  return integration;
}

/** An integration whose dialogs the user may read, or 404. */
export async function loadVisibleIntegration(deps: AppDeps, user: AdminUser, integrationId: unknown): Promise<Integration> {
  if (!isUuid(integrationId)) throw notFound();
  if (!(await deps.admin.access.canSeeIntegration(viewerOf(user), integrationId))) throw notFound();
  const integration = await deps.store.integrations.get(integrationId);
  if (!integration) throw notFound();
  return integration;
}

/** A dialog the user may read (by the integration's visibility rule), or 404. */
export async function loadVisibleDialog(
  deps: AppDeps,
  user: AdminUser,
  dialogId: unknown,
): Promise<{ dialog: Dialog; integration: Integration }> {
  const id = intId(dialogId);
  const dialog = await deps.store.dialogs.get(id);
  if (!dialog) throw notFound();
  const integration = await loadVisibleIntegration(deps, user, dialog.integrationId);
  return { dialog, integration };
}

/**
 * Whether the user may read the dialogs of every integration of a skill: what shows customers'
 * text learnt from all of them (an article's answered questions). Admins may; a member only when
 * each of the skill's integrations is visible to them.
 */
export async function readsAllDialogsOf(deps: AppDeps, user: AdminUser, skillId: string): Promise<boolean> {
  if (user.role === 'admin') return true;
  const visible = new Set(await deps.admin.access.visibleIntegrationIds(viewerOf(user)));
  const ofSkill = (await deps.store.integrations.list(user.organizationId)).filter((i) => i.skillId === skillId);
  return ofSkill.every((i) => visible.has(i.id));
}

/** Whether the user may change a skill's KB and read its ratings: admins and the skill's owners. */
export async function ownsSkill(deps: AppDeps, user: AdminUser, skillId: string): Promise<boolean> {
  return user.role === 'admin' || (await deps.admin.access.isSkillOwner(skillId, user.id));
}

/** Throws 403 unless the user owns the skill (or is an admin). */
export async function requireSkillOwner(deps: AppDeps, user: AdminUser, skillId: string): Promise<void> {
  if (!(await ownsSkill(deps, user, skillId))) throw forbidden();
}
