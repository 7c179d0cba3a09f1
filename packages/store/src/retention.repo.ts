import type { Db } from './db';

/** How long each kind of stored data is kept, in days (0 = forever). */
export type RetentionPolicy = {
  /** Raw bodies of webhook events (kept only for bodies that did not parse cleanly). */
  rawBodyDays: number;
  /** Dialog messages (customer text) of dialogs no turn is running on. */
  messageDays: number;
  /** Admin sessions past their expiry. */
  expiredSessionDays: number;
};

/** What one retention run removed. */
export type RetentionResult = { rawBodies: number; messages: number; sessions: number };

/**
 * Removes data past its retention, in bounded batches so one run never holds long locks: webhook
 * raw bodies are cleared (the event row and its outcome stay), old messages of idle dialogs are
 * deleted, and expired admin sessions are deleted.
 */
export function createRetentionRepo(db: Db) {
  const batched = async (sql: string, params: unknown[], batch: number, maxBatches: number): Promise<number> => {
    let total = 0;
    for (let i = 0; i < maxBatches; i += 1) {
      const rows = await db.query(sql, [...params, batch]);
      total += rows.length;
      if (rows.length < batch) break;
    }
    return total;
  };
  return {
    /** Applies the policy; `batch` rows per statement, at most `maxBatches` statements per kind. */
    async purge(policy: RetentionPolicy, options: { batch?: number; maxBatches?: number } = {}): Promise<RetentionResult> {
      const batch = options.batch ?? 1000;
      const maxBatches = options.maxBatches ?? 50;
      const rawBodies =
        policy.rawBodyDays > 0
          ? await batched(
              `UPDATE webhook_events SET raw_body = NULL WHERE id IN (
               SELECT id FROM webhook_events WHERE raw_body IS NOT NULL
                 AND received_at < now() - make_interval(days => $1::int) LIMIT $2) RETURNING id`,
              [policy.rawBodyDays],
              batch,
              maxBatches,
            )
          : 0;
      // Messages still waiting for or inside a turn are never removed, whatever their age.
      const messages =
        policy.messageDays > 0
          ? await batched(
              `DELETE FROM messages WHERE id IN (
               SELECT m.id FROM messages m JOIN dialogs d ON d.id = m.dialog_id
               WHERE m.created_at < now() - make_interval(days => $1::int)
                 AND m.status NOT IN ('pending', 'in_turn') AND d.active_turn_id IS NULL LIMIT $2) RETURNING id`,
              [policy.messageDays],
              batch,
              maxBatches,
            )
          : 0;
      const sessions =
        policy.expiredSessionDays > 0
          ? await batched(
              `DELETE FROM admin_sessions WHERE id_hash IN (
               SELECT id_hash FROM admin_sessions WHERE expires_at < now() - make_interval(days => $1::int) LIMIT $2) RETURNING user_id`,
              [policy.expiredSessionDays],
              batch,
              maxBatches,
            )
          : 0;
      return { rawBodies, messages, sessions };
    },
  };
}
/** See {@link createRetentionRepo}. */
export type RetentionRepo = ReturnType<typeof createRetentionRepo>;
