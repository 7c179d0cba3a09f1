import { Pool } from 'pg';
import type { HdeSim } from '@repo/hde-sim';
import { until } from './processes';

/** A decision as the demo reads it back from PostgreSQL. */
export type SeenDecision = { turnId: string; action: string | null; reasons: string[]; stage: string; result: unknown };

/** Reads what the pipeline recorded, to wait for it and to report it. */
export function createObserver(databaseUrl: string, integrationId: string) {
  const pool = new Pool({ connectionString: databaseUrl, max: 2 });
  const api = {
    /** Whether the ticket has nothing in flight: every event processed, no turn running or waiting. */
    async settled(ticketId: number): Promise<boolean> {
      const events = await pool.query(
        `SELECT count(*)::int AS open FROM webhook_events WHERE integration_id = $1 AND ticket_id = $2 AND processed_at IS NULL AND parse_status <> 'unparseable'`,
        [integrationId, ticketId],
      );
      if ((events.rows[0] as { open: number }).open > 0) return false;
      const dialog = await pool.query(
        `SELECT d.active_turn_id, (SELECT count(*)::int FROM messages m WHERE m.dialog_id = d.id AND m.status IN ('pending','in_turn')) AS waiting
         FROM dialogs d WHERE d.integration_id = $1 AND d.ticket_id = $2`,
        [integrationId, ticketId],
      );
      const row = dialog.rows[0] as { active_turn_id: string | null; waiting: number } | undefined;
      return row !== undefined && row.active_turn_id === null && row.waiting === 0;
    },
    /** Waits for the dispatcher's webhooks and then for the ticket to settle. */
    async waitSettled(sim: HdeSim, ticketId: number, timeoutMs = 30_000): Promise<void> {
      await sim.waitForDispatches();
      await until(() => api.settled(ticketId), `ticket ${ticketId} to settle`, timeoutMs);
      // Our own replies fire the dispatcher again; let those echoes settle too.
      await sim.waitForDispatches();
      await until(() => api.settled(ticketId), `ticket ${ticketId} to settle`, timeoutMs);
    },
    /** The decisions of a ticket, in order. */
    async decisions(ticketId: number): Promise<SeenDecision[]> {
      const rows = await pool.query(
        `SELECT x.turn_id, x.action, x.reasons, x.stage, x.result FROM decisions x JOIN dialogs d ON d.id = x.dialog_id
         WHERE d.integration_id = $1 AND d.ticket_id = $2 ORDER BY x.id`,
        [integrationId, ticketId],
      );
      return rows.rows.map((r: { turn_id: string; action: string | null; reasons: string[]; stage: string; result: unknown }) => ({
        turnId: r.turn_id,
        action: r.action,
        reasons: r.reasons,
        stage: r.stage,
        result: r.result,
      }));
    },
    /** The dialog's state (bot, handed_off, agent, closed). */
    async dialogState(ticketId: number): Promise<string | undefined> {
      const rows = await pool.query('SELECT state FROM dialogs WHERE integration_id = $1 AND ticket_id = $2', [integrationId, ticketId]);
      return (rows.rows[0] as { state: string } | undefined)?.state;
    },
    /** Sent public replies per the ledger. */
    async sentReplies(ticketId: number): Promise<number> {
      const rows = await pool.query(
        `SELECT count(*)::int AS n FROM send_ledger WHERE integration_id = $1 AND ticket_id = $2 AND kind = 'reply' AND state = 'sent'`,
        [integrationId, ticketId],
      );
      return (rows.rows[0] as { n: number }).n;
    },
    /** Merges settings into a skill's policy, as an admin would on the skill page. */
    async patchSkillSettings(skillId: string, patch: Record<string, unknown>): Promise<void> {
      await pool.query('UPDATE skills SET settings = settings || $2::jsonb WHERE id = $1', [skillId, JSON.stringify(patch)]);
    },
    close: () => pool.end(),
  };
  return api;
}
/** See {@link createObserver}. */
export type Observer = ReturnType<typeof createObserver>;
