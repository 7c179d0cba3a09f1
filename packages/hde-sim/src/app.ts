import express, { type Request, type Response } from 'express';
import type { Account } from './account';
import type { Lifecycle } from './lifecycle';
import { createApiRouter } from './routes/api-router';
import { createControlRouter } from './routes/control';
import { send, errorResult } from './routes/respond';
import { notFound } from './api-error';
import type { HdeSim } from './sim';

/** What the HTTP app is built from. */
export type AppDeps = {
  accounts: ReadonlyMap<string, Account>;
  lifecycle: Lifecycle;
  logRequests: boolean;
  sim: HdeSim;
};

/** The simulator's express app: `/a/<slug>/api/v2/...` and `/_control/...`. */
export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use('/_control', createControlRouter(deps.sim));
  app.use('/a/:slug/api/v2', createApiRouter(deps));
  app.use((req: Request, res: Response) => send(res, errorResult(notFound(`No route ${req.method} ${req.path}`))));
  return app;
}
