import type { AdminUser, Dialog, Integration } from '@repo/store';
import { parseSkillSettings } from '@repo/domain';
import type { AppDeps } from '../deps';
import { hdeTicketUrl } from './webhook-guide';

/** Everything the dialog page shows. */
export async function dialogDetail(deps: AppDeps, _user: AdminUser, dialog: Dialog, integration: Integration) {
  const [messages, decisions, ledger, ratings, skill] = await Promise.all([
    deps.store.dialogs.messages(dialog.id),
    deps.store.decisions.forDialog(dialog.id),
    deps.store.ledger.forDialog(dialog.id),
    deps.admin.access.ratingsOfDialog(dialog.id),
    deps.store.organizations.getSkill(integration.skillId),
  ]);
  return {
    dialog,
    integration: { id: integration.id, name: integration.name, replyMode: integration.replyMode, hdeBaseUrl: integration.hdeBaseUrl },
    hdeUrl: hdeTicketUrl(integration.hdeBaseUrl, dialog.ticketId),
    messages,
    decisions,
    ledger: ledger.map((e) => ({
      id: e.id,
      actionKey: e.actionKey,
      kind: e.kind,
      state: e.state,
      attempts: e.attempts,
      hdeRef: e.hdeRef,
      error: e.error,
      startedAt: e.startedAt,
      finishedAt: e.finishedAt,
    })),
    ratings,
    /** The skill's current answer threshold, shown beside each decision's confidence. */
    confidenceThreshold: parseSkillSettings(skill?.settings).confidenceThreshold,
  };
}
/** See {@link dialogDetail}. */
export type DialogDetail = Awaited<ReturnType<typeof dialogDetail>>;
