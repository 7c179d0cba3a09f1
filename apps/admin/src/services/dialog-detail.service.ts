import type { AdminUser, Dialog, Integration } from '@repo/store';
import { parseIntegrationSettings, parseSkillSettings } from '@repo/domain';
import type { AppDeps } from '../deps';
import { hdeDirectory, nameOf } from './hde-directory.service';
import { hdeUserNames } from './hde-user-names.service';
import { hdeTicketUrl } from './webhook-guide';

/** A positive integer id from a stored request, or null. */
function idIn(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : null;
}

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
  // Who each hand-off went to: the owner and department the assignment asked HDE for.
  const assignments = ledger
    .filter((e) => e.kind === 'assign')
    .map((e) => ({ actionKey: e.actionKey, ownerId: idIn(e.request.ownerId), departmentId: idIn(e.request.departmentId) }));
  const agentIds = [
    ...messages.filter((m) => m.authorKind === 'agent' && m.authorId !== null).map((m) => m.authorId!),
    ...assignments.flatMap((a) => (a.ownerId === null ? [] : [a.ownerId])),
  ];
  const [names, directory] = await Promise.all([
    agentIds.length > 0 ? hdeUserNames(deps, integration, agentIds) : new Map<number, string>(),
    assignments.some((a) => a.departmentId !== null) ? hdeDirectory(deps, integration) : undefined,
  ]);
  const departments = directory?.available ? directory.departments : undefined;
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
    /** Who each assignment (ledger action key) handed the ticket to: agent and department names, `#id` where HDE could not name them. */
    assignees: Object.fromEntries(
      assignments.map((a) => [
        a.actionKey,
        {
          agent: a.ownerId === null ? null : (names.get(a.ownerId) ?? `#${a.ownerId}`),
          department: nameOf(departments, a.departmentId),
        },
      ]),
    ) as Record<string, { agent: string | null; department: string | null }>,
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
