import { Router } from 'express';
import type { AppDeps } from '../deps';
import { ctx, viewerOf } from '../context';
import { loadVisibleIntegration } from '../services/access.service';
import { overviewOf, queueDepths } from '../services/overview.service';
import { overviewView } from '../views/overview.view';
import { pageContext, sendPage } from '../views/page';

/** Days of an overview period from a query value (1..92, default 7). */
export function daysParam(value: unknown): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= 92 ? n : 7;
}

/** The overview per integration and period, for users who may see the integration's dialogs. */
export function overviewRoutes(deps: AppDeps): Router {
  const router = Router();
  router.get('/overview', async (req, res) => {
    const { user, t } = ctx(res);
    const visible = new Set(await deps.admin.access.visibleIntegrationIds(viewerOf(user)));
    const integrations = (await deps.store.integrations.list(user.organizationId)).filter((i) => visible.has(i.id));
    const days = daysParam(req.query.days);
    const wanted = typeof req.query.integration === 'string' ? req.query.integration : integrations[0]?.id;
    const integration = wanted ? await loadVisibleIntegration(deps, user, wanted) : undefined;
    const result = integration ? await overviewOf(deps, integration, days) : undefined;
    // Queue depths count every organization's work: the deployment's operators only.
    const queues = ctx(res).operator ? (result?.queues ?? (await queueDepths(deps))) : [];
    sendPage(
      req,
      res,
      t('overview.title'),
      overviewView(pageContext(req, res), {
        integrations,
        integration,
        days,
        stats: result?.stats,
        queues,
        ban: result?.ban,
        zone: result?.zone,
        customerOnlyRule: result?.customerOnlyRule === true,
      }),
    );
  });
  return router;
}
