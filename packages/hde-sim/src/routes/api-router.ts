import express, { type NextFunction, type Request, type Response } from 'express';
import type { Account, ApiLogEntry } from '../account';
import { HdeApiError, notFound, unauthorized } from '../api-error';
import type { Lifecycle } from '../lifecycle';
import type { UserRecord } from '../records';
import { dictionaryRoutes } from './dictionaries';
import { respondWithFault } from './fault-responder';
import { knowledgeBaseRoutes } from './knowledge-base';
import { postRoutes } from './posts';
import { errorResult, execute, send, sendBanned } from './respond';
import type { ApiContext, RouteDef } from './route-types';
import { ticketRoutes } from './tickets';
import { userRoutes } from './users';

/** What the API router needs from the simulator. */
export type ApiRouterDeps = {
  accounts: ReadonlyMap<string, Account>;
  lifecycle: Lifecycle;
  logRequests: boolean;
};

type Locals = { account: Account; entry: ApiLogEntry; user: UserRecord };

const ROUTES: readonly RouteDef[] = [...ticketRoutes, ...postRoutes, ...userRoutes, ...dictionaryRoutes, ...knowledgeBaseRoutes];

const locals = (res: Response): Locals => res.locals as Locals;

function readCredentials(header: string | undefined): { email: string; key: string } | undefined {
  const m = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!m?.[1]) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { email: decoded.slice(0, colon), key: decoded.slice(colon + 1) };
}

/**
 * The HDE API v2 of every account, mounted at `/a/:slug/api/v2`. Order matters: the request is
 * logged, counted against the account's limit (even if its credentials are wrong), authenticated,
 * its body parsed, and only then routed, where injected faults apply.
 */
export function createApiRouter(deps: ApiRouterDeps): express.Router {
  const router = express.Router({ mergeParams: true });

  router.use((req: Request, res: Response, next: NextFunction) => {
    const account = deps.accounts.get(String(req.params.slug));
    if (!account) return send(res, errorResult(notFound('Unknown account')));
    const q = req.originalUrl.indexOf('?');
    const entry = account.logRequest({
      at: Date.now(),
      method: req.method,
      path: req.path,
      query: q < 0 ? '' : req.originalUrl.slice(q + 1),
      status: 0,
      userId: null,
      fault: null,
      durationMs: null,
    });
    res.on('finish', () => (entry.status = res.statusCode));
    res.on('close', () => {
      entry.durationMs = Date.now() - entry.at;
      if (deps.logRequests) {
        console.error(`[hde-sim] ${account.settings.slug} ${entry.method} ${entry.path} → ${entry.status || 'no response'}`);
      }
    });
    res.locals.account = account;
    res.locals.entry = entry;
    next();
  });

  router.use((_req: Request, res: Response, next: NextFunction) => {
    const { account } = locals(res);
    const decision = account.limiter.check();
    if (account.settings.variant.rateHeaders === 'sent') {
      res.setHeader('X-Rate-Limit', String(account.limiter.limit));
      res.setHeader('X-Rate-Limit-Remaining', String(decision.allowed ? decision.remaining : 0));
    }
    if (!decision.allowed) return sendBanned(res, account);
    next();
  });

  router.use((req: Request, res: Response, next: NextFunction) => {
    const { account, entry } = locals(res);
    const credentials = readCredentials(req.headers.authorization);
    const user = credentials && account.directory.authenticate(credentials.email, credentials.key);
    if (!user) return send(res, errorResult(unauthorized()));
    entry.userId = user.id;
    res.locals.user = user;
    next();
  });

  router.use(express.json({ limit: '1mb' }), express.urlencoded({ extended: true, limit: '1mb' }));

  for (const def of ROUTES) {
    const method = def.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete';
    router[method](def.path, async (req: Request, res: Response) => {
      const { account, entry, user } = locals(res);
      const body: unknown = req.body;
      const ctx: ApiContext = {
        account,
        user,
        params: req.params as Record<string, string>,
        query: req.query as Record<string, unknown>,
        body: body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {},
      };
      const run = () => execute(def, ctx);
      const fault = account.faults.take(req.method, req.path);
      if (!fault) {
        const result = run();
        // A synchronous rule: the request that fired the dispatcher is answered once its webhook was delivered.
        if (account.settings.variant.dispatchMode === 'sync' && req.method !== 'GET') await account.dispatchesDelivered();
        return send(res, result);
      }
      entry.fault = fault.kind;
      await respondWithFault(fault, { req, res, account, lifecycle: deps.lifecycle, run });
    });
  }

  router.use((req: Request, res: Response) => {
    send(res, errorResult(notFound(`No route ${req.method} ${req.path}`)));
  });

  router.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return send(res, errorResult(new HdeApiError(status, 'Bad request', 'Malformed request body')));
    }
    console.error('[hde-sim] internal error', error);
    send(res, errorResult(new HdeApiError(500, 'Internal error', 'Simulator error')));
  });

  return router;
}
