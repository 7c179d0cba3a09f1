import { parseIntegrationSettings } from '@repo/domain';
import { jobIds, type JobHandler, type Producer } from '@repo/queue';
import type { IntegrationsRepo } from '@repo/store';

/** Dependencies of the schedule stage. */
export type ScheduleTickDeps = {
  integrations: Pick<IntegrationsRepo, 'list'>;
  sweep: Pick<Producer<'sweep'>, 'add'>;
  sync: Pick<Producer<'sync'>, 'add'>;
  /** The interval of each recurring kind, in ms: the job id carries the interval's slot number. */
  intervalMs: { sweep: number; sync: number };
  now?: () => number;
};

/**
 * schedule: one firing of the deployment's sweep or KB-sync job scheduler. Enqueues that job for
 * every enabled integration (KB sync only where it is turned on); the job id carries the interval's
 * slot, so a repeated firing adds nothing twice.
 */
export const createScheduleTickHandler =
  (deps: ScheduleTickDeps): JobHandler<'schedule'> =>
  async (data) => {
    const interval = Math.max(1, deps.intervalMs[data.kind]);
    const slot = Math.floor((deps.now?.() ?? Date.now()) / interval);
    let queued = 0;
    for (const integration of await deps.integrations.list()) {
      if (!integration.enabled) continue;
      if (data.kind === 'sync' && !parseIntegrationSettings(integration.settings).kbSync.enabled) continue;
      const job = { integrationId: integration.id };
      if (data.kind === 'sweep') await deps.sweep.add(job, { jobId: jobIds.sweep(job, slot) });
      else await deps.sync.add(job, { jobId: jobIds.sync(job, slot) });
      queued += 1;
    }
    return { outcome: 'scheduled', kind: data.kind, queued };
  };
