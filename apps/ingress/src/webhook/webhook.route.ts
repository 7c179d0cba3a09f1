import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { eventIdOf, normaliseId, normaliseTag } from '@repo/domain';
import type { Logger } from '@repo/logger';
import type { Spool, SpoolRecord } from '../spool';
import type { IngressMetrics } from '../metrics';
import type { EventAcceptor } from './accept-event';
import { parseWebhookBody } from './parse-body';
import type { TokenResolver } from './token-cache';

/** Dependencies of the webhook route. */
export type WebhookRouteDeps = {
  tokens: TokenResolver;
  accept: EventAcceptor;
  spool: Spool;
  metrics: IngressMetrics;
  logger: Logger;
  notFound: (res: Response) => void;
};

/**
 * POST /api/bots/helpdeskeddy_bot/webhook/:token — verifies the token, reads the body leniently,
 * stores and enqueues the event (or spools it when Redis or PostgreSQL is down), and answers at once.
 * No HDE or LLM call happens here.
 */
export function createWebhookHandler(deps: WebhookRouteDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const token = String(req.params.token ?? '');
    let found;
    try {
      found = token.length >= 20 && token.length <= 128 ? await deps.tokens.resolve(token) : undefined;
    } catch (error) {
      // Without the database the token cannot be checked; refusing is honest, and the sweep recovers.
      deps.metrics.webhooks.inc({ outcome: 'token_unverifiable' });
      deps.logger.error('Webhook token lookup failed', { error });
      res.status(503).json({ error: 'unavailable' });
      return;
    }
    if (!found) {
      deps.metrics.webhooks.inc({ outcome: 'unknown_token' });
      deps.notFound(res);
      return;
    }
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const contentType = req.headers['content-type'] ?? null;
    const parsed = parseWebhookBody(raw, contentType ?? undefined);
    const ticketId = parsed.body ? normaliseId(parsed.body.ticket_id) ?? null : null;
    const eventId =
      parsed.body && ticketId !== null
        ? eventIdOf({
            integrationId: found.integrationId,
            ticketId,
            authorId: normaliseTag(parsed.body.message_author_id),
            lastAnswerDate: normaliseTag(parsed.body.last_answer_date),
            message: normaliseTag(parsed.body.message),
          })
        : `e${createHash('sha256').update(found.integrationId).update(raw).digest('hex').slice(0, 40)}`;
    const record: SpoolRecord = {
      eventId,
      integrationId: found.integrationId,
      ticketId,
      parseStatus: ticketId === null ? 'unparseable' : parsed.status,
      payload: parsed.body ? { ...parsed.body } : null,
      // The raw body is kept only when it was not clean JSON, for admins to inspect.
      rawBodyBase64: parsed.status === 'ok' && ticketId !== null ? null : raw.toString('base64'),
      contentType,
      receivedAt: new Date().toISOString(),
    };
    const meta = { integrationId: found.integrationId, eventId, ticketId, parseStatus: record.parseStatus, bytes: raw.length };

    const stop = deps.metrics.acceptSeconds.startTimer();
    let outcome: string;
    try {
      const { duplicate } = await deps.accept(record, 'webhook');
      outcome = duplicate ? 'duplicate' : 'accepted';
    } catch (error) {
      try {
        await deps.spool.append(record);
        deps.metrics.spoolDepth.set(deps.spool.depth());
        outcome = 'spooled';
        deps.logger.warn('Webhook spooled', { ...meta, error });
      } catch (spoolError) {
        deps.metrics.webhooks.inc({ outcome: 'lost' });
        deps.logger.error('Webhook could not be stored or spooled', { ...meta, error: spoolError });
        res.status(503).json({ error: 'unavailable' });
        return;
      }
    } finally {
      stop();
    }

    if (record.parseStatus === 'unparseable') {
      deps.metrics.webhooks.inc({ outcome: 'unparseable' });
      deps.logger.warn('Webhook unparseable: stored for review', meta);
      res.status(400).json({ ok: false, error: 'unparseable', stored: true, event_id: eventId });
      return;
    }
    if (record.parseStatus === 'salvaged') deps.logger.warn('Webhook body salvaged', meta);
    deps.metrics.webhooks.inc({ outcome: `${outcome}${record.parseStatus === 'salvaged' ? '_salvaged' : ''}` });
    res.status(200).json({ ok: true, event_id: eventId, status: outcome });
  };
}
