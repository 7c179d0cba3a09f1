import type { ParseStatus } from '@repo/domain';
import type { Db } from './db';
import { stripNul } from './db';

/** An accepted webhook, as the ingress stores it before it answers. */
export type StoredEvent = {
  id: string;
  integrationId: string;
  ticketId: number | null;
  source: 'webhook' | 'sweep' | 'spool' | 'manual';
  parseStatus: ParseStatus;
  /** The parsed body; absent when it could not be parsed. */
  payload: Record<string, unknown> | null;
  /** The raw body, kept only when it could not be parsed cleanly. */
  rawBody: Buffer | null;
  contentType: string | null;
  receivedAt: Date;
  processedAt: Date | null;
  outcome: string | null;
};

/** Removes NUL characters from every string of a JSON value (PostgreSQL rejects them in jsonb). */
function cleanJson(value: unknown): unknown {
  if (typeof value === 'string') return stripNul(value);
  if (Array.isArray(value)) return value.map(cleanJson);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[stripNul(k)] = cleanJson(v);
    return out;
  }
  return value;
}

/** Repository of the webhook inbox. */
export function createEventsRepo(db: Db) {
  return {
    /** Stores an event; returns false when an event with this id was already stored (a duplicate). */
    async insert(event: Omit<StoredEvent, 'receivedAt' | 'processedAt' | 'outcome'> & { receivedAt?: Date }): Promise<boolean> {
      const rows = await db.query(
        `INSERT INTO webhook_events (id, integration_id, ticket_id, source, parse_status, payload, raw_body, content_type, received_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8, COALESCE($9, now())) ON CONFLICT (id) DO NOTHING RETURNING id`,
        [
          event.id,
          event.integrationId,
          event.ticketId,
          event.source,
          event.parseStatus,
          event.payload === null ? null : JSON.stringify(cleanJson(event.payload)),
          event.rawBody,
          event.contentType,
          event.receivedAt ?? null,
        ],
      );
      return rows.length === 1;
    },

    /** Reads an event. */
    async get(id: string): Promise<StoredEvent | undefined> {
      const rows = await db.query<{
        id: string; integration_id: string; ticket_id: number | null; source: StoredEvent['source'];
        parse_status: ParseStatus; payload: Record<string, unknown> | null; raw_body: Buffer | null;
        content_type: string | null; received_at: Date; processed_at: Date | null; outcome: string | null;
      }>('SELECT * FROM webhook_events WHERE id = $1', [id]);
      const r = rows[0];
      if (!r) return undefined;
      return {
        id: r.id, integrationId: r.integration_id, ticketId: r.ticket_id, source: r.source, parseStatus: r.parse_status,
        payload: r.payload, rawBody: r.raw_body, contentType: r.content_type, receivedAt: r.received_at,
        processedAt: r.processed_at, outcome: r.outcome,
      };
    },

    /** Records what the pipeline made of an event. */
    async markProcessed(id: string, outcome: string): Promise<void> {
      await db.query('UPDATE webhook_events SET processed_at = now(), outcome = $2 WHERE id = $1', [id, outcome]);
    },

    /** Events whose body could not be parsed cleanly, newest first, for admins. */
    async listUnparsed(integrationId: string, limit = 50) {
      return db.query<{ id: string; ticket_id: number | null; parse_status: ParseStatus; received_at: Date; size: number }>(
        `SELECT id, ticket_id, parse_status, received_at, COALESCE(octet_length(raw_body), 0) AS size
         FROM webhook_events WHERE integration_id = $1 AND parse_status <> 'ok' ORDER BY received_at DESC LIMIT $2`,
        [integrationId, limit],
      );
    },
  };
}
/** See {@link createEventsRepo}. */
export type EventsRepo = ReturnType<typeof createEventsRepo>;
