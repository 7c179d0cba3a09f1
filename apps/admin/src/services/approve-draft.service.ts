import { compile } from 'html-to-text';
import escapeHtml from 'escape-html';
import { HTML_TEXT_MAX_DEPTH } from '@repo/domain';
import { QUEUES, jobIds } from '@repo/queue';
import type { AdminUser, Dialog, Integration, LedgerEntry } from '@repo/store';
import type { AppDeps } from '../deps';
import { invalid, notFound } from '../errors';

/** How an approval ended: the ledger state of the `approved-<turnId>` entry. */
export type ApproveOutcome = { state: LedgerEntry['state']; ref: string | null; error?: string };

const draftToText = compile({
  wordwrap: false,
  limits: { maxDepth: HTML_TEXT_MAX_DEPTH },
  selectors: [{ selector: 'a', options: { hideLinkHrefIfSameAsText: true } }],
});

/** The plain text of a draft, for the edit box. */
export function draftText(html: string): string {
  return draftToText(html).trim();
}

/** The reply HTML of edited plain text: escaped, one paragraph per blank-line block. */
export function textToHtml(text: string): string {
  return text
    .replace(/\r\n/g, '\n')
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
}

/**
 * Approves a draft (reply mode `note`): the final text is planned in the send ledger as
 * `approved-<turnId>` and the turn's deliver job is queued again, so the worker posts it as a public
 * reply through the same exactly-once path and the same per-account HDE budget as every reply. A
 * second approval finds the entry planned (or sent) and changes nothing.
 */
export async function approveDraft(
  deps: AppDeps,
  user: AdminUser,
  target: { dialog: Dialog; integration: Integration; turnId: string; text: string },
): Promise<ApproveOutcome> {
  const { dialog, integration, turnId } = target;
  const turn = await deps.store.decisions.get(turnId);
  if (!turn || turn.dialogId !== dialog.id) throw notFound();
  if (integration.replyMode !== 'note' || (turn.action !== 'answer' && turn.action !== 'clarify')) throw invalid();
  const html = textToHtml(target.text);
  if (!html) throw invalid();
  const entry = await deps.store.ledger.plan({
    integrationId: integration.id,
    dialogId: dialog.id,
    ticketId: dialog.ticketId,
    actionKey: `approved-${turnId}`,
    kind: 'reply',
    request: { text: html, approvedBy: user.id },
  });
  const queue = deps.queues.find((q) => q.name === QUEUES.deliver.name);
  if (!queue) throw new Error('The deliver queue is not configured');
  const data = { integrationId: integration.id, dialogId: dialog.id, turnId };
  await queue.add(QUEUES.deliver.job, data, { ...QUEUES.deliver.defaults, jobId: jobIds.approve(data) });
  deps.logger.info('Draft approved and queued for delivery', { dialogId: dialog.id, turnId, state: entry.state, by: user.id });
  return { state: entry.state, ref: entry.hdeRef, error: entry.error ?? undefined };
}
