import type { Scope } from '@repo/domain';
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
