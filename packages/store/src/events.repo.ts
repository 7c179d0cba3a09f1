import { sanitiseString, type EventOutcome, type ParseStatus } from '@repo/domain';
import type { Db } from './db';

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

/**
 * Makes every string of a JSON value storable in jsonb: NUL characters and lone surrogates are
 * what PostgreSQL rejects. Iterative, so a deeply nested body cannot overflow the stack.
 */
function cleanJson(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (_key, v: unknown) => {
      if (typeof v === 'string') return sanitiseString(v);
      if (v && typeof v === 'object' && !Array.isArray(v)) {
        const out: Record<string, unknown> = {};
        for (const [k, inner] of Object.entries(v)) out[sanitiseString(k)] = inner;
        return out;
      }
      return v;
    }),
  ) as unknown;
}

/**
 * What PostgreSQL's jsonb refuses in JSON text: `\u0000` and surrogate escapes (JSON.stringify
 * writes paired surrogates as characters, so an escaped one is always unpaired).
 */
const JSONB_REFUSES = /\\u0000|\\ud[89a-f][0-9a-f]{2}/i;

/** A payload as jsonb text; the costly cleaning runs only when the text holds what jsonb refuses. */
function jsonbText(payload: Record<string, unknown>): string {
  const text = JSON.stringify(payload);
  return JSONB_REFUSES.test(text) ? JSON.stringify(cleanJson(payload)) : text;
}

/** An event to store (see {@link StoredEvent}). */
export type NewStoredEvent = Omit<StoredEvent, 'receivedAt' | 'processedAt' | 'outcome'> & {
  receivedAt?: Date;
  /** Set when the event needs no processing (e.g. our own post's echo): stored as processed. */
  outcome?: EventOutcome;
};

/** One line of the webhook log: what arrived and how it was understood, without customer text. */
export type WebhookLogRow = {
  id: string;
  ticketId: number | null;
  source: StoredEvent['source'] | 'quarantine';
  parseStatus: ParseStatus | 'quarantined';
  receivedAt: Date;
  processedAt: Date | null;
  outcome: string | null;
  missing: string[];
  unexpanded: string[];
  aliases: string[];
  problem: string | null;
  hasPostId: boolean;
  bytes: number;
};

/** A spooled event set aside after failing to be stored with the same deterministic error. */
export type QuarantinedEvent = {
  eventId: string;
  integrationId: string | null;
  ticketId: number | null;
  errorCode: string;
  bytes: number;
  receivedAt: Date;
};

/** Repository of the webhook inbox. */
export function createEventsRepo(db: Db) {
  const repo = {
    /** Stores an event; returns false when an event with this id was already stored (a duplicate). */
    async insert(event: NewStoredEvent): Promise<boolean> {
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

    /**
     * Stores many events in one statement (the ingress's group commit); returns the ids that were
     * new. Events already stored are left as they were.
     */
    async insertMany(events: readonly NewStoredEvent[]): Promise<Set<string>> {
      if (events.length === 0) return new Set();
      const cols: unknown[][] = [[], [], [], [], [], [], [], [], [], []];
      for (const e of events) {
        cols[0]!.push(e.id);
        cols[1]!.push(e.integrationId);
        cols[2]!.push(e.ticketId);
        cols[3]!.push(e.source);
        cols[4]!.push(e.parseStatus);
        cols[5]!.push(e.payload === null ? null : jsonbText(e.payload));
        cols[6]!.push(e.rawBody);
        cols[7]!.push(e.contentType);
        cols[8]!.push((e.receivedAt ?? new Date()).toISOString());
        cols[9]!.push(e.outcome ?? null);
      }
      const rows = await db.query<{ id: string }>(
        `INSERT INTO webhook_events (id, integration_id, ticket_id, source, parse_status, payload, raw_body, content_type, received_at, outcome, processed_at)
         SELECT e.*, CASE WHEN e.outcome IS NULL THEN NULL ELSE now() END
         FROM unnest($1::text[], $2::uuid[], $3::bigint[], $4::text[], $5::text[], $6::jsonb[], $7::bytea[], $8::text[], $9::timestamptz[], $10::text[])
           AS e(id, integration_id, ticket_id, source, parse_status, payload, raw_body, content_type, received_at, outcome)
         ON CONFLICT (id) DO NOTHING RETURNING id`,
        cols,
      );
      return new Set(rows.map((r) => r.id));
    },

    /**
     * The newest events of an integration for the webhook log, quarantined ones included: parse
     * status, fields missing, unexpanded or read under an alias, outcome. Never the text.
     */
    async listLog(integrationId: string, limit = 50): Promise<WebhookLogRow[]> {
      const rows = await db.query<{
        id: string;
        ticket_id: string | null;
        source: WebhookLogRow['source'];
        parse_status: WebhookLogRow['parseStatus'];
        received_at: Date;
        processed_at: Date | null;
        outcome: string | null;
        missing: string[] | null;
        unexpanded: string[] | null;
        aliases: string[] | null;
        problem: string | null;
        has_post_id: boolean;
        bytes: number;
      }>(
        `(SELECT id, ticket_id, source, parse_status, received_at, processed_at, outcome,
                 ARRAY(SELECT jsonb_array_elements_text(COALESCE(payload->'missing', '[]'::jsonb))) AS missing,
                 ARRAY(SELECT jsonb_array_elements_text(COALESCE(payload->'unexpanded', '[]'::jsonb))) AS unexpanded,
                 ARRAY(SELECT jsonb_array_elements_text(COALESCE(payload->'aliases', '[]'::jsonb))) AS aliases,
                 payload->>'problem' AS problem, (payload ? 'postId') AS has_post_id,
                 COALESCE(octet_length(raw_body), 0) AS bytes
          FROM webhook_events WHERE integration_id = $1 ORDER BY received_at DESC LIMIT $2)
         UNION ALL
         (SELECT event_id, ticket_id, 'quarantine', 'quarantined', received_at, quarantined_at, error_code, NULL, NULL, NULL, NULL, false, bytes
          FROM webhook_quarantine WHERE integration_id = $1 ORDER BY quarantined_at DESC LIMIT $2)
         ORDER BY received_at DESC LIMIT $2`,
        [integrationId, limit],
      );
      return rows.map((r) => ({
        id: r.id,
        ticketId: r.ticket_id === null ? null : Number(r.ticket_id),
        source: r.source,
        parseStatus: r.parse_status,
        receivedAt: r.received_at,
        processedAt: r.processed_at,
        outcome: r.outcome,
        missing: r.missing ?? [],
        unexpanded: r.unexpanded ?? [],
        aliases: r.aliases ?? [],
        problem: r.problem,
        hasPostId: r.has_post_id,
        bytes: Number(r.bytes),
      }));
    },

    /** The newest event of an integration received at or after `since` (the setup's connection check). */
    async firstSince(integrationId: string, since: Date): Promise<WebhookLogRow | undefined> {
      const rows = await repo.listLog(integrationId, 20);
      return rows.find((r) => r.receivedAt.getTime() >= since.getTime());
    },

    /**
     * Whether the integration's HDE rule sends `post_id`, judged by its newest webhook; `undefined`
     * before the first one. The sweep then gives a post the id the rule's webhook would give it.
     */
    async newestWebhookHasPostId(integrationId: string): Promise<boolean | undefined> {
      const rows = await db.query<{ has: boolean }>(
        // Only webhooks about a post tell (its text, author or id): another rule pointed at the URL
        // (an owner change: none of them) says nothing of the message rule's body.
        `SELECT (payload ? 'postId' OR payload ? 'post_id') AS has FROM webhook_events
         WHERE integration_id = $1 AND source IN ('webhook', 'spool') AND parse_status <> 'unparseable'
           AND (payload ?| ARRAY['messageHtml', 'authorId', 'postId', 'message', 'message_author_id', 'post_id'])
           -- Bounds the walk back through the index for an integration that only ever gets other rules' bodies.
           AND received_at > now() - interval '30 days'
         ORDER BY received_at DESC LIMIT 1`,
        [integrationId],
      );
      return rows[0]?.has;
    },

    /**
     * Whether the integration already holds an event for this HDE post under another ticket: by its
     * post id, or, for rules that send none, by its author and date (to the second, as HDE writes
     * it). An agent merging a ticket into another moves its posts there with their ids and dates
     * (a guess: HDE documents no merge), so a post the sweep finds may be one handled as the other
     * ticket's. Only events received within `window` are looked at (the index on arrival bounds it
     * on both sides, so an old post costs no more than a new one); the author and date are compared
     * only for events that carry no post id (a rule without `post_id`), so a customer writing into
     * two tickets in one second is not taken for a merge where the rule sends post ids.
     */
    async heldOnAnotherTicket(
      integrationId: string,
      post: { ticketId: number; postId: number; authorId: number | null; postedAt: Date | null },
      window: { from: Date; to: Date },
    ): Promise<boolean> {
      const rows = await db.query(
        `SELECT 1 FROM webhook_events
         WHERE integration_id = $1 AND received_at >= $6 AND received_at < $7 AND ticket_id IS NOT NULL AND ticket_id <> $2
           AND (payload->>'postId' = $3::text
             OR ($4::text IS NOT NULL AND $5::text IS NOT NULL AND payload->'postId' IS NULL
               AND payload->>'authorId' = $4::text AND payload->>'postedAt' = $5::text))
         LIMIT 1`,
        [
          integrationId,
          post.ticketId,
          String(post.postId),
          post.authorId === null ? null : String(post.authorId),
          post.postedAt ? post.postedAt.toISOString() : null,
          window.from,
          window.to,
        ],
      );
      return rows.length > 0;
    },

    /**
     * Posts by the bot account whose webhooks came back for a ticket since `since`: HDE fires its rule
     * on every post it stores, so such an echo proves a post landed even when the post is no longer
     * there (an agent deleted it). Post id and text, newest first (a read-back takes the newest
     * match, as reading the posts does).
     */
    async botPostEchoes(
      integrationId: string,
      ticketId: number,
      botUserId: number,
      since: Date,
    ): Promise<Array<{ postId: number; html: string | undefined }>> {
      const rows = await db.query<{ post_id: string; html: string | null }>(
        `SELECT payload->>'postId' AS post_id, payload->>'messageHtml' AS html FROM webhook_events
         WHERE integration_id = $1 AND received_at >= $4 AND ticket_id = $2
           AND payload->>'authorId' = $3::text AND jsonb_typeof(payload->'postId') = 'number'
         ORDER BY received_at DESC LIMIT 100`,
        [integrationId, ticketId, String(botUserId), since],
      );
      return rows.map((r) => ({ postId: Number(r.post_id), html: r.html ?? undefined }));
    },

    /**
     * The post dates (`{last_post_date}` as HDE wrote it) and arrival times of the integration's
     * newest webhooks of the last week, newest first: what tells the account's real time zone.
     */
    async recentPostDates(integrationId: string, limit = 20): Promise<Array<{ postedAtText: string; receivedAt: Date }>> {
      const rows = await db.query<{ text: string; received_at: Date }>(
        `SELECT payload->>'postedAtText' AS text, received_at FROM webhook_events
         WHERE integration_id = $1 AND source = 'webhook' AND payload ? 'postedAtText'
           AND received_at > now() - interval '7 days'
         ORDER BY received_at DESC LIMIT $2`,
        [integrationId, limit],
      );
      return rows.map((r) => ({ postedAtText: r.text, receivedAt: r.received_at }));
    },

    /**
     * Whether the integration's HDE rule looks filtered to customers' posts: among its newest
     * webhooks (at most `limit`, the last week) at least `minimum` are customers' posts, none is a
     * post by anyone else, and the bot has posted public replies meanwhile. Every reply the bot
     * posts comes back through a rule without such a filter, so none seen means the rule drops
     * staff posts, and with them the replies of agents who step in.
     */
    async looksCustomerOnly(integrationId: string, options: { limit?: number; minimum?: number } = {}): Promise<boolean> {
      const rows = await db.query<{ looks: boolean }>(
        `WITH recent AS (
           SELECT payload->>'authorId' AS author, payload->>'customerId' AS customer, received_at FROM webhook_events
           WHERE integration_id = $1 AND source = 'webhook' AND parse_status <> 'unparseable' AND payload ? 'authorId'
             AND received_at > now() - interval '7 days'
           ORDER BY received_at DESC LIMIT $2)
         SELECT count(*) >= $3 AND bool_and(author = customer)
           AND EXISTS (SELECT 1 FROM send_ledger l WHERE l.integration_id = $1 AND l.kind = 'reply' AND l.state = 'sent'
                         AND l.finished_at >= (SELECT min(received_at) FROM recent)) AS looks
         FROM recent`,
        [integrationId, options.limit ?? 200, options.minimum ?? 10],
      );
      return rows[0]?.looks === true;
    },

    /**
     * Whether the integration's HDE rule sends the bot's own replies back: one of its newest webhooks
     * (at most `limit`, the last week) is the echo of one (outcome `echo`, told at the intake or in
     * classify). A rule filtered to customers' posts never sends them, nor does an account whose
     * rules do not fire for posts made through the API, so there a reply's missing webhook says
     * nothing.
     */
    async ownPostsArrive(integrationId: string, options: { limit?: number } = {}): Promise<boolean> {
      const rows = await db.query<{ arrive: boolean }>(
        `SELECT EXISTS (
           SELECT 1 FROM (
             SELECT outcome FROM webhook_events
             WHERE integration_id = $1 AND source = 'webhook' AND received_at > now() - interval '7 days'
             ORDER BY received_at DESC LIMIT $2) recent
           WHERE outcome = 'echo') AS arrive`,
        [integrationId, options.limit ?? 200],
      );
      return rows[0]?.arrive === true;
    },

    /** Whether any of these events is stored (by id: primary-key lookups). */
    async anyStored(ids: readonly string[]): Promise<boolean> {
      if (ids.length === 0) return false;
      const rows = await db.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM webhook_events WHERE id = ANY($1::text[])) AS any', [
        [...ids],
      ]);
      return rows[0]?.any === true;
    },

    /** Records a quarantined spool record (metadata only); a second report of it changes nothing. */
    async quarantine(entry: QuarantinedEvent): Promise<void> {
      await db.query(
        `INSERT INTO webhook_quarantine (event_id, integration_id, ticket_id, error_code, bytes, received_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (event_id) DO NOTHING`,
        [entry.eventId, entry.integrationId, entry.ticketId, entry.errorCode.slice(0, 100), entry.bytes, entry.receivedAt],
      );
    },

    /** Reads an event. */
    async get(id: string): Promise<StoredEvent | undefined> {
      const rows = await db.query<{
        id: string;
        integration_id: string;
        ticket_id: number | null;
        source: StoredEvent['source'];
        parse_status: ParseStatus;
        payload: Record<string, unknown> | null;
        raw_body: Buffer | null;
        content_type: string | null;
        received_at: Date;
        processed_at: Date | null;
        outcome: string | null;
      }>('SELECT * FROM webhook_events WHERE id = $1', [id]);
      const r = rows[0];
      if (!r) return undefined;
      return {
        id: r.id,
        integrationId: r.integration_id,
        ticketId: r.ticket_id,
        source: r.source,
        parseStatus: r.parse_status,
        payload: r.payload,
        rawBody: r.raw_body,
        contentType: r.content_type,
        receivedAt: r.received_at,
        processedAt: r.processed_at,
        outcome: r.outcome,
      };
    },

    /** Records what the pipeline made of an event: only an outcome with words, so the webhook log can say it. */
    async markProcessed(id: string, outcome: EventOutcome, options: { blindDialogId?: number } = {}): Promise<void> {
      if (options.blindDialogId === undefined) {
        await db.query('UPDATE webhook_events SET processed_at = now(), outcome = $2 WHERE id = $1', [id, outcome]);
        return;
      }
      // In the same statement (no query more per message): the event of a post by the bot or an
      // automation updated its dialog without seeing the customer's posts (see `Dialog.blindUpdateAt`).
      await db.query(
        `WITH blind AS (UPDATE dialogs SET blind_update_at = updated_at WHERE id = $3)
         UPDATE webhook_events SET processed_at = now(), outcome = $2 WHERE id = $1`,
        [id, outcome, options.blindDialogId],
      );
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
  return repo;
}
/** See {@link createEventsRepo}. */
export type EventsRepo = ReturnType<typeof createEventsRepo>;
