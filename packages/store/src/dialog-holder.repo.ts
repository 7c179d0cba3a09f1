import type { Db } from './db';
import { toDialog, type Dialog, type DialogState } from './dialogs.repo';
import { AGENT_QUIET, AGENT_REPLIED, RETURNED_IN_ADMIN, TAKEN_OVER_IN_ADMIN } from './holder-reasons';

/** One change of who holds a ticket made outside the pipeline: by a user in the admin app, or by the bot after a quiet period. */
export type HolderChange = {
  id: number;
  dialogId: number;
  fromState: DialogState;
  toState: DialogState;
  reason: string;
  /** Null for the bot's own change (or when the user was deleted since). */
  userId: string | null;
  userEmail: string | null;
  userName: string | null;
  createdAt: Date;
};

/** What a hand-over by hand did: the dialog as it is now, and whether it changed (false: its state did not allow it). */
export type HolderChangeResult = { changed: boolean; dialog: Dialog | undefined };

/* eslint-disable @typescript-eslint/no-explicit-any */
function toChange(r: any): HolderChange {
  return {
    id: Number(r.id),
    dialogId: Number(r.dialog_id),
    fromState: r.from_state,
    toState: r.to_state,
    reason: r.reason,
    userId: r.user_id,
    userEmail: r.user_email ?? null,
    userName: r.user_name ?? null,
    createdAt: r.created_at,
  };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/**
 * The end of a holder change's statement: the dialog as the CTE `d` changed it, or as it stands
 * when the change did not apply (`$1` is the dialog id), with whether it changed.
 */
const CHANGED_OR_AS_IT_STANDS = `SELECT d.*, true AS changed FROM d
         UNION ALL
         SELECT x.*, false AS changed FROM dialogs x WHERE x.id = $1 AND NOT EXISTS (SELECT 1 FROM d)`;

/** What {@link CHANGED_OR_AS_IT_STANDS} returned. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function holderResult(rows: any[]): HolderChangeResult {
  const row = rows[0];
  return { changed: row?.changed === true, dialog: row ? toDialog(row) : undefined };
}

/**
 * Who holds a ticket, changed by hand (take over, return to the bot) or by the quiet-period rule,
 * each change recorded in `dialog_holder_changes` in the same statement as the state it sets. Every
 * change is conditional on the state it starts from, so two people clicking at once, or a staff
 * reply arriving meanwhile, change the ticket once and never undo each other blindly.
 */
export function createDialogHolderRepo(db: Db) {
  return {
    /**
     * A person takes a ticket the bot holds: state `agent` (a human stepped in, as after a staff
     * reply; `handed_off` stays the bot's own hand-off) with reason `taken_over_in_admin`, which a
     * later staff reply keeps (see `setState`). Nothing is posted to HDE.
     */
    async takeOver(dialogId: number, userId: string | null): Promise<HolderChangeResult> {
      const rows = await db.query(
        `WITH d AS (
           UPDATE dialogs SET state = 'agent', handoff_reason = $3, last_agent_at = now(), updated_at = now()
           WHERE id = $1 AND state = 'bot'
           RETURNING *
         ), change AS (
           INSERT INTO dialog_holder_changes (dialog_id, from_state, to_state, reason, user_id)
           SELECT id, 'bot', 'agent', $3, $2 FROM d
         )
         ${CHANGED_OR_AS_IT_STANDS}`,
        [dialogId, userId, TAKEN_OVER_IN_ADMIN],
      );
      return holderResult(rows);
    },

    /**
     * A person gives a ticket a human holds (`agent` or `handed_off`) back to the bot, which answers
     * the customer's next message. Messages still waiting for a turn were written while the person
     * held the ticket: they are set `ignored` here, and `returned_at` lets a turn already under way
     * with such messages stay silent too. The ticket's status is left alone: one closed in HDE stays
     * closed (the bot answers once the customer writes into it again).
     */
    async returnToBot(dialogId: number, userId: string | null): Promise<HolderChangeResult> {
      const rows = await db.query(
        `WITH before AS (
           SELECT id, state FROM dialogs WHERE id = $1 AND state IN ('agent', 'handed_off') FOR UPDATE
         ), d AS (
           UPDATE dialogs x SET state = 'bot', handoff_reason = $3, returned_at = now(), updated_at = now()
           FROM before WHERE x.id = before.id
           RETURNING x.*
         ), old_pending AS (
           UPDATE messages SET status = 'ignored'
           WHERE dialog_id = $1 AND status = 'pending' AND EXISTS (SELECT 1 FROM d)
         ), change AS (
           INSERT INTO dialog_holder_changes (dialog_id, from_state, to_state, reason, user_id)
           SELECT id, state, 'bot', $3, $2 FROM before
         )
         ${CHANGED_OR_AS_IT_STANDS}`,
        [dialogId, userId, RETURNED_IN_ADMIN],
      );
      return holderResult(rows);
    },

    /**
     * The bot takes back a ticket after a staff reply and `quietMinutes` without another one
     * (`takeover.afterAgentReply: resume_after`). Only while the dialog is still as the caller saw
     * it: `agent` after a staff reply, with the same last staff reply, so a reply that arrived
     * meanwhile keeps the ticket the humans'. Returns whether the bot holds it now.
     */
    async resumeAfterQuiet(dialogId: number, lastAgentAt: Date): Promise<boolean> {
      const rows = await db.query(
        `WITH d AS (
           UPDATE dialogs SET state = 'bot', handoff_reason = $3, updated_at = now()
           WHERE id = $1 AND state = 'agent' AND handoff_reason = $4
             -- No staff reply after the one the caller saw (its Date holds milliseconds, the column microseconds).
             AND last_agent_at < $2::timestamptz + interval '1 millisecond'
           RETURNING id
         ), change AS (
           INSERT INTO dialog_holder_changes (dialog_id, from_state, to_state, reason) SELECT id, 'agent', 'bot', $3 FROM d
         )
         SELECT id FROM d`,
        [dialogId, lastAgentAt, AGENT_QUIET, AGENT_REPLIED],
      );
      return rows.length === 1;
    },

    /** A dialog's changes of holder, oldest first, with who made them. */
    async changes(dialogId: number, limit = 100): Promise<HolderChange[]> {
      const rows = await db.query(
        `SELECT * FROM (
           SELECT c.*, u.email AS user_email, u.name AS user_name FROM dialog_holder_changes c
           LEFT JOIN users u ON u.id = c.user_id WHERE c.dialog_id = $1 ORDER BY c.id DESC LIMIT $2) x
         ORDER BY id`,
        [dialogId, limit],
      );
      return rows.map(toChange);
    },
  };
}
/** See {@link createDialogHolderRepo}. */
export type DialogHolderRepo = ReturnType<typeof createDialogHolderRepo>;
