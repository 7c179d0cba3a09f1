import { Router, type Request } from 'express';
import type { DialogFilter, DialogState } from '@repo/store';
import type { AppDeps } from '../deps';
import { ctx, viewerOf } from '../context';
import { invalid } from '../errors';
import { isUuid, loadVisibleDialog } from '../services/access.service';
import { approveDraft } from '../services/approve-draft.service';
import { changeHolder, type HolderAction } from '../services/dialog-holder.service';
import { HttpError } from '../errors';
import { dialogDetail, pageCursor } from '../services/dialog-detail.service';
import { dialogListView, dialogView } from '../views/dialogs.view';
import { pageContext, sendPage } from '../views/page';

const STATES: DialogState[] = ['bot', 'handed_off', 'agent', 'closed'];

function dateParam(value: unknown, plusDays = 0): Date | undefined {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const d = new Date(`${value}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? undefined : new Date(d.getTime() + plusDays * 86400_000);
}

/** The dialog filter from query parameters (`integration`, `state`, `from`, `to` as YYYY-MM-DD inclusive, `q`, `page`). */
export function filterFromQuery(query: Request['query']): DialogFilter {
  const page = Number(query.page);
  return {
    integrationId: isUuid(query.integration) ? query.integration : undefined,
    state: STATES.find((s) => s === query.state),
    from: dateParam(query.from),
    to: dateParam(query.to, 1),
    text: typeof query.q === 'string' && query.q.trim() ? query.q.trim().slice(0, 200) : undefined,
    awaitingApproval: query.drafts === '1' ? true : undefined,
    handoffReason: typeof query.reason === 'string' && /^[a-z_]{1,40}$/.test(query.reason) ? query.reason : undefined,
    // Bounded so a huge page number cannot reach SQL as an out-of-range OFFSET.
    page: Number.isInteger(page) && page > 0 ? Math.min(page, 100_000) : 1,
    perPage: Number(query.perPage) > 0 ? Math.min(Number(query.perPage), 200) : 25,
  };
}

/** Parses a rating form or body. */
export function parseRating(body: Record<string, unknown>): { rating: 'good' | 'bad'; reason: string | null } {
  if (body.rating !== 'good' && body.rating !== 'bad') throw invalid();
  const reason = typeof body.reason === 'string' && body.reason.trim() ? body.reason.trim().slice(0, 500) : null;
  return { rating: body.rating, reason: body.rating === 'bad' ? reason : null };
}

/** Dialogs: the list and one dialog's page, with draft approval, ratings, taking over and returning. Visibility per integration. */
export function dialogRoutes(deps: AppDeps): Router {
  const router = Router();

  router.get('/dialogs', async (req, res) => {
    const { user, t } = ctx(res);
    const viewer = viewerOf(user);
    const filter = filterFromQuery(req.query);
    const visibleIds = new Set(await deps.admin.access.visibleIntegrationIds(viewer));
    const integrations = (await deps.store.integrations.list(user.organizationId)).filter((i) => visibleIds.has(i.id));
    const list = await deps.admin.dialogs.list(viewer, filter);
    sendPage(req, res, t('dialogs.title'), dialogListView(pageContext(req, res), { integrations, filter, ...list }));
  });

  router.get('/dialogs/:id', async (req, res) => {
    const { user, t } = ctx(res);
    const { dialog, integration } = await loadVisibleDialog(deps, user, req.params.id);
    const detail = await dialogDetail(deps, user, dialog, integration, { before: pageCursor(req.query.before) });
    sendPage(req, res, `${t('dialogs.ticket')} #${dialog.ticketId}`, dialogView(pageContext(req, res), detail));
  });

  router.post('/dialogs/:id/turns/:turnId/approve', async (req, res) => {
    const { user } = ctx(res);
    const { dialog, integration } = await loadVisibleDialog(deps, user, req.params.id);
    const text = String((req.body as Record<string, unknown>).text ?? '');
    const outcome = await approveDraft(deps, user, { dialog, integration, turnId: String(req.params.turnId), text });
    res.redirect(
      303,
      `/dialogs/${dialog.id}?flash=${['failed', 'quarantined', 'skipped'].includes(outcome.state) ? 'error.internal' : 'dialog.approved'}`,
    );
  });

  // Who holds the ticket: anyone who may read the dialog may take it over or return it, as anyone
  // who may read it may approve its drafts.
  const holderRoute = (path: string, action: HolderAction, done: 'dialog.takenOver' | 'dialog.returned') =>
    router.post(path, async (req, res) => {
      const { user } = ctx(res);
      const { dialog } = await loadVisibleDialog(deps, user, req.params.id);
      try {
        await changeHolder(deps, user, dialog, action);
      } catch (error) {
        // Someone else changed it first (or a staff reply did): the page shows how it stands now.
        if (error instanceof HttpError && error.status === 409) return res.redirect(303, `/dialogs/${dialog.id}?flash=${error.messageKey}`);
        throw error;
      }
      res.redirect(303, `/dialogs/${dialog.id}?flash=${done}`);
    });
  holderRoute('/dialogs/:id/take-over', 'take_over', 'dialog.takenOver');
  holderRoute('/dialogs/:id/return', 'return', 'dialog.returned');

  router.post('/dialogs/:id/turns/:turnId/rate', async (req, res) => {
    const { user } = ctx(res);
    const { dialog } = await loadVisibleDialog(deps, user, req.params.id);
    const turn = await deps.store.decisions.get(String(req.params.turnId));
    if (!turn || turn.dialogId !== dialog.id) throw invalid();
    await deps.admin.access.rate({
      dialogId: dialog.id,
      turnId: turn.turnId,
      userId: user.id,
      ...parseRating(req.body as Record<string, unknown>),
    });
    res.redirect(303, `/dialogs/${dialog.id}?flash=common.saved`);
  });

  return router;
}
