import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@repo/logger';
import type { IngressMetrics } from '../metrics';
import type { WebhookCore } from '../webhook/webhook.route';
import { jsonAnswer, sendJson, type JsonAnswer } from './json-answer';

/** The webhook route's path up to the token, as HDE's dispatcher rule calls it. */
export const WEBHOOK_PREFIX = '/api/bots/helpdeskeddy_bot/webhook/';

/** One 404 for unknown routes and unknown tokens alike, so a token cannot be probed. */
export const NOT_FOUND = jsonAnswer(404, { error: 'not_found' });
const HEALTHY = jsonAnswer(200, { ok: true });
const BAD_REQUEST = jsonAnswer(400, { error: 'bad_request' });
const INTERNAL = jsonAnswer(500, { error: 'internal' });

/** The path without its query string and without one trailing slash (`/healthz/` is `/healthz`). */
export function pathOf(url: string): string {
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

/** The token of a webhook path, or undefined when the path is not the webhook route. */
function tokenOf(path: string): string | undefined {
  if (!path.startsWith(WEBHOOK_PREFIX)) return undefined;
  const token = path.slice(WEBHOOK_PREFIX.length);
  if (token === '' || token.includes('/')) return undefined;
  if (!token.includes('%')) return token;
  try {
    return decodeURIComponent(token);
  } catch {
    return undefined;
  }
}

/** Dependencies of {@link createIngressListener}. */
export type IngressListenerDeps = {
  webhook: WebhookCore;
  bodyLimitBytes: number;
  metrics: IngressMetrics;
  logger: Logger;
  /** /readyz and /metrics, when they are served on this port (see createOpsRoutes). */
  ops?: (path: string, req: IncomingMessage, res: ServerResponse) => boolean;
};

/**
 * The ingress's HTTP routes on node:http, without a web framework: the webhook POST (a token in the
 * path and a raw body, read up to the limit), /healthz, /readyz and /metrics when served here, and
 * one 404 for everything else. The one hot path of the ingress needs no routing table, middleware
 * chain or body-parser layers, and express's request and response decorations cost CPU per request.
 */
export function createIngressListener(deps: IngressListenerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const tooLarge = jsonAnswer(413, { error: 'payload_too_large', limit_bytes: deps.bodyLimitBytes }, ['connection', 'close']);
  const answerTooLarge = (req: IncomingMessage, res: ServerResponse) => {
    deps.metrics.webhooks.inc({ outcome: 'too_large' });
    deps.logger.warn('Webhook body too large', { limitBytes: deps.bodyLimitBytes });
    sendJson(res, tooLarge);
    req.resume();
  };

  const receive = (token: string, req: IncomingMessage, res: ServerResponse): void => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > deps.bodyLimitBytes) return answerTooLarge(req, res);
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > deps.bodyLimitBytes) {
        failed = true;
        answerTooLarge(req, res);
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => {
      if (failed) return;
      failed = true;
      if (!res.headersSent) sendJson(res, BAD_REQUEST);
    });
    req.on('end', () => {
      if (failed) return;
      const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
      deps.webhook(token, raw, req.headers['content-type'] ?? null).then(
        (answer: JsonAnswer) => sendJson(res, answer),
        (error: unknown) => {
          deps.logger.error('Ingress request failed', { error });
          sendJson(res, INTERNAL);
        },
      );
    });
  };

  return (req, res) => {
    const path = pathOf(req.url ?? '/');
    if (req.method === 'POST') {
      const token = tokenOf(path);
      if (token !== undefined) return receive(token, req, res);
    } else if (req.method === 'GET' || req.method === 'HEAD') {
      if (path === '/healthz') return sendJson(res, HEALTHY);
      if (deps.ops?.(path, req, res)) return;
    }
    sendJson(res, NOT_FOUND);
  };
}

/** A listener serving only /readyz and /metrics (METRICS_PORT), 404 otherwise. */
export function createOpsListener(ops: NonNullable<IngressListenerDeps['ops']>): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const path = pathOf(req.url ?? '/');
    if ((req.method === 'GET' || req.method === 'HEAD') && ops(path, req, res)) return;
    sendJson(res, NOT_FOUND);
  };
}
