import type { Db } from './db';

/** A mutating call to HDE. */
export type LedgerKind = 'reply' | 'note' | 'assign' | 'status' | 'tags' | 'custom_fields' | 'enrich';
/**
 * planned → sending → sent; a call that may have landed is `ambiguous` until reconciled (then sent,
 * or planned again to resend once); `quarantined` when reconciliation cannot tell; `failed` when HDE
 * refused it for good; `skipped` when a precondition no longer held.
 */
export type LedgerState = 'planned' | 'sending' | 'sent' | 'ambiguous' | 'failed' | 'quarantined' | 'skipped';

/**
 * Limits a write to the row as its caller last saw it: with `expect`, the row must still be in that
 * state with that attempt count. A worker that lost its job (its lock expired, another worker took
 * the row over) can then no longer move a row that is now someone else's send or read-back.
 */
export type SendFence = { expect?: { state: 'sending' | 'ambiguous'; attempts: number } };

/** One ledger row. */
export type LedgerEntry = {
  id: number;
  integrationId: string;
  dialogId: number | null;
  ticketId: number;
  actionKey: string;
  /** The turn whose decision planned the call (null for calls planned outside a turn). */
  turnId: string | null;
  kind: LedgerKind;
  state: LedgerState;
  request: Record<string, unknown>;
  marker: string | null;
  attempts: number;
  startedAt: Date | null;
  finishedAt: Date | null;
  hdeRef: string | null;
  error: string | null;
};

/* eslint-disable @typescript-eslint/no-explicit-any */
export function toEntry(r: any): LedgerEntry {
  return {
    id: r.id,
    integrationId: r.integration_id,
    dialogId: r.dialog_id,
    ticketId: r.ticket_id,
    actionKey: r.action_key,
    turnId: r.turn_id ?? null,
    kind: r.kind,
    state: r.state,
    request: r.request,
    marker: r.marker,
    attempts: r.attempts,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    hdeRef: r.hde_ref,
    error: r.error,
  };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/**
 * Ledger rows of a dialog the worker compares a post with (an echo of our own post, a reconciled
 * send): those are recent sends, and a ticket's whole ledger (reopened for years) is not read for them.
 */
export const LEDGER_RECENT_ROWS = 200;

/** Prefixes of the action keys a turn's own plan uses (`<prefix>-<turnId>`). */
const TURN_ACTION_PREFIXES = ['reply', 'draft', 'summary', 'assign', 'enrich', 'handoff-tags'];

/** One call of a turn's plan (see `planTurn`). */
export type PlannedAction = {
  integrationId: string;
  dialogId: number | null;
  ticketId: number;
  actionKey: string;
  kind: LedgerKind;
  request: Record<string, unknown>;
};

/**
 * Writes a turn's plan: every call, each with its place (`plan_seq`); with `$8`, the first straight
 * into `sending`. `conflict` is what to do on a row the statement meets (see `planTurn`).
 */
function planStatement(conflict: string): string {
  return `INSERT INTO send_ledger (integration_id, dialog_id, ticket_id, action_key, kind, request, turn_id, plan_seq,
      state, attempts, started_at)
    SELECT $1, $2, $3, a.key, a.kind, a.request, $4, a.seq - 1,
      CASE WHEN $8 AND a.seq = 1 THEN 'sending' ELSE 'planned' END,
      CASE WHEN $8 AND a.seq = 1 THEN 1 ELSE 0 END,
      CASE WHEN $8 AND a.seq = 1 THEN now() END
    FROM unnest($5::text[], $6::text[], $7::jsonb[]) WITH ORDINALITY AS a(key, kind, request, seq)
    ORDER BY a.seq
    ${conflict}
    RETURNING *`;
}
const PLAN = planStatement('');
const PLAN_KEEPING_EXISTING = planStatement('ON CONFLICT (integration_id, action_key) DO NOTHING');

/** The parameters of {@link planStatement}; `actions` is not empty. */
function planParams(turnId: string, actions: PlannedAction[], startFirst: boolean): unknown[] {
  const first = actions[0]!;
  return [
    first.integrationId,
    first.dialogId,
    first.ticketId,
    turnId,
    actions.map((a) => a.actionKey),
    actions.map((a) => a.kind),
    actions.map((a) => JSON.stringify(a.request)),
    startFirst,
  ];
}

/** The bot's newest change of a ticket, and its replies just before it (see `LedgerRepo.newestSent`). */
export type NewestSend = { at: Date; posts: Array<{ postId: number; at: Date }> };

/** Repository of the send ledger: every mutating HDE call, keyed so it happens once. */
export function createLedgerRepo(db: Db) {
  /**
   * The plan's slow path, for when the one-statement plan met a row it conflicts with: another
   * planner's plan of the same turn, or rows planned before calls carried their turn (adopted by
   * their keys). One planner per turn at a time; it keeps whatever plan the turn already has.
   */
  async function planTurnLocked(turnId: string, actions: PlannedAction[]): Promise<LedgerEntry[]> {
    await db.tx(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`plan:${turnId}`]);
      const keys = TURN_ACTION_PREFIXES.map((prefix) => `${prefix}-${turnId}`);
      await client.query(
        'UPDATE send_ledger SET turn_id = $1 WHERE integration_id = $2 AND action_key = ANY($3::text[]) AND turn_id IS NULL',
        [turnId, actions[0]!.integrationId, keys],
      );
      const existing = await client.query('SELECT 1 FROM send_ledger WHERE turn_id = $1 LIMIT 1', [turnId]);
      if ((existing.rowCount ?? 0) > 0) return;
      await client.query(PLAN_KEEPING_EXISTING, planParams(turnId, actions, false));
    });
    const rows = await db.query('SELECT * FROM send_ledger WHERE turn_id = $1 ORDER BY id', [turnId]);
    return rows.map(toEntry);
  }

  return {
    /**
     * Plans an action, or returns the existing row for the same key. The request (e.g. the reply
     * text) is stored before sending, so a rerun sends the same thing and never recomposes it.
     */
    async plan(input: PlannedAction & { marker?: string; turnId?: string }): Promise<LedgerEntry> {
      await db.query(
        `INSERT INTO send_ledger (integration_id, dialog_id, ticket_id, action_key, kind, request, marker, turn_id)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8) ON CONFLICT (integration_id, action_key) DO NOTHING`,
        [
          input.integrationId,
          input.dialogId,
          input.ticketId,
          input.actionKey,
          input.kind,
          JSON.stringify(input.request),
          input.marker ?? null,
          input.turnId ?? null,
        ],
      );
      const rows = await db.query('SELECT * FROM send_ledger WHERE integration_id = $1 AND action_key = $2', [
        input.integrationId,
        input.actionKey,
      ]);
      return toEntry(rows[0]);
    },

    /**
     * Plans every call of a turn, in order, unless the turn already has a plan: then the stored plan
     * stands and nothing is added. Returns the turn's rows in planned order. A rerun therefore drives
     * exactly what was planned the first time, from the stored requests.
     *
     * One statement writes the whole plan, each row with its place (`plan_seq`). A second planner of
     * the same turn fails on the unique place 0 (migration 1700000007500) and, like a row planned
     * before calls carried their turn (same action key, no turn), is settled by the locked path.
     *
     * With `startFirst`, the first call is written straight into `sending` (what `beginSend` would
     * do next), and `started` names it: only this caller may perform it. Any other reader of the
     * row — a rerun after a crash — sees a `sending` row and reconciles it with HDE before anything
     * is sent again, as for any call whose worker died.
     */
    async planTurn(
      turnId: string,
      actions: PlannedAction[],
      options: { startFirst?: boolean } = {},
    ): Promise<{ rows: LedgerEntry[]; started?: LedgerEntry }> {
      if (actions.length === 0) return { rows: await this.forTurn(turnId) };
      const startFirst = options.startFirst === true;
      try {
        const rows = await db.query(PLAN, planParams(turnId, actions, startFirst));
        const entries = rows.map(toEntry).sort((a, b) => a.id - b.id);
        return startFirst ? { rows: entries, started: entries[0] } : { rows: entries };
      } catch (error) {
        if ((error as { code?: unknown }).code !== '23505') throw error;
        return { rows: await planTurnLocked(turnId, actions) };
      }
    },

    /** The calls a turn planned, in planned order. */
    async forTurn(turnId: string): Promise<LedgerEntry[]> {
      const rows = await db.query('SELECT * FROM send_ledger WHERE turn_id = $1 ORDER BY id', [turnId]);
      return rows.map(toEntry);
    },

    /** Reads the entry of an action key, if it was planned. */
    async getByKey(integrationId: string, actionKey: string): Promise<LedgerEntry | undefined> {
      const rows = await db.query('SELECT * FROM send_ledger WHERE integration_id = $1 AND action_key = $2', [integrationId, actionKey]);
      return rows[0] ? toEntry(rows[0]) : undefined;
    },

    /** Reads an entry. */
    async get(id: number): Promise<LedgerEntry | undefined> {
      const rows = await db.query('SELECT * FROM send_ledger WHERE id = $1', [id]);
      return rows[0] ? toEntry(rows[0]) : undefined;
    },

    /**
     * Moves an entry to `sending` only from `planned`: the row is the fence, so two workers never
     * both send. Returns the row as it now is, or undefined when the entry was not in `planned`.
     */
    async beginSend(id: number): Promise<LedgerEntry | undefined> {
      const rows = await db.query(
        `UPDATE send_ledger SET state = 'sending', attempts = attempts + 1, started_at = now(), error = NULL
         WHERE id = $1 AND state = 'planned' RETURNING *`,
        [id],
      );
      return rows[0] ? toEntry(rows[0]) : undefined;
    },

    /**
     * Sets the outcome of a send; returns the row as it now is (undefined when it is gone, or, with
     * `ownSend`, no longer in that send).
     */
    async finish(
      id: number,
      state: Exclude<LedgerState, 'planned' | 'sending'>,
      detail: { hdeRef?: string | null; error?: string | null } = {},
      fence: SendFence = {},
    ): Promise<LedgerEntry | undefined> {
      const rows = await db.query(
        `UPDATE send_ledger SET state = $2, hde_ref = COALESCE($3, hde_ref), error = $4,
           finished_at = CASE WHEN $2 IN ('sent','failed','quarantined','skipped') THEN now() ELSE finished_at END
         WHERE id = $1 AND ($5::text IS NULL OR (state = $5 AND attempts = $6)) RETURNING *`,
        [id, state, detail.hdeRef ?? null, detail.error ?? null, fence.expect?.state ?? null, fence.expect?.attempts ?? null],
      );
      return rows[0] ? toEntry(rows[0]) : undefined;
    },

    /**
     * Returns an ambiguous entry to `planned` after reconciliation proved it did not land. With
     * `undoAttempt`, the call was refused before it could land (our budget, 429, ban): it does not
     * count as one of the entry's sends. Returns the row as it now is, or undefined when it was in
     * neither state (someone else moved it on).
     */
    async replan(id: number, options: { undoAttempt?: boolean; settledMs?: number } & SendFence = {}): Promise<LedgerEntry | undefined> {
      // With `settledMs`, only once the call began at least that long ago by the database's clock.
      const rows = await db.query(
        `UPDATE send_ledger SET state = 'planned', attempts = CASE WHEN $2 THEN GREATEST(attempts - 1, 0) ELSE attempts END
         WHERE id = $1 AND state IN ('ambiguous', 'sending') AND ($3::text IS NULL OR (state = $3 AND attempts = $4))
           AND ($5::int IS NULL OR started_at IS NULL OR started_at <= now() - make_interval(secs => $5::int / 1000.0))
         RETURNING *`,
        [id, options.undoAttempt === true, options.expect?.state ?? null, options.expect?.attempts ?? null, options.settledMs ?? null],
      );
      return rows[0] ? toEntry(rows[0]) : undefined;
    },

    /**
     * Marks a `sending` row as ambiguous (a worker died mid-call and the row is found later, or the
     * call may have landed). Returns the row as it now is, or undefined when it was not `sending`.
     */
    async markAmbiguous(id: number, error: string, options: { settledMs?: number } & SendFence = {}): Promise<LedgerEntry | undefined> {
      // With `settledMs`, only a row that went to `sending` at least that long ago by the database's
      // clock: whether a call surely ended is never judged by a worker's clock.
      const rows = await db.query(
        `UPDATE send_ledger SET state = 'ambiguous', error = $2
         WHERE id = $1 AND state = 'sending'
           AND ($3::int IS NULL OR started_at IS NULL OR started_at <= now() - make_interval(secs => $3::int / 1000.0))
           AND ($4::int IS NULL OR attempts = $4)
         RETURNING *`,
        [id, error, options.settledMs ?? null, options.expect?.attempts ?? null],
      );
      return rows[0] ? toEntry(rows[0]) : undefined;
    },

    /** Entries of a dialog, in order; with `newest`, only that many of the newest. */
    async forDialog(dialogId: number, options: { newest?: number } = {}): Promise<LedgerEntry[]> {
      const rows =
        options.newest === undefined
          ? await db.query('SELECT * FROM send_ledger WHERE dialog_id = $1 ORDER BY id', [dialogId])
          : await db.query('SELECT * FROM (SELECT * FROM send_ledger WHERE dialog_id = $1 ORDER BY id DESC LIMIT $2) l ORDER BY id', [
              dialogId,
              options.newest,
            ]);
      return rows.map(toEntry);
    },

    /**
     * When the newest call the bot made in a ticket was recorded as sent (the database's clock): its
     * reply, note or reassignment changed the ticket then; and the replies of the ten seconds before
     * it, with their HDE post ids and when each was recorded sent (the dispatcher sends their
     * webhooks back to us; notes are comments, which fire no rule). One index lookup.
     */
    async newestSent(integrationId: string, ticketId: number): Promise<NewestSend | undefined> {
      const rows = await db.query<{ at: Date | null; posts: Array<{ postId: string; at: string }> }>(
        `WITH sent AS (
           SELECT finished_at, kind, hde_ref FROM send_ledger WHERE integration_id = $1 AND ticket_id = $2 AND state = 'sent')
         SELECT newest.at,
                ARRAY(SELECT json_build_object('postId', hde_ref, 'at', finished_at) FROM sent
                      WHERE kind = 'reply' AND hde_ref ~ '^[0-9]{1,15}$'
                        AND finished_at >= newest.at - interval '10 seconds') AS posts
         FROM (SELECT max(finished_at) AS at FROM sent) newest`,
        [integrationId, ticketId],
      );
      const row = rows[0];
      if (!row?.at) return undefined;
      return { at: row.at, posts: row.posts.map((p) => ({ postId: Number(p.postId), at: new Date(p.at) })) };
    },

    /** Entries that need an admin's eye. */
    async quarantined(integrationId?: string): Promise<LedgerEntry[]> {
      const rows = await db.query(
        `SELECT * FROM send_ledger WHERE state = 'quarantined' AND ($1::uuid IS NULL OR integration_id = $1) ORDER BY id DESC LIMIT 200`,
        [integrationId ?? null],
      );
      return rows.map(toEntry);
    },
  };
}
/** See {@link createLedgerRepo}. */
export type LedgerRepo = ReturnType<typeof createLedgerRepo>;
