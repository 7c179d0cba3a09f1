import type { JobHandler } from '@repo/queue';
import type { RetentionPolicy, RetentionRepo } from '@repo/store';

/** Dependencies of the retention job. */
export type RetentionDeps = { retention: Pick<RetentionRepo, 'purge'>; policy: RetentionPolicy };

/**
 * retention: removes what is past its configured retention — raw webhook bodies, old messages of
 * idle dialogs, expired admin sessions. Run by a BullMQ job scheduler, so several worker processes
 * still purge once per interval.
 */
export const createRetentionHandler =
  (deps: RetentionDeps): JobHandler<'retention'> =>
  async (_data, { logger }) => {
    const removed = await deps.retention.purge(deps.policy);
    logger.info('Retention purge done', { ...removed });
    return { outcome: 'purged', ...removed };
  };
