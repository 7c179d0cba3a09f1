import type { DecisionReason, Scope } from '@repo/domain';
import type { Dialog } from '@repo/store';

/** Whether any scope filter needs facts only a read of the ticket gives (department, channel, tags). */
export function scopeNeedsTicket(scope: Scope): boolean {
  return scope.departmentIds.length > 0 || scope.sources.length > 0 || scope.tags.length > 0;
}

/** Whether the ticket is one the bot works on. Unknown facts count as out of scope when filtered. */
export function inScope(scope: Scope, dialog: Pick<Dialog, 'departmentId' | 'source' | 'tags'>): boolean {
  if (scope.departmentIds.length > 0 && (dialog.departmentId === null || !scope.departmentIds.includes(dialog.departmentId))) return false;
  if (scope.sources.length > 0 && (dialog.source === null || !scope.sources.includes(dialog.source))) return false;
  if (scope.tags.length > 0 && !(dialog.tags ?? []).some((t) => scope.tags.includes(t))) return false;
  return true;
}

/**
 * Why a ticket is out of the bot's scope, or `undefined` when it is in scope. A tag filter on a
 * ticket whose tags HDE did not report (its ticket object has no `tags` key, as in HDE's documented
 * samples) says so, so admins see why every ticket is skipped.
 */
export function outOfScopeReasons(scope: Scope, dialog: Pick<Dialog, 'departmentId' | 'source' | 'tags'>): DecisionReason[] | undefined {
  if (inScope(scope, dialog)) return undefined;
  const tagsOnly = inScope({ ...scope, tags: [] }, dialog);
  return tagsOnly && dialog.tags === null ? ['out_of_scope', 'scope_tags_unknown'] : ['out_of_scope'];
}
