import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import { HttpError } from '../errors';

/** Where Bull Board is mounted. */
export const QUEUES_PATH = '/admin/queues';

/** The host of an Origin header; undefined for `null` (sandboxed frames, file://, some redirects) or anything unparsable. */
function originHost(origin: string): string | undefined {
  try {
    return new URL(origin).host || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Bull Board's own API takes JSON writes (retry, clean, pause) that carry no form token; with
 * SameSite=Strict cookies they cannot come from another site, and this rejects any write whose
 * browser says otherwise.
 */
const sameOriginWrites: RequestHandler = (req: Request, _res: Response, next: NextFunction) => {
  if (req.method === 'GET' || req.method === 'HEAD') return next();
  const site = req.get('sec-fetch-site');
  const origin = req.get('origin');
  const host = req.get('host');
  // An origin that names no host (`Origin: null`) cannot be shown to be this site: refused like a foreign one.
  const crossSite = (site !== undefined && site !== 'same-origin') || (origin !== undefined && originHost(origin) !== host);
  if (crossSite) throw new HttpError(403, 'csrf', 'error.csrf');
  next();
};

/** Bull Board over every stage's queue; the caller mounts it behind the admin check. */
export function queuesBoard(queues: Queue[]): RequestHandler[] {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUES_PATH);
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q)),
    serverAdapter,
    options: {
      // A way back to the admin app from Bull Board's header.
      uiConfig: { boardTitle: 'HDE consultant', miscLinks: [{ text: '← Admin app / Админка', url: '/overview' }], hideDocsLink: true },
    },
  });
  return [sameOriginWrites, serverAdapter.getRouter() as RequestHandler];
}
