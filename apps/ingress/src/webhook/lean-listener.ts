import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IngressMetrics } from '../metrics';
import type { WebhookCore } from './webhook.route';

const PREFIX = '/api/bots/helpdeskeddy_bot/webhook/';

function send(res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/**
 * The webhook POST without a web framework: the one hot path of the ingress is a token in the path
 * and a raw body, so routing and body parsing layers would only cost CPU per request. Everything
 * else (health, metrics, unknown routes) goes to the express app through `fallback`; the answers are
 * the same as the express route's (404 body, 413 with the limit, 400 for a broken stream).
 */
export function createLeanListener(deps: {
  core: WebhookCore;
  bodyLimitBytes: number;
  metrics: IngressMetrics;
  fallback: (req: IncomingMessage, res: ServerResponse) => void;
}) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const url = req.url ?? '';
    if (req.method !== 'POST' || !url.startsWith(PREFIX)) return deps.fallback(req, res);
    const end = url.indexOf('?');
    const token = url.slice(PREFIX.length, end === -1 ? undefined : end);
    if (token.includes('/')) return deps.fallback(req, res);
    const declared = Number(req.headers['content-length']);
    const tooLarge = () => {
      deps.metrics.webhooks.inc({ outcome: 'too_large' });
      res.setHeader('connection', 'close');
      send(res, 413, { error: 'payload_too_large', limit_bytes: deps.bodyLimitBytes });
      req.resume();
    };
    if (Number.isFinite(declared) && declared > deps.bodyLimitBytes) return tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > deps.bodyLimitBytes) {
        failed = true;
        tooLarge();
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => {
      if (failed) return;
      failed = true;
      if (!res.headersSent) send(res, 400, { error: 'bad_request' });
    });
    req.on('end', () => {
      if (failed) return;
      const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
      deps.core(token, raw, req.headers['content-type'] ?? null).then(
        (answer) => send(res, answer.status, answer.body, answer.headers),
        () => send(res, 500, { error: 'internal' }),
      );
    });
  };
}
