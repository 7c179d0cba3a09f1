import { AppError } from '@repo/domain';
import { JobDelay } from '@repo/queue';

/**
 * How long a classify job waits, without spending attempts, for its event's row. The ingress writes
 * the row and the job at once, so a row is normally visible within milliseconds; one PostgreSQL
 * refused (down, read-only after a failover, a full disk) is in the ingress's spool and comes when
 * the spool is replayed, after the outage. Past this, attempts count and the job may fail; the sweep
 * drives the event again once it is stored.
 */
export const UNSTORED_EVENT_WAIT_MS = 10 * 60_000;

/**
 * What a classify job whose event is not stored yet throws: while the job is younger than
 * {@link UNSTORED_EVENT_WAIT_MS}, a {@link JobDelay} growing with its age (a quarter of a second at
 * first, for the ordinary race with the ingress's commit; at most 30 s, so thousands of spooled
 * webhooks do not poll the database every second); later, a retryable error that spends an attempt.
 */
export function unstoredEventError(enqueuedAt: number | undefined, now = Date.now()): JobDelay | AppError {
  const ageMs = enqueuedAt === undefined ? 0 : Math.max(0, now - enqueuedAt);
  if (ageMs < UNSTORED_EVENT_WAIT_MS) return new JobDelay(now + Math.min(Math.max(ageMs / 2, 250), 30_000), 'event_not_stored_yet');
  return new AppError('event_not_stored_yet', 'The event of this job is not stored yet', { retryable: true });
}
