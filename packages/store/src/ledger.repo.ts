import type { Db } from './db';

/** A mutating call to HDE. */
export type LedgerKind = 'reply' | 'note' | 'assign' | 'status' | 'tags' | 'custom_fields' | 'enrich';
/**
 * planned → sending → sent; a call that may have landed is `ambiguous` until reconciled (then sent,
 * or planned again to resend once); `quarantined` when reconciliation cannot tell; `failed` when HDE
 * refused it for good; `skipped` when a precondition no longer held.
 */
export type LedgerState = 'planned' | 'sending' | 'sent' | 'ambiguous' | 'failed' | 'quarantined' | 'skipped';

/** One ledger row. */
export type LedgerEntry = {
  id: number;
  integrationId: string;
  dialogId: number | null;
  ticketId: number;
  actionKey: string;
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
function toEntry(r: any): LedgerEntry {
  return {
    id: r.id, integrationId: r.integration_id, dialogId: r.dialog_id, ticketId: r.ticket_id, actionKey: r.action_key,
    kind: r.kind, state: r.state, request: r.request, marker: r.marker, attempts: r.attempts, startedAt: r.started_at,
    finishedAt: r.finished_at, hdeRef: r.hde_ref, error: r.error,
  };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Repository of the send ledger: every mutating HDE call, keyed so it happens once. */
export function createLedgerRepo(db: Db) {
  return {
    /**
     * Plans an action, or returns the existing row for the same key. The request (e.g. the reply
     * text) is stored before sending, so a rerun sends the same thing and never recomposes it.
     */
    async plan(input: { integrationId: string; dialogId: number | null; ticketId: number; actionKey: string; kind: LedgerKind; request: Record<string, unknown>; marker?: string }): Promise<LedgerEntry> {
      await db.query(
        `INSERT INTO send_ledger (integration_id, dialog_id, ticket_id, action_key, kind, request, marker)
         VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT (integration_id, action_key) DO NOTHING`,
        [input.integrationId, input.dialogId, input.ticketId, input.actionKey, input.kind, JSON.stringify(input.request), input.marker ?? null],
      );
      const rows = await db.query('SELECT * FROM send_ledger WHERE integration_id = $1 AND action_key = $2', [input.integrationId, input.actionKey]);
      return toEntry(rows[0]);
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
     * both send. Returns false when the entry was not in `planned`.
     */
    async beginSend(id: number): Promise<boolean> {
      const rows = await db.query(
        `UPDATE send_ledger SET state = 'sending', attempts = attempts + 1, started_at = now(), error = NULL
         WHERE id = $1 AND state = 'planned' RETURNING id`,
        [id],
      );
      return rows.length === 1;
    },

    /** Sets the outcome of a send. */
    async finish(id: number, state: Exclude<LedgerState, 'planned' | 'sending'>, detail: { hdeRef?: string | null; error?: string | null } = {}): Promise<void> {
      await db.query(
        `UPDATE send_ledger SET state = $2, hde_ref = COALESCE($3, hde_ref), error = $4,
           finished_at = CASE WHEN $2 IN ('sent','failed','quarantined','skipped') THEN now() ELSE finished_at END
         WHERE id = $1`,
        [id, state, detail.hdeRef ?? null, detail.error ?? null],
      );
    },

    /**
     * Returns an ambiguous entry to `planned` after reconciliation proved it did not land. With
     * `undoAttempt`, the call was refused before it could land (our budget, 429, ban): it does not
     * count as one of the entry's sends.
     */
    async replan(id: number, options: { undoAttempt?: boolean } = {}): Promise<void> {
      await db.query(
        `UPDATE send_ledger SET state = 'planned', attempts = CASE WHEN $2 THEN GREATEST(attempts - 1, 0) ELSE attempts END
         WHERE id = $1 AND state IN ('ambiguous', 'sending')`,
        [id, options.undoAttempt === true],
      );
    },

    /** Marks a `sending` row as ambiguous (used when a worker died mid-call and the row is found later). */
    async markAmbiguous(id: number, error: string): Promise<void> {
      await db.query(`UPDATE send_ledger SET state = 'ambiguous', error = $2 WHERE id = $1 AND state = 'sending'`, [id, error]);
    },

    /** Entries of a dialog, in order. */
    async forDialog(dialogId: number): Promise<LedgerEntry[]> {
      const rows = await db.query('SELECT * FROM send_ledger WHERE dialog_id = $1 ORDER BY id', [dialogId]);
      return rows.map(toEntry);
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
