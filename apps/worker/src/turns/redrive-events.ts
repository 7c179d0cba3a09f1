import { jobIds, type Producer } from '@repo/queue';
import type { RedriveRepo } from '@repo/store';

/**
 * Drives again the integration's accepted events that were never processed: their classify job
 * failed for good, was lost, or never got added. BullMQ keeps a failed job (and its id) for days, so
 * adding the same id again would be ignored: a finished job is removed first. A job still waiting,
 * delayed or running is left alone. Returns how many events were enqueued again.
 */
export async function redriveUnprocessedEvents(deps: {
  redrive: Pick<RedriveRepo, 'unprocessedEvents'>;
  classify: Pick<Producer<'classify'>, 'add' | 'queue'>;
  integrationId: string;
  olderThanMs: number;
  limit?: number;
}): Promise<number> {
  let redriven = 0;
  for (const eventId of await deps.redrive.unprocessedEvents(deps.integrationId, deps.olderThanMs, deps.limit ?? 100)) {
    const jobId = jobIds.classify({ eventId });
    const job = await deps.classify.queue.getJob(jobId);
    if (job) {
      const state = await job.getState();
      if (state !== 'failed' && state !== 'completed' && state !== 'unknown') continue;
      await job.remove();
    }
    await deps.classify.add({ integrationId: deps.integrationId, eventId }, { jobId });
    redriven += 1;
  }
  return redriven;
}
