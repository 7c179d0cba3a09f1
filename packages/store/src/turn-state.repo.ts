import type { Db } from './db';
import { toDecision, type TurnDecision } from './decisions.repo';
import { toDialog, toMessage, type Dialog, type DialogMessage } from './dialogs.repo';
import { toEntry, type LedgerEntry } from './ledger.repo';

/**
 * How much of a dialog's history a stage reads: a ticket can collect thousands of posts (a long
 * agent conversation, a notification rule, a reopened ticket), and a turn needs only its own
 * messages, the recent ones (the model's context, a repeated question) and the recent decisions.
 */
export const TURN_STATE_LIMITS = { messages: 200, decisions: 100 } as const;

/** Everything a pipeline stage reads about a turn, read in one statement. */
export type TurnState = {
  dialog: Dialog | undefined;
  turn: TurnDecision | undefined;
  /** The dialog's newest {@link TURN_STATE_LIMITS}.messages messages and the turn's own, in order. */
  messages: DialogMessage[];
  /** The dialog's newest {@link TURN_STATE_LIMITS}.decisions decisions and the turn's own, in order. */
  decisions: TurnDecision[];
  /**
   * The turn's send ledger rows and its approved draft's row (`approved-<turnId>`), in order (with
   * `ledger: true` only; otherwise empty).
   */
  ledger: LedgerEntry[];
};

/** What the retrieve stage starts from (see `claim`). */
export type TurnClaim = {
  /**
   * False when the claim named an integration the dialog does not belong to (a job whose ids do not
   * go together): nothing was claimed or read then.
   */
  owned: boolean;
  /** The turn's decision, when an earlier run of the turn already recorded one. */
  existing: TurnDecision | undefined;
  /** The turn's customer messages, in order. */
  messages: DialogMessage[];
  /** The customer's latest question before the turn's, if any. */
  previousQuestion: string | undefined;
  /**
   * The dialog's `pending_seq` as this claim saw it (its snapshot's), when the messages were claimed
   * now: kept on the decision, it tells the turn's end whether anything arrived since.
   */
  claimedSeq: number | undefined;
};

// Rows travel as JSON, which has no timestamps: top-level `*_at` columns are turned back into dates
// so the same mappers as the repositories' produce the same objects.
function revive(row: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(row)) {
    if (key.endsWith('_at') && typeof value === 'string') row[key] = new Date(value);
  }
  return row;
}

/**
 * The turn's state for one stage in one round trip: the dialog, the turn's decision, the dialog's
 * messages and decisions, and optionally its send-ledger rows, instead of one query each.
 */
export function createTurnStateRepo(db: Db) {
  return {
    /**
     * The retrieve stage's one read: the turn's decision if it has one; otherwise every pending
     * customer message of the dialog is claimed into the turn (a burst becomes one question). Returns
     * the turn's messages — claimed now or by an earlier run of the turn — and the customer's latest
     * question before them, for a short follow-up.
     */
    async claim(dialogId: number, turnId: string, options: { integrationId?: string; again?: boolean } = {}): Promise<TurnClaim> {
      const rows = await db.query<{
        owned: boolean;
        existing: Record<string, unknown> | null;
        messages: Record<string, unknown>[];
        previous_question: string | null;
        pending_seq: number | null;
      }>(
        // Only a turn of this dialog (never another dialog's turn id), and with an integration only a
        // dialog of that integration.
        `WITH owned AS (
           SELECT 1 FROM dialogs WHERE id = $1 AND ($3::uuid IS NULL OR integration_id = $3)
             AND NOT EXISTS (SELECT 1 FROM decisions WHERE turn_id = $2 AND dialog_id <> $1)
         ),
         existing AS (SELECT * FROM decisions WHERE turn_id = $2 AND dialog_id = $1 AND EXISTS (SELECT 1 FROM owned)),
         claimed AS (
           UPDATE messages SET status = 'in_turn', turn_id = $2
           WHERE dialog_id = $1 AND status = 'pending' AND NOT EXISTS (SELECT 1 FROM existing) AND EXISTS (SELECT 1 FROM owned)
           RETURNING *
         ),
         turn_messages AS (
           SELECT * FROM claimed
           UNION ALL
           SELECT * FROM messages WHERE turn_id = $2 AND dialog_id = $1 AND id NOT IN (SELECT id FROM claimed) AND EXISTS (SELECT 1 FROM owned)
         )
         SELECT
           EXISTS (SELECT 1 FROM owned) AS owned,
           (SELECT to_jsonb(e) FROM existing e) AS existing,
           (SELECT COALESCE(jsonb_agg(to_jsonb(m) ORDER BY m.id), '[]'::jsonb) FROM turn_messages m) AS messages,
           (SELECT p.text FROM messages p
             WHERE p.dialog_id = $1 AND p.author_kind = 'customer' AND p.text <> ''
               AND p.id < (SELECT min(id) FROM turn_messages)
             ORDER BY p.id DESC LIMIT 1) AS previous_question,
           (SELECT pending_seq FROM dialogs WHERE id = $1) AS pending_seq`,
        [dialogId, turnId, options.integrationId ?? null],
      );
      const r = rows[0]!;
      if (r.owned && !r.existing && r.messages.length === 0 && !options.again) {
        // Nothing found may mean another run of this turn claimed the messages while this statement
        // waited for their rows: its snapshot predates that commit. Ask once more with a fresh one.
        return this.claim(dialogId, turnId, { ...options, again: true });
      }
      return {
        owned: r.owned,
        existing: r.existing ? toDecision(revive(r.existing)) : undefined,
        messages: r.messages.map((m) => toMessage(revive(m))),
        previousQuestion: r.previous_question ?? undefined,
        claimedSeq: r.existing ? undefined : (r.pending_seq ?? undefined),
      };
    },

    async read(dialogId: number, turnId: string, options: { ledger?: boolean } = {}): Promise<TurnState> {
      // The newest rows and the turn's older own rows are two index reads put together with UNION
      // ALL. Joining them back through `id IN (… UNION …)` let a generic plan cached while the tables
      // were small scan both tables whole on every call (hot-statement-plans.integration.test.ts).
      const rows = await db.query<{
        dialog: Record<string, unknown> | null;
        turn: Record<string, unknown> | null;
        messages: Record<string, unknown>[];
        decisions: Record<string, unknown>[];
        ledger: Record<string, unknown>[];
      }>(
        `SELECT
           (SELECT to_jsonb(d) FROM dialogs d WHERE d.id = $1) AS dialog,
           (SELECT to_jsonb(x) FROM decisions x WHERE x.turn_id = $2) AS turn,
           (SELECT COALESCE(jsonb_agg(to_jsonb(m) ORDER BY m.id), '[]'::jsonb) FROM (
              (SELECT * FROM messages WHERE dialog_id = $1 ORDER BY id DESC LIMIT $4)
              UNION ALL
              (SELECT * FROM messages WHERE turn_id = $2 AND dialog_id = $1 AND id < (
                 SELECT min(id) FROM (SELECT id FROM messages WHERE dialog_id = $1 ORDER BY id DESC LIMIT $4) recent))) m) AS messages,
           (SELECT COALESCE(jsonb_agg(to_jsonb(x) ORDER BY x.id), '[]'::jsonb) FROM (
              (SELECT * FROM decisions WHERE dialog_id = $1 ORDER BY id DESC LIMIT $5)
              UNION ALL
              (SELECT * FROM decisions WHERE turn_id = $2 AND dialog_id = $1 AND id < (
                 SELECT min(id) FROM (SELECT id FROM decisions WHERE dialog_id = $1 ORDER BY id DESC LIMIT $5) recent))) x) AS decisions,
           CASE WHEN $3 THEN (SELECT COALESCE(jsonb_agg(to_jsonb(l) ORDER BY l.id), '[]'::jsonb) FROM send_ledger l
              WHERE l.turn_id = $2 OR (l.dialog_id = $1 AND l.action_key = 'approved-' || $2))
             ELSE '[]'::jsonb END AS ledger`,
        [dialogId, turnId, options.ledger === true, TURN_STATE_LIMITS.messages, TURN_STATE_LIMITS.decisions],
      );
      const r = rows[0]!;
      return {
        dialog: r.dialog ? toDialog(revive(r.dialog)) : undefined,
        turn: r.turn ? toDecision(revive(r.turn)) : undefined,
        messages: r.messages.map((m) => toMessage(revive(m))),
        decisions: r.decisions.map((d) => toDecision(revive(d))),
        ledger: r.ledger.map((l) => toEntry(revive(l))),
      };
    },
  };
}
/** See {@link createTurnStateRepo}. */
export type TurnStateRepo = ReturnType<typeof createTurnStateRepo>;
