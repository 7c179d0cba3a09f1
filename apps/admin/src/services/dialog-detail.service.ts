import type { AdminUser, Dialog, Integration } from '@repo/store';
import { parseIntegrationSettings, parseSkillSettings } from '@repo/domain';
import type { AppDeps } from '../deps';
import { hdeDirectory, nameOf } from './hde-directory.service';
import { hdeUserNames } from './hde-user-names.service';
import { hdeTicketUrl } from './webhook-guide';
import { holderActionsOf } from './dialog-holder.service';

/** A positive integer id from a stored request, or null. */
function idIn(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : null;
}

/**
 * Reads the `before` query parameter of a dialog page: a message id (the page of messages before
 * it), or undefined for the newest page; anything else is ignored.
 */
export function pageCursor(value: unknown): number | undefined {
  return typeof value === 'string' && /^[1-9]\d{0,14}$/.test(value) ? Number(value) : undefined;
}

/**
 * Everything the dialog page shows: the newest messages (or those before message `before`), at most
 * `DIALOG_PAGE_MESSAGES`, with their turns' decisions and HDE actions.
 */
export async function dialogDetail(
  deps: AppDeps,
  _user: AdminUser,
  dialog: Dialog,
  integration: Integration,
  options: { before?: number | undefined } = {},
) {
  const [{ messages, decisions, ledger, olderBefore }, skill, holderChanges] = await Promise.all([
    deps.admin.dialogs.page(dialog.id, { beforeId: options.before }),
    deps.store.organizations.getSkill(integration.skillId),
    deps.store.dialogHolder.changes(dialog.id),
  ]);
  const ratings = await deps.admin.access.ratingsOfTurns(
    dialog.id,
    decisions.map((d) => d.turnId),
  );
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
    /** Who took the ticket over or returned it to the bot, and when (the bot's own resumption has no user). */
    holderChanges: holderChanges.map((c) => ({
      toState: c.toState,
      reason: c.reason,
      by: c.userId === null ? null : { id: c.userId, email: c.userEmail, name: c.userName },
      at: c.createdAt,
    })),
    /** What the viewer may do about who holds the ticket now. */
    holderActions: holderActionsOf(dialog),
    /** Paging: the `before` cursor of the older page (null on the oldest), and whether this is the newest page. */
    page: { olderBefore, newest: options.before === undefined },
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
