import express, { type NextFunction, type Request, type Response } from 'express';
import { HdeSimError } from '../sim-error';
import type { HdeSim } from '../sim';

type Handler = (sim: HdeSim, req: Request) => unknown;

const STATUS: Record<HdeSimError['code'], number> = { NOT_FOUND: 404, INVALID: 400, CONFLICT: 409 };

const num = (value: unknown): number => Number(value);
const slugOf = (req: Request): string => String(req.params.slug);
const body = (req: Request): Record<string, unknown> => (req.body ?? {}) as Record<string, unknown>;

// The body is passed to the library function as its options; the library validates it.
const ROUTES: [method: 'get' | 'post' | 'put' | 'delete', path: string, handler: Handler][] = [
  ['get', '/accounts', (sim) => sim.listAccounts().map((slug) => sim.accountInfo(slug))],
  ['post', '/accounts', (sim, req) => sim.createAccount(body(req) as never)],
  ['get', '/accounts/:slug', (sim, req) => sim.accountInfo(slugOf(req))],
  ['get', '/accounts/:slug/variant', (sim, req) => sim.variant(slugOf(req))],
  ['put', '/accounts/:slug/variant', (sim, req) => sim.setVariant(slugOf(req), body(req) as never)],
  ['post', '/accounts/:slug/departments', (sim, req) => sim.createDepartment(slugOf(req), body(req) as never)],
  ['post', '/accounts/:slug/user-groups', (sim, req) => sim.addUserGroup(slugOf(req), body(req) as never)],
  ['post', '/accounts/:slug/agents', (sim, req) => sim.createAgent(slugOf(req), body(req) as never)],
  ['post', '/accounts/:slug/customers', (sim, req) => sim.createCustomer(slugOf(req), body(req) as never)],
  ['post', '/accounts/:slug/custom-fields', (sim, req) => sim.addCustomField(slugOf(req), body(req) as never)],
  ['post', '/accounts/:slug/statuses', (sim, req) => sim.addStatus(slugOf(req), body(req) as never)],
  ['put', '/accounts/:slug/dispatcher', (sim, req) => sim.setDispatcher(slugOf(req), body(req) as never)],
  ['post', '/accounts/:slug/tickets', (sim, req) => sim.openTicket(slugOf(req), body(req) as never)],
  ['get', '/accounts/:slug/tickets/:id', (sim, req) => sim.getTicket(slugOf(req), num(req.params.id))],
  ['get', '/accounts/:slug/tickets/:id/posts', (sim, req) => sim.posts(slugOf(req), num(req.params.id))],
  [
    'delete',
    '/accounts/:slug/tickets/:id',
    (sim, req) => {
      sim.deleteTicket(slugOf(req), num(req.params.id));
      return { deleted: true };
    },
  ],
  ['post', '/accounts/:slug/tickets/:id/trash', (sim, req) => sim.trashTicket(slugOf(req), num(req.params.id))],
  ['post', '/accounts/:slug/tickets/:id/restore', (sim, req) => sim.restoreTicket(slugOf(req), num(req.params.id))],
  ['post', '/accounts/:slug/tickets/:id/merge', (sim, req) => sim.mergeTickets(slugOf(req), num(req.params.id), num(body(req).intoId))],
  [
    'delete',
    '/accounts/:slug/tickets/:id/posts/:postId',
    (sim, req) => {
      sim.deletePost(slugOf(req), num(req.params.id), num(req.params.postId));
      return { deleted: true };
    },
  ],
  ['get', '/accounts/:slug/tickets/:id/comments', (sim, req) => sim.comments(slugOf(req), num(req.params.id))],
  [
    'post',
    '/accounts/:slug/tickets/:id/customer-posts',
    (sim, req) => {
      const files = body(req).files;
      const names = Array.isArray(files) ? files.map((f) => ({ name: String((f as { name?: unknown })?.name ?? 'file') })) : undefined;
      const { authorId } = body(req);
      return sim.postAsCustomer(slugOf(req), num(req.params.id), String(body(req).text ?? ''), {
        ...(names ? { files: names } : {}),
        ...(authorId !== undefined ? { authorId: num(authorId) } : {}),
      });
    },
  ],
  [
    'post',
    '/accounts/:slug/tickets/:id/agent-posts',
    (sim, req) => sim.postAsAgent(slugOf(req), num(req.params.id), num(body(req).agentId), String(body(req).text ?? '')),
  ],
  [
    'put',
    '/accounts/:slug/tickets/:id/status',
    (sim, req) => sim.setStatus(slugOf(req), num(req.params.id), String(body(req).status ?? '')),
  ],
  ['put', '/accounts/:slug/tickets/:id/owner', (sim, req) => sim.assign(slugOf(req), num(req.params.id), num(body(req).ownerId))],
  ['get', '/accounts/:slug/api-log', (sim, req) => sim.apiLog(slugOf(req))],
  ['get', '/accounts/:slug/dispatch-log', (sim, req) => sim.dispatchLog(slugOf(req))],
  ['post', '/accounts/:slug/kb/categories', (sim, req) => sim.addKbCategory(slugOf(req), body(req) as never)],
  ['post', '/accounts/:slug/kb/articles', (sim, req) => sim.addKbArticle(slugOf(req), body(req) as never)],
  ['put', '/accounts/:slug/kb/articles/:id', (sim, req) => sim.updateKbArticle(slugOf(req), num(req.params.id), body(req) as never)],
  [
    'delete',
    '/accounts/:slug/kb/articles/:id',
    (sim, req) => {
      sim.deleteKbArticle(slugOf(req), num(req.params.id));
      return { deleted: true };
    },
  ],
  ['post', '/accounts/:slug/faults', (sim, req) => sim.injectFault(slugOf(req), body(req) as never)],
  [
    'delete',
    '/accounts/:slug/faults',
    (sim, req) => {
      sim.clearFaults(slugOf(req));
      return { cleared: true };
    },
  ],
];

/**
 * The control API: plain JSON, no auth (the simulator is a test tool bound to localhost). Answers
 * 200 with the library function's result, or `{ error: { code, message } }` with 400/404/409.
 */
export function createControlRouter(sim: HdeSim): express.Router {
  const router = express.Router();
  router.use(express.json({ limit: '1mb' }));
  for (const [method, path, handler] of ROUTES) {
    router[method](path, (req: Request, res: Response) => {
      res.json(handler(sim, req) ?? null);
    });
  }
  router.post('/wait-for-dispatches', async (_req: Request, res: Response) => {
    await sim.waitForDispatches();
    res.json({ idle: true });
  });
  router.use((req: Request, res: Response) => {
    res.status(404).json({ error: { code: 'NOT_FOUND', message: `No control route ${req.method} ${req.path}` } });
  });
  router.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (error instanceof HdeSimError) {
      res.status(STATUS[error.code]).json({ error: { code: error.code, message: error.message } });
      return;
    }
    const status = (error as { status?: unknown }).status;
    const message = error instanceof Error ? error.message : String(error);
    res.status(typeof status === 'number' && status < 500 ? status : 500).json({ error: { code: 'INVALID', message } });
  });
  return router;
}
