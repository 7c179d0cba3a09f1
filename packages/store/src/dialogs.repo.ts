import type { Classification } from '@repo/domain';
import type { Db } from './db';
import { stripNul } from './db';
import { TAKEN_OVER_IN_ADMIN } from './holder-reasons';

/** Who holds a ticket: the bot, a human after a hand-off, a human who stepped in, or nobody (closed). */
export type DialogState = 'bot' | 'handed_off' | 'agent' | 'closed';

/** A ticket's conversation as the consultant tracks it. */
export type Dialog = {
  id: number;
  integrationId: string;
  ticketId: number;
  customerId: number | null;
  customerName: string | null;
  statusId: string | null;
  state: DialogState;
  handoffReason: string | null;
  botReplies: number;
  activeTurnId: string | null;
  turnStartedAt: Date | null;
  ownerId: number | null;
  departmentId: number | null;
  lastAgentAt: Date | null;
  /** The ticket's channel, tags and when they were last read from HDE (webhooks do not carry them). */
  source: string | null;
  tags: string[] | null;
  ticketReadAt: Date | null;
  /** The newest post date a webhook told of, and the post date behind the current state (out-of-order guard). */
  lastPostAt: Date | null;
  stateAt: Date | null;
  /**
   * When the ticket was last returned to the bot in the admin app: customer messages stored before
   * it were written while a person held the ticket (see `dialog-holder.repo.ts`).
   */
  returnedAt: Date | null;
  /**
   * The update time an event of a post by the bot (its echo) or an automation left on the dialog
   * (set with the event's `markProcessed`, `blindDialogId`): while it equals `updatedAt`, the
   * dialog's last update tells nothing of the customer's posts (one written before an auto-reply,
   * or after the bot's reply, may have lost its webhook).
   */
  blindUpdateAt: Date | null;
  updatedAt: Date;
};

/** Who wrote a message. */
export type AuthorKind = 'customer' | 'bot' | 'agent' | 'system';
/** Where a message is in the pipeline. */
/** `failed`: the pipeline gave up on a customer message without a reply or a hand-off (shown and counted). */
export type MessageStatus = 'recorded' | 'pending' | 'in_turn' | 'done' | 'ignored' | 'failed';

/** One message of a dialog. */
export type DialogMessage = {
  id: number;
  dialogId: number;
  eventId: string | null;
  authorKind: AuthorKind;
  authorId: number | null;
  text: string;
  html: string | null;
  postedAt: Date | null;
  status: MessageStatus;
  turnId: string | null;
  classification: Classification | null;
  createdAt: Date;
};

/* eslint-disable @typescript-eslint/no-explicit-any */
export function toDialog(r: any): Dialog {
  return {
    id: r.id,
    integrationId: r.integration_id,
    ticketId: r.ticket_id,
    customerId: r.customer_id,
    customerName: r.customer_name,
    statusId: r.status_id,
    state: r.state,
    handoffReason: r.handoff_reason,
    botReplies: r.bot_replies,
    activeTurnId: r.active_turn_id,
    turnStartedAt: r.turn_started_at,
    ownerId: r.owner_id,
    departmentId: r.department_id,
    lastAgentAt: r.last_agent_at,
    source: r.source,
    tags: r.tags,
    ticketReadAt: r.ticket_read_at,
    lastPostAt: r.last_post_at ?? null,
    stateAt: r.state_at ?? null,
    returnedAt: r.returned_at ?? null,
    blindUpdateAt: r.blind_update_at ?? null,
    updatedAt: r.updated_at,
  };
}

export function toMessage(r: any): DialogMessage {
  return {
    id: r.id,
    dialogId: r.dialog_id,
    eventId: r.event_id,
    authorKind: r.author_kind,
    authorId: r.author_id,
    text: r.text,
    html: r.html,
    postedAt: r.posted_at,
    status: r.status,
    turnId: r.turn_id,
    classification: r.classification,
    createdAt: r.created_at,
  };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Fields of a new message. */
export type NewMessage = {
  dialogId: number;
  eventId?: string | null;
  authorKind: AuthorKind;
  authorId?: number | null;
  text: string;
  html?: string | null;
  postedAt?: Date | null;
  status?: MessageStatus;
  classification?: Classification | null;
};

/** What a delivered turn did, recorded as it ends (see `finishTurn`). */
export type TurnOutcome = {
  /** The bot's message to the customer (one per turn: its event id is the turn's). */
  botMessage?: { eventId: string; authorId: number | null; html: string };
  /** The ticket was handed to a human, for this reason. */
  handedOff?: string;
  /** Recount the bot's replies on the dialog (a reply reached the customer). */
  countBotReply?: boolean;
  /** The decision's result; sets its stage to `delivered`. */
  decisionResult?: Record<string, unknown>;
};

/** Repository of dialogs, their messages and per-ticket turns. */
/**
 * A dialog's newest `limit` messages before message `beforeId` (the newest of all without it), in
 * order: the one read behind `dialogs.recentMessages` and the admin app's dialog pages.
 */
export async function recentMessagesOf(
  db: Pick<Db, 'query'>,
  dialogId: number,
  limit: number,
  beforeId?: number,
): Promise<DialogMessage[]> {
  const rows = await db.query(
    'SELECT * FROM (SELECT * FROM messages WHERE dialog_id = $1 AND ($3::bigint IS NULL OR id < $3) ORDER BY id DESC LIMIT $2) m ORDER BY id',
    [dialogId, limit, beforeId ?? null],
  );
  return rows.map(toMessage);
}

export function createDialogsRepo(db: Db) {
  return {
    /**
     * Creates the dialog of a ticket or refreshes what the latest webhook said about it. Webhooks
     * arrive out of order: with `postedAt` (the date of the post the event is about), the ticket's
     * status is only taken from an event no older than the newest one already seen.
     */
    async upsert(
      integrationId: string,
      ticketId: number,
      fields: { customerId?: number; customerName?: string; statusId?: string; postedAt?: Date | null } = {},
    ): Promise<Dialog> {
      return (await this.upsertSeen(integrationId, ticketId, fields)).dialog;
    },

    /**
     * {@link upsert}, also telling what the dialog said before this event (its status and newest
     * post), in the same statement; `previous` is undefined for a new dialog.
     */
    async upsertSeen(
      integrationId: string,
      ticketId: number,
      fields: { customerId?: number; customerName?: string; statusId?: string; postedAt?: Date | null } = {},
    ): Promise<{ dialog: Dialog; previous: { statusId: string | null; lastPostAt: Date | null } | undefined }> {
      const rows = await db.query(
        `WITH previous AS (SELECT status_id, last_post_at FROM dialogs WHERE integration_id = $1 AND ticket_id = $2),
         up AS (
           INSERT INTO dialogs (integration_id, ticket_id, customer_id, customer_name, status_id, last_post_at)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (integration_id, ticket_id) DO UPDATE SET
             customer_id = COALESCE(EXCLUDED.customer_id, dialogs.customer_id),
             customer_name = COALESCE(EXCLUDED.customer_name, dialogs.customer_name),
             status_id = CASE WHEN EXCLUDED.last_post_at IS NOT NULL AND dialogs.last_post_at IS NOT NULL
                                AND EXCLUDED.last_post_at < dialogs.last_post_at
                              THEN dialogs.status_id
                              ELSE COALESCE(EXCLUDED.status_id, dialogs.status_id) END,
             last_post_at = GREATEST(dialogs.last_post_at, EXCLUDED.last_post_at),
             updated_at = now()
           RETURNING *
         )
         SELECT up.*, (SELECT count(*) FROM previous) > 0 AS previous_exists,
           (SELECT status_id FROM previous) AS previous_status_id, (SELECT last_post_at FROM previous) AS previous_last_post_at
         FROM up`,
        [
          integrationId,
          ticketId,
          fields.customerId ?? null,
          fields.customerName ? stripNul(fields.customerName) : null,
          fields.statusId ?? null,
          fields.postedAt ?? null,
        ],
      );
      const row = rows[0]!;
      return {
        dialog: toDialog(row),
        previous: row.previous_exists
          ? { statusId: row.previous_status_id ?? null, lastPostAt: row.previous_last_post_at ?? null }
          : undefined,
      };
    },

    /** Reads a dialog. */
    async get(id: number): Promise<Dialog | undefined> {
      const rows = await db.query('SELECT * FROM dialogs WHERE id = $1', [id]);
      return rows[0] ? toDialog(rows[0]) : undefined;
    },

    /** Reads the dialog of a ticket. */
    async getByTicket(integrationId: string, ticketId: number): Promise<Dialog | undefined> {
      const rows = await db.query('SELECT * FROM dialogs WHERE integration_id = $1 AND ticket_id = $2', [integrationId, ticketId]);
      return rows[0] ? toDialog(rows[0]) : undefined;
    },

    /**
     * Sets who holds the ticket, with the reason for a hand-off. With `asOf` (the date of the post
     * that causes the change) the change is refused when the state already rests on a newer post, so
     * a late, older webhook never moves a dialog back (e.g. from `agent` to `bot`). Returns whether
     * the state was set. A staff reply on a ticket taken over in the admin app keeps that reason:
     * the ticket stays the person's until someone returns it, whatever `takeover.afterAgentReply` says.
     */
    async setState(id: number, state: DialogState, reason?: string | null, asOf?: Date | null): Promise<boolean> {
      const rows = await db.query(
        `UPDATE dialogs SET state = $2, updated_at = now(),
           handoff_reason = CASE WHEN $2 = 'agent' AND state = 'agent' AND handoff_reason = '${TAKEN_OVER_IN_ADMIN}'
             THEN handoff_reason ELSE COALESCE($3, handoff_reason) END,
           last_agent_at = CASE WHEN $2 = 'agent' THEN now() ELSE last_agent_at END,
           state_at = CASE WHEN $4::timestamptz IS NULL THEN state_at ELSE GREATEST(state_at, $4::timestamptz) END
         WHERE id = $1 AND ($4::timestamptz IS NULL OR state_at IS NULL OR state_at <= $4::timestamptz)
         RETURNING id`,
        [id, state, reason ?? null, asOf ?? null],
      );
      return rows.length === 1;
    },

    /** Customer messages the pipeline gave up on (`failed`), per integration, for admins and metrics. */
    async failedMessages(
      integrationId: string,
      limit = 100,
    ): Promise<Array<{ dialogId: number; ticketId: number; messageId: number; createdAt: Date }>> {
      const rows = await db.query<{ dialog_id: number; ticket_id: number; id: number; created_at: Date }>(
        `SELECT m.dialog_id, d.ticket_id, m.id, m.created_at FROM messages m JOIN dialogs d ON d.id = m.dialog_id
         WHERE d.integration_id = $1 AND m.status = 'failed' ORDER BY m.id DESC LIMIT $2`,
        [integrationId, limit],
      );
      return rows.map((r) => ({ dialogId: r.dialog_id, ticketId: r.ticket_id, messageId: r.id, createdAt: r.created_at }));
    },

    /** How many customer messages ended `failed`, per integration. */
    async countFailedMessages(integrationId?: string): Promise<number> {
      const rows = await db.query<{ n: number }>(
        // From the few failed messages (a partial index) to their dialogs by primary key: a join let
        // PostgreSQL scan every dialog once per failed message, whatever the statistics said.
        `SELECT count(*)::int AS n FROM messages m
         WHERE m.status = 'failed'
           AND ($1::uuid IS NULL OR (SELECT d.integration_id FROM dialogs d WHERE d.id = m.dialog_id) = $1::uuid)`,
        [integrationId ?? null],
      );
      return rows[0]?.n ?? 0;
    },

    /** Stores what a read of the ticket from HDE said. */
    async recordTicketFacts(
      id: number,
      /** `tags` null: HDE did not say (its ticket object had no `tags` key). */
      facts: { statusId: string; ownerId: number | null; departmentId: number | null; source: string; tags: string[] | null },
    ): Promise<void> {
      await db.query(
        `UPDATE dialogs SET status_id = $2, owner_id = $3, department_id = $4, source = $5, tags = $6, ticket_read_at = now() WHERE id = $1`,
        [id, facts.statusId, facts.ownerId, facts.departmentId, facts.source, facts.tags],
      );
    },

    /**
     * Forgets that a ticket was closed: a customer wrote into it and the webhook's rule does not
     * send the status (HDE reopens a closed ticket when the client writes), so its status is unknown
     * from here rather than closed for good.
     */
    async forgetClosedStatus(id: number): Promise<void> {
      await db.query(`UPDATE dialogs SET status_id = NULL WHERE id = $1 AND status_id = 'closed'`, [id]);
    },

    /**
     * Recounts the bot's replies in the ticket from its recorded messages: derived, so a rerun after
     * a crash never counts one reply twice.
     */
    async countBotReply(id: number): Promise<void> {
      await db.query(
        `UPDATE dialogs SET bot_replies = (SELECT count(*) FROM messages WHERE dialog_id = $1 AND author_kind = 'bot'), updated_at = now() WHERE id = $1`,
        [id],
      );
    },

    /** Stores a message; a message with a known event id is stored once. */
    async recordMessage(message: NewMessage): Promise<{ id: number; inserted: boolean }> {
      const rows = await db.query<{ id: number }>(
        `INSERT INTO messages (dialog_id, event_id, author_kind, author_id, text, html, posted_at, status, classification)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) ON CONFLICT (event_id) DO NOTHING RETURNING id`,
        [
          message.dialogId,
          message.eventId ?? null,
          message.authorKind,
          message.authorId ?? null,
          stripNul(message.text),
          message.html == null ? null : stripNul(message.html),
          message.postedAt ?? null,
          message.status ?? 'recorded',
          message.classification ? JSON.stringify(message.classification) : null,
        ],
      );
      if (rows[0]) return { id: rows[0].id, inserted: true };
      const existing = await db.query<{ id: number }>('SELECT id FROM messages WHERE event_id = $1', [message.eventId]);
      return { id: existing[0]!.id, inserted: false };
    },

    /** Lists a dialog's messages in order. */
    async messages(dialogId: number): Promise<DialogMessage[]> {
      const rows = await db.query('SELECT * FROM messages WHERE dialog_id = $1 ORDER BY id', [dialogId]);
      return rows.map(toMessage);
    },

    /**
     * A dialog's newest `limit` messages, in order: what the pipeline compares a post read back from
     * HDE with (a post it already holds is a recent one), bounded however long the ticket is.
     */
    recentMessages(dialogId: number, limit: number): Promise<DialogMessage[]> {
      return recentMessagesOf(db, dialogId, limit);
    },

    /** Reads one message by its event id. */
    async messageByEvent(eventId: string): Promise<DialogMessage | undefined> {
      const rows = await db.query('SELECT * FROM messages WHERE event_id = $1', [eventId]);
      return rows[0] ? toMessage(rows[0]) : undefined;
    },

    /** Sets a message's status (e.g. ignored when a human took over before its turn). */
    async setMessageStatus(ids: number[], status: MessageStatus): Promise<void> {
      if (ids.length === 0) return;
      await db.query('UPDATE messages SET status = $2 WHERE id = ANY($1::bigint[])', [ids, status]);
    },

    /**
     * Takes the ticket's turn lease: at most one turn of a ticket is in flight. A lease older than
     * `staleAfterMs` is taken over, so a turn whose worker died does not block the ticket forever.
     */
    async tryStartTurn(dialogId: number, turnId: string, staleAfterMs: number): Promise<boolean> {
      const rows = await db.query(
        `UPDATE dialogs SET active_turn_id = $2, turn_started_at = now()
         WHERE id = $1 AND (active_turn_id IS NULL OR active_turn_id = $2
           OR turn_started_at < now() - make_interval(secs => $3::double precision / 1000))
         RETURNING id`,
        [dialogId, turnId, staleAfterMs],
      );
      return rows.length === 1;
    },

    /**
     * Records a customer's message and tries the ticket's turn lease for `turnId`, marking the webhook
     * event processed, in one statement. The dialog row is locked whether or not the lease is free:
     * a turn ending at the same time either sees this message as pending or released the lease before
     * this statement took it, so the message never waits for the stalled-turn sweep. Returns whether
     * the message was new, whether this turn holds the lease now, and which turn holds it.
     */
    async recordCustomerMessage(
      message: NewMessage & { eventId: string },
      turn: { turnId: string; staleAfterMs: number },
    ): Promise<{ inserted: boolean; started: boolean; holder: string | null }> {
      const rows = await db.query<{ inserted: boolean; started: boolean; holder: string | null }>(
        `WITH m AS (
           INSERT INTO messages (dialog_id, event_id, author_kind, author_id, text, html, posted_at, status, classification)
           VALUES ($1,$2,'customer',$3,$4,$5,$6,'pending',$7) ON CONFLICT (event_id) DO NOTHING RETURNING id
         ), lease AS (
           -- The lease's test reads the row's own columns, so after waiting for a lock it is made
           -- on the row as the other statement left it.
           UPDATE dialogs SET
             pending_seq = pending_seq + (SELECT count(*) FROM m),
             active_turn_id = CASE WHEN active_turn_id IS NULL OR active_turn_id = $8
                 OR turn_started_at < now() - make_interval(secs => $9::double precision / 1000)
               THEN $8 ELSE active_turn_id END,
             turn_started_at = CASE WHEN active_turn_id IS NULL OR active_turn_id = $8
                 OR turn_started_at < now() - make_interval(secs => $9::double precision / 1000)
               THEN now() ELSE turn_started_at END
           WHERE id = $1
           RETURNING active_turn_id = $8 AS started, active_turn_id AS holder
         ), event AS (
           UPDATE webhook_events SET processed_at = now(), outcome = 'customer' WHERE id = $2
         )
         SELECT EXISTS (SELECT 1 FROM m) AS inserted, COALESCE((SELECT started FROM lease), false) AS started,
           (SELECT holder FROM lease) AS holder`,
        [
          message.dialogId,
          message.eventId,
          message.authorId ?? null,
          stripNul(message.text),
          message.html == null ? null : stripNul(message.html),
          message.postedAt ?? null,
          message.classification ? JSON.stringify(message.classification) : null,
          turn.turnId,
          turn.staleAfterMs,
        ],
      );
      return rows[0]!;
    },

    /**
     * Ends a turn: marks its messages, releases the lease if this turn still holds it, and tells
     * whether more customer messages arrived meanwhile (the caller then starts the next turn). With
     * `outcome`, what the turn did is recorded in the same statement: the bot's message, the hand-off
     * or the recount of the bot's replies, and the decision's result (stage `delivered`).
     *
     * One statement when the turn's claim was recorded (migration 1700000007600): the dialog's
     * `pending_seq`, read from the row this statement updates (as the last writer left it, after any
     * lock wait), against the turn's `claimed_seq`. Otherwise a second statement, after the writes
     * committed, looks for pending messages with a fresh snapshot. Either way a customer message
     * committed before the turn released the lease is reported here, and one committed after finds
     * the lease free and starts its own turn, so none waits for the stalled-turn sweep.
     */
    async finishTurn(
      dialogId: number,
      turnId: string,
      messageStatus: MessageStatus = 'done',
      outcome: TurnOutcome = {},
    ): Promise<{ morePending: boolean }> {
      const bot = outcome.botMessage;
      const rows = await db.query<{ pending_seq: number; claimed_seq: number | null }>(
        `WITH claim AS (
           SELECT claimed_seq FROM decisions WHERE turn_id = $2
         ), bot AS (
           INSERT INTO messages (dialog_id, event_id, author_kind, author_id, text, html, posted_at, status)
           SELECT $1, $5, 'bot', $6, '', $7, now(), 'done' WHERE $5::text IS NOT NULL
           ON CONFLICT (event_id) DO NOTHING RETURNING id
         ), decision AS (
           UPDATE decisions SET stage = 'delivered', result = $8::jsonb, updated_at = now()
           WHERE turn_id = $2 AND $8::jsonb IS NOT NULL
         ), turn_messages AS (
           UPDATE messages SET status = $3 WHERE turn_id = $2 AND status = 'in_turn'
         )
         UPDATE dialogs SET
           active_turn_id = CASE WHEN active_turn_id = $2 THEN NULL ELSE active_turn_id END,
           turn_started_at = CASE WHEN active_turn_id = $2 THEN NULL ELSE turn_started_at END,
           state = CASE WHEN $9::text IS NOT NULL THEN 'handed_off' ELSE state END,
           handoff_reason = COALESCE($9::text, handoff_reason),
           bot_replies = CASE WHEN $4 THEN
             (SELECT count(*) FROM messages WHERE dialog_id = $1 AND author_kind = 'bot') + (SELECT count(*) FROM bot)
             ELSE bot_replies END,
           updated_at = now()
         WHERE id = $1
         RETURNING pending_seq, (SELECT claimed_seq FROM claim) AS claimed_seq`,
        [
          dialogId,
          turnId,
          messageStatus,
          outcome.countBotReply === true,
          bot ? bot.eventId : null,
          bot ? bot.authorId : null,
          bot ? stripNul(bot.html) : null,
          outcome.decisionResult === undefined ? null : JSON.stringify(outcome.decisionResult),
          outcome.handedOff ?? null,
        ],
      );
      const row = rows[0];
      if (row && row.claimed_seq !== null) return { morePending: row.pending_seq > row.claimed_seq };
      const pending = await db.query(`SELECT 1 FROM messages WHERE dialog_id = $1 AND status = 'pending' LIMIT 1`, [dialogId]);
      return { morePending: pending.length > 0 };
    },

    /**
     * Dialogs with pending messages and no live turn: a turn was lost (e.g. its job failed for good).
     * With `integrationId`, only that integration's (the limit then applies to it alone, so other
     * integrations' stalled dialogs cannot crowd its own out).
     */
    async stalledDialogs(
      staleAfterMs: number,
      limit = 100,
      integrationId?: string,
    ): Promise<Array<{ id: number; integrationId: string; ticketId: number }>> {
      const rows = await db.query<{ id: number; integration_id: string; ticket_id: number }>(
        // From the dialogs that hold old pending messages (a partial index) to each dialog by primary
        // key. As a join, PostgreSQL scanned every dialog once per pending message, in every sweep and
        // whatever the statistics said: most during a backlog, when the sweep matters. OFFSET 0 keeps
        // the lookup from being flattened back into that join.
        `SELECT d.id, d.integration_id, d.ticket_id
         FROM (SELECT DISTINCT dialog_id FROM messages
               WHERE status = 'pending' AND created_at < now() - make_interval(secs => $1::double precision / 1000)) p
         CROSS JOIN LATERAL (
           SELECT id, integration_id, ticket_id FROM dialogs
           WHERE id = p.dialog_id
             AND (active_turn_id IS NULL OR turn_started_at < now() - make_interval(secs => $1::double precision / 1000))
             AND ($3::uuid IS NULL OR integration_id = $3::uuid)
           OFFSET 0) d
         LIMIT $2`,
        [staleAfterMs, limit, integrationId ?? null],
      );
      return rows.map((r) => ({ id: r.id, integrationId: r.integration_id, ticketId: r.ticket_id }));
    },
  };
}
/** See {@link createDialogsRepo}. */
export type DialogsRepo = ReturnType<typeof createDialogsRepo>;
