import { timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from '@repo/logger';
import type { IngressMetrics } from './metrics';
import { createWebhookHandler, type WebhookRouteDeps } from './webhook/webhook.route';

/** The webhook route, as HDE's dispatcher rule calls it. */
export const WEBHOOK_PATH = '/api/bots/helpdeskeddy_bot/webhook/:token';

/** Dependencies of {@link createApp}. */
export type AppDeps = Omit<WebhookRouteDeps, 'notFound'> & {
  bodyLimitBytes: number;
  trustProxy: boolean;
  /** Resolves when Redis and PostgreSQL answer; rejects with what is down. */
  checkReady: () => Promise<void>;
  metrics: IngressMetrics;
  logger: Logger;
  /** Serve /metrics and /readyz here (false when they have a port of their own). */
  serveOps: boolean;
  /** Bearer token required for /metrics and /readyz, when set. */
  opsToken?: string;
};

/** One 404 for unknown routes and unknown tokens alike, so a token cannot be probed. */
function notFound(res: Response): void {
  res.status(404).json({ error: 'not_found' });
}

/** Adds /readyz and /metrics to an app, behind a bearer token when one is configured. */
export function addOpsRoutes(app: express.Express, deps: Pick<AppDeps, 'checkReady' | 'metrics' | 'opsToken'>): void {
  const expected = deps.opsToken ? Buffer.from(`Bearer ${deps.opsToken}`) : undefined;
  const guard = (req: Request, res: Response, next: NextFunction) => {
    if (!expected) return next();
    const given = Buffer.from(req.headers.authorization ?? '');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return next();
    res.status(401).json({ error: 'unauthorized' });
  };
  app.get('/readyz', guard, async (_req, res) => {
    try {
      await deps.checkReady();
      res.json({ ok: true });
    } catch (error) {
      res.status(503).json({ ok: false, error: error instanceof Error ? error.message : 'not ready' });
    }
  });
  app.get('/metrics', guard, async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
}

/** Builds the ingress express app. */
export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('trust proxy', deps.trustProxy);

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  if (deps.serveOps) addOpsRoutes(app, deps);

  // The body is read raw (any content type) so a broken JSON body can still be salvaged and kept.
  app.post(WEBHOOK_PATH, express.raw({ type: () => true, limit: deps.bodyLimitBytes }), createWebhookHandler({ ...deps, notFound }));

  app.use((_req: Request, res: Response) => notFound(res));
  // express.raw reports oversized bodies with status 413 (before reading them whole).
  app.use((error: Error & { status?: number; type?: string }, _req: Request, res: Response, _next: NextFunction) => {
    if (error.status === 413) {
      deps.metrics.webhooks.inc({ outcome: 'too_large' });
      deps.logger.warn('Webhook body too large', { limitBytes: deps.bodyLimitBytes });
      res.status(413).json({ error: 'payload_too_large', limit_bytes: deps.bodyLimitBytes });
      return;
    }
    if (error.status === 400) {
      res.status(400).json({ error: 'bad_request' });
      return;
    }
    deps.logger.error('Ingress request failed', { error });
    res.status(500).json({ error: 'internal' });
  });
  return app;
}
