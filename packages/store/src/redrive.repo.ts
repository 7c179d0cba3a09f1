import type { Db } from './db';

/** One failure for good of an event's processing, as {@link RedriveRepo.recordFailure} records it. */
export type EventFailure = {
  /** What kind of error (name and code): the same class failing again counts as a repeat. */
  errorClass: string;
  /** The error's message, for admins (cut short). */
  error: string;
  /** The error says it never goes away by itself (a non-retryable typed error): quarantine at once. */
  permanent: boolean;
  /** Repeats of the same error class after which the event is quarantined. */
  quarantineAfter: number;
};

/** What became of an event after a failure was recorded. */
export type EventFailureResult = {
  /** Consecutive failures with this error class. */
  failures: number;
  /** Set aside: marked processed (outcome `quarantined`), never driven again by the sweep. */
  quarantined: boolean;
  ticketId: number | null;
  payload: Record<string, unknown> | null;
};

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
         WHERE integration_id = $1 AND processed_at IS NULL AND quarantined_at IS NULL
           AND received_at < now() - make_interval(secs => $2::double precision / 1000)
         ORDER BY received_at LIMIT $3`,
        [integrationId, olderThanMs, limit],
      );
      return rows.map((r) => r.id);
    },

    /**
     * Records that processing the event failed for good (its job's attempts spent, or an error that
     * never goes away). The same error class failing `quarantineAfter` times in a row, or a permanent
     * error at once, quarantines the event: it is marked processed with outcome `quarantined`, so no
     * sweep drives it again. An event already processed is left alone (returns undefined).
     */
    async recordFailure(integrationId: string, eventId: string, failure: EventFailure): Promise<EventFailureResult | undefined> {
      const rows = await db.query<{
        failures: number;
        quarantined: boolean;
        ticket_id: string | null;
        payload: Record<string, unknown> | null;
      }>(
        `WITH f AS (
           SELECT id, CASE WHEN last_error_class IS NOT DISTINCT FROM $2 THEN failures + 1 ELSE 1 END AS n
           FROM webhook_events WHERE id = $1 AND integration_id = $6 AND processed_at IS NULL FOR UPDATE)
         UPDATE webhook_events e SET
           failures = f.n, last_error_class = $2, last_error = left($3, 500),
           quarantined_at = CASE WHEN $4 OR f.n >= $5 THEN now() END,
           processed_at = CASE WHEN $4 OR f.n >= $5 THEN now() END,
           outcome = CASE WHEN $4 OR f.n >= $5 THEN 'quarantined' END
         FROM f WHERE e.id = f.id
         RETURNING e.failures, e.quarantined_at IS NOT NULL AS quarantined, e.ticket_id, e.payload`,
        [eventId, failure.errorClass.slice(0, 200), failure.error, failure.permanent, failure.quarantineAfter, integrationId],
      );
      const r = rows[0];
      if (!r) return undefined;
      return {
        failures: r.failures,
        quarantined: r.quarantined,
        ticketId: r.ticket_id === null ? null : Number(r.ticket_id),
        payload: r.payload,
      };
    },

    /** How many events were quarantined (of one integration, or all). */
    async countQuarantined(integrationId?: string): Promise<number> {
      const rows = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM webhook_events WHERE quarantined_at IS NOT NULL AND ($1::uuid IS NULL OR integration_id = $1::uuid)',
        [integrationId ?? null],
      );
      return rows[0]?.n ?? 0;
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
