import type { Db } from './db';

/** Finds accepted webhook events the pipeline never finished, so the sweep can drive them again. */
export function createRedriveRepo(db: Db) {
  return {
    /**
     * Events of an integration stored longer than `olderThanMs` ago and still not processed: their
     * classify job failed for good, was lost with Redis, or never got enqueued. Oldest first.
     */
    async unprocessedEvents(integrationId: string, olderThanMs: number, limit = 100): Promise<string[]> {
      const rows = await db.query<{ id: string }>(
        `SELECT id FROM webhook_events
         WHERE integration_id = $1 AND processed_at IS NULL
           AND received_at < now() - make_interval(secs => $2::double precision / 1000)
         ORDER BY received_at LIMIT $3`,
        [integrationId, olderThanMs, limit],
      );
      return rows.map((r) => r.id);
    },

    /** Whether an event of the ticket is stored and not processed yet. */
    async hasUnprocessed(integrationId: string, ticketId: number): Promise<boolean> {
      const rows = await db.query(
        'SELECT 1 FROM webhook_events WHERE integration_id = $1 AND ticket_id = $2 AND processed_at IS NULL LIMIT 1',
        [integrationId, ticketId],
      );
      return rows.length > 0;
    },
  };
}
/** See {@link createRedriveRepo}. */
export type RedriveRepo = ReturnType<typeof createRedriveRepo>;
