import { createHash } from 'node:crypto';
import { eventFromWebhookBody } from '@repo/domain';
import type { Logger } from '@repo/logger';
import { storedEventOf, type Intake, type IntakeRecord } from '@repo/store';
import type { Spool, SpoolRecord } from '../spool';
import type { IngressMetrics } from '../metrics';
import { parseWebhookBody } from './parse-body';
import type { FoundToken, TokenResolver } from './token-cache';
import type { TokenRateLimit } from './token-rate-limit';
import { jsonAnswer, type JsonAnswer } from '../http/json-answer';

/** Dependencies of the webhook route. */
export type WebhookRouteDeps = {
  tokens: Pick<TokenResolver, 'peek' | 'resolve' | 'recentlyVerified'>;
  /**
   * Stores and enqueues an event. It must bound its own wait (the intake's `batchTimeoutMs`, the
   * ingress's `ACCEPT_TIMEOUT_MS`): when it rejects, the event is spooled instead.
   */
  intake: Pick<Intake, 'submit'>;
  spool: Spool;
  metrics: IngressMetrics;
  logger: Logger;
  /** Reads an HDE date of the webhook (account local time) into an instant. */
  parseDate: (text: string) => Date | null;
  /** Per-token request limit; absent = unlimited. */
  rateLimit?: TokenRateLimit;
  /** Bytes of bodies spooled with an unverified token per window (key `unverified`); absent = unlimited. */
  unverifiedBudget?: TokenRateLimit;
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

/** The answers that never vary, serialised once. */
const NOT_FOUND = jsonAnswer(404, { error: 'not_found' });
const UNAVAILABLE = jsonAnswer(503, { error: 'unavailable' });
/** Longest content type kept in the spool. */
const MAX_SPOOLED_CONTENT_TYPE = 200;
/** What an unverified spool record costs beyond its body and content type (hash, time, framing). */
const SPOOL_RECORD_OVERHEAD_BYTES = 256;
const SPOOLED_UNVERIFIED = jsonAnswer(200, { ok: true, status: 'spooled' });

/** `{"ok":true,"event_id":…,"status":…}` without a JSON.stringify of an object per request. */
const accepted = (eventId: string, status: string): JsonAnswer => ({
  status: 200,
  json: `{"ok":true,"event_id":${JSON.stringify(eventId)},"status":"${status}"}`,
});

/**
 * POST /api/bots/helpdeskeddy_bot/webhook/:token — verifies the token, reads the body leniently into
 * a validated event, and hands it to the intake (stored and enqueued before the answer), or spools it
 * durably when PostgreSQL or Redis does not answer in time. No HDE or LLM call happens here, and no
 * HTTP framework: the caller routes and reads the body. A cached token and the rate limit cost no
 * promise; log metadata is built only for what is logged.
 */
export function createWebhookCore(deps: WebhookRouteDeps) {
  const outcomes = {
    unknownToken: deps.metrics.webhooks.labels('unknown_token'),
    rateLimited: deps.metrics.webhooks.labels('rate_limited'),
    accepted: deps.metrics.webhooks.labels('accepted'),
    duplicate: deps.metrics.webhooks.labels('duplicate'),
  };
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
  const metaOf = (integrationId: string, record: IntakeRecord, bytes: number) => ({
    integrationId,
    eventId: record.id,
    ticketId: record.ticketId,
    parseStatus: record.parseStatus,
    bytes,
  });

  /** The token could not be checked now (integrations locked, database down): spool it unverified. */
  const spoolUnverified = async (token: string, raw: Buffer, rawContentType: string | null, receivedAt: Date, error: unknown) => {
    // A content type is a short header; a long one is no reason to fill the disk.
    const contentType = rawContentType === null ? null : rawContentType.slice(0, MAX_SPOOLED_CONTENT_TYPE);
    // Charged what the record costs on disk; a token verified within the last day (the stall may
    // outlast its cached copy) is not charged: only bodies that may be made up share the budget.
    const cost = raw.length + (contentType?.length ?? 0) + SPOOL_RECORD_OVERHEAD_BYTES;
    if (deps.unverifiedBudget && !deps.tokens.recentlyVerified(token) && !deps.unverifiedBudget.take('unverified', cost).allowed) {
      // Past the budget the bodies may well be made-up tokens: the disk is worth more than them
      // (a real message left out is found by the sweep).
      deps.metrics.webhooks.inc({ outcome: 'token_unverified_refused' });
      return UNAVAILABLE;
    }
    // Kept with the token's hash and checked at replay, rather than make HDE's only attempt fail.
    const record: SpoolRecord = {
      kind: 'unverified',
      tokenHash: createHash('sha256').update(token, 'utf8').digest('hex'),
      rawBodyBase64: raw.toString('base64'),
      contentType,
      receivedAt: receivedAt.toISOString(),
    };
    deps.metrics.webhooks.inc({ outcome: 'token_unverified' });
    return (await spool(record, { bytes: raw.length, reason: 'token_lookup' }, error)) ? SPOOLED_UNVERIFIED : UNAVAILABLE;
  };

  const accept = async (found: FoundToken, raw: Buffer, contentType: string | null, receivedAt: Date): Promise<JsonAnswer> => {
    if (deps.rateLimit) {
      const verdict = deps.rateLimit.take(found.tokenId);
      if (!verdict.allowed) {
        outcomes.rateLimited.inc();
        return jsonAnswer(429, { error: 'rate_limited' }, ['retry-after', String(verdict.retryAfterSeconds)]);
      }
    }

    const record = recordOfWebhook(found.integrationId, raw, contentType, receivedAt, deps.parseDate, 'webhook');
    const stop = deps.metrics.acceptSeconds.startTimer();
    let outcome: string;
    try {
      const { duplicate } = await deps.intake.submit(record);
      outcome = duplicate ? 'duplicate' : 'accepted';
    } catch (error) {
      if (!(await spool(toSpoolRecord(record), metaOf(found.integrationId, record, raw.length), error))) return UNAVAILABLE;
      outcome = 'spooled';
    } finally {
      stop();
    }

    if (record.parseStatus === 'unparseable') {
      deps.metrics.webhooks.inc({ outcome: 'unparseable' });
      deps.logger.warn('Webhook unparseable: stored for review', metaOf(found.integrationId, record, raw.length));
      return jsonAnswer(400, { ok: false, error: 'unparseable', stored: true, event_id: record.id });
    }
    if (record.parseStatus === 'salvaged') {
      deps.logger.warn('Webhook body salvaged', metaOf(found.integrationId, record, raw.length));
      deps.metrics.webhooks.inc({ outcome: `${outcome}_salvaged` });
    } else if (outcome === 'accepted') outcomes.accepted.inc();
    else if (outcome === 'duplicate') outcomes.duplicate.inc();
    else deps.metrics.webhooks.inc({ outcome });
    return accepted(record.id, outcome);
  };

  return async (token: string, raw: Buffer, contentType: string | null): Promise<JsonAnswer> => {
    const receivedAt = new Date();
    if (token.length < 20 || token.length > 128) {
      outcomes.unknownToken.inc();
      return NOT_FOUND;
    }
    let found = deps.tokens.peek(token);
    if (found === undefined) {
      try {
        found = (await deps.tokens.resolve(token)) ?? null;
      } catch (error) {
        return spoolUnverified(token, raw, contentType, receivedAt, error);
      }
    }
    if (found === null) {
      outcomes.unknownToken.inc();
      return NOT_FOUND;
    }
    return accept(found, raw, contentType, receivedAt);
  };
}
/** See {@link createWebhookCore}. */
export type WebhookCore = ReturnType<typeof createWebhookCore>;
