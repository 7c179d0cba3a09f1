import type { Logger } from '@repo/logger';
import { jobIds, type Producer } from '@repo/queue';
import type { Integration, IntegrationsRepo } from '@repo/store';

/**
 * Enqueues a periodic job (sweep or KB sync) per enabled integration every interval. The job id
 * carries the interval's slot number, so several worker processes running the scheduler enqueue each
 * job once.
 */
export function startSweepScheduler(options: {
  integrations: Pick<IntegrationsRepo, 'list'>;
  producer: Pick<Producer<'sweep'>, 'add'> | Pick<Producer<'sync'>, 'add'>;
  kind: 'sweep' | 'sync';
  intervalMs: number;
  logger: Logger;
  /** Which integrations get the job (default: every enabled one). */
  wants?: (integration: Integration) => boolean;
}) {
  const tick = async () => {
    const slot = Math.floor(Date.now() / options.intervalMs);
    for (const integration of await options.integrations.list()) {
      if (!integration.enabled || (options.wants && !options.wants(integration))) continue;
      const data = { integrationId: integration.id };
      await options.producer.add(data, { jobId: jobIds[options.kind](data, slot) });
    }
  };
  const timer = setInterval(() => {
    tick().catch((error: unknown) => options.logger.warn('Scheduling failed', { kind: options.kind, error }));
  }, options.intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer), tick };
}
