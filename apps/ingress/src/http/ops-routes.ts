import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@repo/logger';
import type { IngressMetrics } from '../metrics';
import { jsonAnswer, sendJson, sendText } from './json-answer';

/** Dependencies of {@link createOpsRoutes}. */
export type OpsRoutesDeps = {
  /** Resolves when Redis and PostgreSQL answer; rejects with what is down. */
  checkReady: () => Promise<void>;
  metrics: IngressMetrics;
  logger: Logger;
  /** Bearer token required for /metrics and /readyz, when set. */
  opsToken?: string;
};

const READY = jsonAnswer(200, { ok: true });
const UNAUTHORIZED = jsonAnswer(401, { error: 'unauthorized' });
const INTERNAL = jsonAnswer(500, { error: 'internal' });

/**
 * /readyz and /metrics, behind `Authorization: Bearer <opsToken>` when one is configured (compared
 * in constant time). Returns a handler that answers and returns true for its paths, false otherwise.
 */
export function createOpsRoutes(deps: OpsRoutesDeps): (path: string, req: IncomingMessage, res: ServerResponse) => boolean {
  const expected = deps.opsToken ? Buffer.from(`Bearer ${deps.opsToken}`) : undefined;
  const authorized = (req: IncomingMessage): boolean => {
    if (!expected) return true;
    const given = Buffer.from(req.headers.authorization ?? '');
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
  return (path, req, res) => {
    if (path !== '/readyz' && path !== '/metrics') return false;
    if (!authorized(req)) {
      sendJson(res, UNAUTHORIZED);
      return true;
    }
    if (path === '/readyz') {
      deps.checkReady().then(
        () => sendJson(res, READY),
        (error: unknown) => sendJson(res, jsonAnswer(503, { ok: false, error: error instanceof Error ? error.message : 'not ready' })),
      );
    } else {
      deps.metrics.registry.metrics().then(
        (text) => sendText(res, 200, text, deps.metrics.registry.contentType),
        (error: unknown) => {
          deps.logger.error('Metrics could not be rendered', { error });
          sendJson(res, INTERNAL);
        },
      );
    }
    return true;
  };
}
