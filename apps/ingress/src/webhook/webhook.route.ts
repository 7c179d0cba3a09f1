import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { eventFromWebhookBody } from '@repo/domain';
import type { Logger } from '@repo/logger';
import { storedEventOf, type Intake, type IntakeRecord } from '@repo/store';
import type { RateLimiterMemory } from 'rate-limiter-flexible';
import type { Spool, SpoolRecord } from '../spool';
import type { IngressMetrics } from '../metrics';
import { parseWebhookBody } from './parse-body';
import type { FoundToken, TokenResolver } from './token-cache';
import { withTimeout } from './with-timeout';

/** Dependencies of the webhook route. */
export type WebhookRouteDeps = {
  tokens: TokenResolver;
  intake: Pick<Intake, 'submit'>;
  spool: Spool;
  metrics: IngressMetrics;
  logger: Logger;
  notFound: (res: Response) => void;
  /** Reads an HDE date of the webhook (account local time) into an instant. */
  parseDate: (text: string) => Date | null;
  /** Longest wait for storing and enqueueing before the event is spooled instead, in ms. */
  acceptTimeoutMs: number;
  /** Per-token request limit; absent = unlimited. */
  rateLimiter?: RateLimiterMemory;
};

/** The spool's form of an intake record (the raw body as base64). */
export function toSpoolRecord(record: IntakeRecord): SpoolRecord {
  return {
    kind: 'event',
    id: record.id,
    integrationId: record.integrationId,
    ticketId: record.ticketId,
    source: record.source,
    parseStatus: record.parseStatus,
    payload: record.payload,
    rawBodyBase64: record.rawBody ? record.rawBody.toString('base64') : null,
    contentType: record.contentType,
    receivedAt: (record.receivedAt ?? new Date()).toISOString(),
    enqueue: record.enqueue,
  };
}

/** Reads the body of a webhook into the record the intake stores. */
export function recordOfWebhook(
  integrationId: string,
  raw: Buffer,
  contentType: string | null,
  receivedAt: Date,
  parseDate: (t: string) => Date | null,
  source: 'webhook' | 'spool',
): IntakeRecord {
  const parsed = parseWebhookBody(raw, contentType ?? undefined);
  const event = eventFromWebhookBody({ integrationId, body: parsed.body, parseStatus: parsed.status, source, receivedAt, parseDate });
  return storedEventOf(event, { body: raw, contentType });
}

/** An answer of the webhook route: status, JSON body, extra headers. */
export type WebhookAnswer = { status: number; body: Record<string, unknown>; headers?: Record<string, string> };

/**
 * POST /api/bots/helpdeskeddy_bot/webhook/:token — verifies the token, reads the body leniently into
 * a validated event, and hands it to the intake (stored and enqueued before the answer), or spools it
 * durably when PostgreSQL or Redis does not answer in time. No HDE or LLM call happens here. Free of
 * any HTTP framework, so the express route and the ingress's lean listener share it.
 */
export function createWebhookCore(deps: Omit<WebhookRouteDeps, 'notFound'>) {
  const NOT_FOUND: WebhookAnswer = { status: 404, body: { error: 'not_found' } };
  const UNAVAILABLE: WebhookAnswer = { status: 503, body: { error: 'unavailable' } };
  const spool = async (record: SpoolRecord, meta: Record<string, unknown>, error: unknown): Promise<boolean> => {
    try {
      await deps.spool.append(record);
      deps.metrics.spoolDepth.set(deps.spool.depth());
      deps.logger.warn('Webhook spooled', { ...meta, error });
      return true;
    } catch (spoolError) {
      deps.metrics.webhooks.inc({ outcome: 'lost' });
      deps.logger.error('Webhook could not be stored or spooled', { ...meta, error: spoolError });
      return false;
    }
  };

  return async (token: string, raw: Buffer, contentType: string | null): Promise<WebhookAnswer> => {
    const receivedAt = new Date();
    if (token.length < 20 || token.length > 128) {
      deps.metrics.webhooks.inc({ outcome: 'unknown_token' });
      return NOT_FOUND;
    }

    let found: FoundToken | undefined;
    try {
      found = await deps.tokens.resolve(token);
    } catch (error) {
      // The token cannot be checked now (integrations locked, database down): keep the webhook with
      // the token's hash and check it at replay, rather than make HDE's only attempt fail.
      const record: SpoolRecord = {
        kind: 'unverified',
        tokenHash: createHash('sha256').update(token, 'utf8').digest('hex'),
        rawBodyBase64: raw.toString('base64'),
        contentType,
        receivedAt: receivedAt.toISOString(),
      };
      deps.metrics.webhooks.inc({ outcome: 'token_unverified' });
      return (await spool(record, { bytes: raw.length, reason: 'token_lookup' }, error))
        ? { status: 200, body: { ok: true, status: 'spooled' } }
        : UNAVAILABLE;
    }
    if (!found) {
      deps.metrics.webhooks.inc({ outcome: 'unknown_token' });
      return NOT_FOUND;
    }
    if (deps.rateLimiter) {
      try {
        await deps.rateLimiter.consume(found.tokenId);
      } catch (rejection) {
        const ms = (rejection as { msBeforeNext?: number }).msBeforeNext ?? 1000;
        deps.metrics.webhooks.inc({ outcome: 'rate_limited' });
        return { status: 429, body: { error: 'rate_limited' }, headers: { 'retry-after': String(Math.max(1, Math.ceil(ms / 1000))) } };
      }
    }

    const record = recordOfWebhook(found.integrationId, raw, contentType, receivedAt, deps.parseDate, 'webhook');
    const meta = {
      integrationId: found.integrationId,
      eventId: record.id,
      ticketId: record.ticketId,
      parseStatus: record.parseStatus,
      bytes: raw.length,
    };

    const stop = deps.metrics.acceptSeconds.startTimer();
    let outcome: string;
    try {
      const { duplicate } = await withTimeout(deps.intake.submit(record), deps.acceptTimeoutMs, 'Storing the event');
      outcome = duplicate ? 'duplicate' : 'accepted';
    } catch (error) {
      if (!(await spool(toSpoolRecord(record), meta, error))) return UNAVAILABLE;
      outcome = 'spooled';
    } finally {
      stop();
    }

    if (record.parseStatus === 'unparseable') {
      deps.metrics.webhooks.inc({ outcome: 'unparseable' });
      deps.logger.warn('Webhook unparseable: stored for review', meta);
      return { status: 400, body: { ok: false, error: 'unparseable', stored: true, event_id: record.id } };
    }
    if (record.parseStatus === 'salvaged') deps.logger.warn('Webhook body salvaged', meta);
    deps.metrics.webhooks.inc({ outcome: `${outcome}${record.parseStatus === 'salvaged' ? '_salvaged' : ''}` });
    return { status: 200, body: { ok: true, event_id: record.id, status: outcome } };
  };
}
/** See {@link createWebhookCore}. */
export type WebhookCore = ReturnType<typeof createWebhookCore>;

/** The webhook route as an express handler (the body already read raw by `express.raw`). */
export function createWebhookHandler(deps: WebhookRouteDeps) {
  const core = createWebhookCore(deps);
  return async (req: Request, res: Response): Promise<void> => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const answer = await core(String(req.params.token ?? ''), raw, req.headers['content-type'] ?? null);
    if (answer.status === 404) return deps.notFound(res);
    if (answer.headers) res.set(answer.headers);
    res.status(answer.status).json(answer.body);
  };
}
