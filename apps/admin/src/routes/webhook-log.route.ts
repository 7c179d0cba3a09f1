import { Router } from 'express';
import type { AppDeps } from '../deps';
import { ctx } from '../context';
import { notFound } from '../errors';
import { loadVisibleIntegration } from '../services/access.service';
import { html } from '../views/html';
import { pageContext, sendPage } from '../views/page';
import { connectionCheckView, webhookLogView, webhookText } from '../views/webhook-log.view';

/** Events shown in the log. */
const LOG_SIZE = 100;
/** Raw bodies shown at most (bytes); the ingress's body limit bounds them anyway. */
const RAW_LIMIT = 65_536;

/**
 * The webhook log of an integration (what HDE sent, how it was understood, what was missing or left
 * unexpanded) and the setup's connection check. Readable by whoever may read the integration's
 * dialogs; nobody else learns it exists (404).
 */
export function webhookLogRoutes(deps: AppDeps): Router {
  const router = Router();

  router.get('/integrations/:id/webhooks', async (req, res) => {
    const { user } = ctx(res);
    const integration = await loadVisibleIntegration(deps, user, req.params.id);
    const rows = await deps.store.events.listLog(integration.id, LOG_SIZE);
    const p = pageContext(req, res);
    sendPage(req, res, `${webhookText(p.locale).title}: ${integration.name}`, webhookLogView(p, { integration, rows, canSeeRaw: true }));
  });

  router.get('/integrations/:id/webhooks/check', async (req, res) => {
    const { user } = ctx(res);
    const integration = await loadVisibleIntegration(deps, user, req.params.id);
    const sinceMs = Number(req.query.since);
    // The first visit starts the wait; the page then refreshes with its own `since`.
    if (!Number.isFinite(sinceMs) || sinceMs <= 0) {
      return void res.redirect(303, `/integrations/${integration.id}/webhooks/check?since=${Date.now() - 5 * 60_000}`);
    }
    const since = new Date(sinceMs);
    const row = await deps.store.events.firstSince(integration.id, since);
    const p = pageContext(req, res);
    // Refreshing while waiting keeps the page script-free (the CSP allows no inline script).
    if (!row) res.set('Refresh', '3');
    sendPage(req, res, `${webhookText(p.locale).check}: ${integration.name}`, connectionCheckView(p, { integration, since, row }));
  });

  router.get('/integrations/:id/webhooks/:eventId/raw', async (req, res) => {
    const { user } = ctx(res);
    const integration = await loadVisibleIntegration(deps, user, req.params.id);
    const event = /^e[0-9a-f]{40}$/.test(req.params.eventId) ? await deps.store.events.get(req.params.eventId) : undefined;
    if (!event || event.integrationId !== integration.id || !event.rawBody) throw notFound();
    const p = pageContext(req, res);
    deps.logger.info('Webhook body viewed', { integrationId: integration.id, eventId: event.id, by: user.id });
    sendPage(
      req,
      res,
      webhookText(p.locale).raw,
      html`<p><a href="/integrations/${integration.id}/webhooks">← ${webhookText(p.locale).title}</a></p>
        <pre data-testid="webhook-raw">${event.rawBody.subarray(0, RAW_LIMIT).toString('utf8')}</pre>`,
    );
  });

  return router;
}
