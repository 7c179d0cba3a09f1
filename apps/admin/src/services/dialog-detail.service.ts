import type { AdminUser, Dialog, Integration } from '@repo/store';
import { parseIntegrationSettings, parseSkillSettings } from '@repo/domain';
import type { AppDeps } from '../deps';
import { hdeUserNames } from './hde-user-names.service';
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
  // Messages store only the HDE id of an agent; the customer's name comes with the webhook and is on the dialog.
  const agentIds = messages.filter((m) => m.authorKind === 'agent' && m.authorId !== null).map((m) => m.authorId!);
  const names = agentIds.length > 0 ? await hdeUserNames(deps, integration, agentIds) : new Map<number, string>();
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
    /** Names of the agents who wrote in the ticket, by HDE user id; an id HDE could not name is absent. */
    authorNames: Object.fromEntries(names) as Record<number, string>,
    /** The IANA zone of the integration's HDE account: every time on the page is shown in it. */
    timeZone: parseIntegrationSettings(integration.settings).timeZone,
    /** The skill's current answer threshold, shown beside each decision's confidence. */
    confidenceThreshold: parseSkillSettings(skill?.settings).confidenceThreshold,
  };
}
/** See {@link dialogDetail}. */
export type DialogDetail = Awaited<ReturnType<typeof dialogDetail>>;
