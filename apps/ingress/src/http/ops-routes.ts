import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readiness } from '@repo/config';
import type { Logger } from '@repo/logger';
import type { IngressMetrics } from '../metrics';
import { jsonAnswer, sendJson, sendText } from './json-answer';

/** Dependencies of {@link createOpsRoutes}. */
export type OpsRoutesDeps = {
  /** Checks Redis, PostgreSQL and the spool folder now. */
  checkReady: () => Promise<Readiness>;
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
 * /readyz names what is down to anyone, and gives the driver's reasons (which may name hosts, ports
 * or database users) only behind the token: without one it may be served on the public webhook port.
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
        (state) =>
          sendJson(
            res,
            state.ready ? READY : jsonAnswer(503, { ok: false, down: state.down, ...(expected ? { problems: state.problems } : {}) }),
          ),
        (error: unknown) => {
          deps.logger.error('Readiness could not be checked', { error });
          sendJson(res, INTERNAL);
        },
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
