import type { Logger } from '@repo/logger';
import { jobIds, type Producer } from '@repo/queue';
import type { IntegrationsRepo } from '@repo/store';

/**
 * Enqueues a sweep per enabled integration every interval. The job id carries the interval's slot
 * number, so several worker processes running the scheduler enqueue each sweep once.
 */
export function startSweepScheduler(options: {
  integrations: Pick<IntegrationsRepo, 'list'>;
  sweep: Pick<Producer<'sweep'>, 'add'>;
  intervalMs: number;
  logger: Logger;
}) {
  const tick = async () => {
    const slot = Math.floor(Date.now() / options.intervalMs);
    for (const integration of await options.integrations.list()) {
      if (!integration.enabled) continue;
      await options.sweep.add({ integrationId: integration.id }, { jobId: jobIds.sweep({ integrationId: integration.id }, slot) });
    }
  };
  const timer = setInterval(() => {
    tick().catch((error: unknown) => options.logger.warn('Sweep scheduling failed', { error }));
  }, options.intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer), tick };
}
