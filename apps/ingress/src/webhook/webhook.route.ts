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
    kind: 'event', id: record.id, integrationId: record.integrationId, ticketId: record.ticketId, source: record.source,
    parseStatus: record.parseStatus, payload: record.payload, rawBodyBase64: record.rawBody ? record.rawBody.toString('base64') : null,
    contentType: record.contentType, receivedAt: (record.receivedAt ?? new Date()).toISOString(), enqueue: record.enqueue,
  };
}

/** Reads the body of a webhook into the record the intake stores. */
export function recordOfWebhook(integrationId: string, raw: Buffer, contentType: string | null, receivedAt: Date, parseDate: (t: string) => Date | null, source: 'webhook' | 'spool'): IntakeRecord {
  const parsed = parseWebhookBody(raw, contentType ?? undefined);
  const event = eventFromWebhookBody({ integrationId, body: parsed.body, parseStatus: parsed.status, source, receivedAt, parseDate });
  return storedEventOf(event, { body: raw, contentType });
}

/**
 * POST /api/bots/helpdeskeddy_bot/webhook/:token — verifies the token, reads the body leniently into
 * a validated event, and hands it to the intake (stored and enqueued before the answer), or spools it
 * durably when PostgreSQL or Redis does not answer in time. No HDE or LLM call happens here.
 */
export function createWebhookHandler(deps: WebhookRouteDeps) {
  const spoolAndAnswer = async (res: Response, record: SpoolRecord, meta: Record<string, unknown>, error: unknown): Promise<boolean> => {
    try {
      await deps.spool.append(record);
      deps.metrics.spoolDepth.set(deps.spool.depth());
      deps.logger.warn('Webhook spooled', { ...meta, error });
      return true;
    } catch (spoolError) {
      deps.metrics.webhooks.inc({ outcome: 'lost' });
      deps.logger.error('Webhook could not be stored or spooled', { ...meta, error: spoolError });
      res.status(503).json({ error: 'unavailable' });
      return false;
    }
  };

  return async (req: Request, res: Response): Promise<void> => {
    const token = String(req.params.token ?? '');
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const contentType = req.headers['content-type'] ?? null;
    const receivedAt = new Date();
    if (token.length < 20 || token.length > 128) {
      deps.metrics.webhooks.inc({ outcome: 'unknown_token' });
      deps.notFound(res);
      return;
    }

    let found: FoundToken | undefined;
    try {
      found = await deps.tokens.resolve(token);
    } catch (error) {
      // The token cannot be checked now (integrations locked, database down): keep the webhook with
      // the token's hash and check it at replay, rather than make HDE's only attempt fail.
      const record: SpoolRecord = {
        kind: 'unverified', tokenHash: createHash('sha256').update(token, 'utf8').digest('hex'),
        rawBodyBase64: raw.toString('base64'), contentType, receivedAt: receivedAt.toISOString(),
      };
      deps.metrics.webhooks.inc({ outcome: 'token_unverified' });
      if (await spoolAndAnswer(res, record, { bytes: raw.length, reason: 'token_lookup' }, error)) {
        res.status(200).json({ ok: true, status: 'spooled' });
      }
      return;
    }
    if (!found) {
      deps.metrics.webhooks.inc({ outcome: 'unknown_token' });
      deps.notFound(res);
      return;
    }
    if (deps.rateLimiter) {
      try {
        await deps.rateLimiter.consume(found.tokenId);
      } catch (rejection) {
        const ms = (rejection as { msBeforeNext?: number }).msBeforeNext ?? 1000;
        deps.metrics.webhooks.inc({ outcome: 'rate_limited' });
        res.setHeader('Retry-After', String(Math.max(1, Math.ceil(ms / 1000))));
        res.status(429).json({ error: 'rate_limited' });
        return;
      }
    }

    const record = recordOfWebhook(found.integrationId, raw, contentType, receivedAt, deps.parseDate, 'webhook');
    const meta = { integrationId: found.integrationId, eventId: record.id, ticketId: record.ticketId, parseStatus: record.parseStatus, bytes: raw.length };

    const stop = deps.metrics.acceptSeconds.startTimer();
    let outcome: string;
    try {
      const { duplicate } = await withTimeout(deps.intake.submit(record), deps.acceptTimeoutMs, 'Storing the event');
      outcome = duplicate ? 'duplicate' : 'accepted';
    } catch (error) {
      if (!(await spoolAndAnswer(res, toSpoolRecord(record), meta, error))) return;
      outcome = 'spooled';
    } finally {
      stop();
    }

    if (record.parseStatus === 'unparseable') {
      deps.metrics.webhooks.inc({ outcome: 'unparseable' });
      deps.logger.warn('Webhook unparseable: stored for review', meta);
      res.status(400).json({ ok: false, error: 'unparseable', stored: true, event_id: record.id });
      return;
    }
    if (record.parseStatus === 'salvaged') deps.logger.warn('Webhook body salvaged', meta);
    deps.metrics.webhooks.inc({ outcome: `${outcome}${record.parseStatus === 'salvaged' ? '_salvaged' : ''}` });
    res.status(200).json({ ok: true, event_id: record.id, status: outcome });
  };
}
