import { convert } from 'html-to-text';
import escapeHtml from 'escape-html';
import { isHdeApiError, type HdeClient } from '@repo/hde-client';
import type { AdminUser, Dialog, Integration, LedgerEntry } from '@repo/store';
import type { AppDeps } from '../deps';
import { invalid, notFound } from '../errors';

/** How an approval ended: the ledger state of the `approved-<turnId>` entry. */
export type ApproveOutcome = { state: LedgerEntry['state']; ref: string | null; error?: string };

/** The plain text of a draft, for the edit box. */
export function draftText(html: string): string {
  return convert(html, { wordwrap: false, selectors: [{ selector: 'a', options: { hideLinkHrefIfSameAsText: true } }] }).trim();
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

function comparable(html: string): string {
  return convert(html, { wordwrap: false, selectors: [{ selector: 'a', options: { ignoreHref: true } }] }).replace(/\s+/g, ' ').trim().toLowerCase();
}

/** Looks for our post among the ticket's newest ones: found, absent, or unsure (too many newer posts). */
async function reconcile(hde: HdeClient, entry: LedgerEntry, botUserId: number | null): Promise<'found' | 'absent' | 'unsure'> {
  const page = await hde.listPosts(entry.ticketId);
  const wanted = comparable(String(entry.request.text ?? ''));
  const since = (entry.startedAt?.getTime() ?? 0) - 5 * 60_000;
  const match = page.items.find(
    (p) => (botUserId === null || p.userId === botUserId) && comparable(p.text) === wanted && (p.dateCreated === null || p.dateCreated.getTime() >= since),
  );
  if (match) return 'found';
  const oldest = page.items.at(-1);
  const seenAll = page.items.length < (page.pagination.perPage || 30) || (oldest?.dateCreated != null && oldest.dateCreated.getTime() < since);
  return seenAll ? 'absent' : 'unsure';
}

/**
 * Posts an approved draft to HDE exactly once, through the same send ledger the worker uses: the
 * entry `approved-<turnId>` (kind `reply`) is planned with the final text, moved `planned → sending`
 * (the fence: a second click or a second admin finds it taken), sent, and finished. A call that may
 * have landed is checked by reading the ticket's posts; it is resent at most once, otherwise it is
 * quarantined. The worker's deliver stage cannot be asked to send this entry without changing it,
 * so this is the same algorithm as its `sendOnce`, run in the admin process.
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

  let entry = await deps.store.ledger.plan({
    integrationId: integration.id,
    dialogId: dialog.id,
    ticketId: dialog.ticketId,
    actionKey: `approved-${turnId}`,
    kind: 'reply',
    request: { text: html, approvedBy: user.id },
  });
  const credentials = await deps.store.integrations.credentials(integration.id);
  if (!credentials) throw notFound();
  const hde = deps.hdeClient({ baseUrl: integration.hdeBaseUrl, email: credentials.email, apiKey: credentials.apiKey });
  try {
    for (let step = 0; step < 5; step += 1) {
      if (entry.state === 'sending') {
        // Left by an approval whose process stopped mid-call: once that call surely ended, check HDE.
        const settledAt = (entry.startedAt?.getTime() ?? 0) + deps.settings.hdeCallTimeoutMs + 2000;
        if (settledAt > Date.now()) break;
        await deps.store.ledger.markAmbiguous(entry.id, 'approval stopped during the call');
      } else if (entry.state === 'ambiguous') {
        const found = await reconcile(hde, entry, integration.botUserId);
        if (found === 'found') await deps.store.ledger.finish(entry.id, 'sent');
        else if (found === 'unsure' || entry.attempts >= 2) await deps.store.ledger.finish(entry.id, 'quarantined', { error: 'could not tell whether the reply landed' });
        else await deps.store.ledger.replan(entry.id);
      } else if (entry.state === 'planned') {
        if (await deps.store.ledger.beginSend(entry.id)) {
          try {
            const post = await hde.createPost(dialog.ticketId, { text: String(entry.request.text) });
            await deps.store.ledger.finish(entry.id, 'sent', { hdeRef: String(post.id) });
          } catch (error) {
            if (isHdeApiError(error) && error.mayHaveLanded) await deps.store.ledger.markAmbiguous(entry.id, error.message);
            else if (isHdeApiError(error) && !error.retryable) await deps.store.ledger.finish(entry.id, 'failed', { error: error.message });
            else {
              // Nothing was written in HDE: leave it planned, attempt given back, so approving again retries it.
              await deps.store.ledger.replan(entry.id, { undoAttempt: true });
              return { state: 'planned', ref: null, error: isHdeApiError(error) ? error.reason : 'error' };
            }
          }
        }
      } else {
        break;
      }
      entry = (await deps.store.ledger.get(entry.id))!;
    }
  } finally {
    hde.close();
  }

  if (entry.state === 'sent') {
    const recorded = await deps.store.dialogs.recordMessage({
      dialogId: dialog.id, eventId: `a-${turnId}`, authorKind: 'bot', authorId: integration.botUserId,
      text: draftText(String(entry.request.text)), html: String(entry.request.text), postedAt: new Date(), status: 'done',
    });
    if (recorded.inserted) {
      await deps.store.dialogs.countBotReply(dialog.id);
      await deps.store.decisions.update(turnId, {
        result: { ...(turn.result ?? {}), approved: { by: user.id, state: 'sent', ref: entry.hdeRef, at: new Date().toISOString() } },
      });
    }
  }
  deps.logger.info('Draft approval finished', { dialogId: dialog.id, turnId, state: entry.state, by: user.id });
  return { state: entry.state, ref: entry.hdeRef, error: entry.error ?? undefined };
}
