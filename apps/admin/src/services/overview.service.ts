import { accountKeyOf, type SuspectedBan } from '@repo/hde-client';
import type { Integration, OverviewStats } from '@repo/store';
import type { AppDeps } from '../deps';

/** Waiting, active, delayed and failed jobs of one queue. */
export type QueueDepth = { name: string; waiting: number; active: number; delayed: number; failed: number };

/** Depths of the pipeline's queues; a Redis failure shows as no depths rather than a broken page. */
export async function queueDepths(deps: AppDeps): Promise<QueueDepth[]> {
  try {
    return await Promise.all(
      deps.queues.map(async (q) => {
        const c = await q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized');
        return {
          name: q.name,
          waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
          active: c.active ?? 0,
          delayed: c.delayed ?? 0,
          failed: c.failed ?? 0,
        };
      }),
    );
  } catch (error) {
    deps.logger.warn('Queue depths unavailable', { error });
    return [];
  }
}

/** The overview of one integration over the last `days` days (today included). */
export async function overviewOf(
  deps: AppDeps,
  integration: Integration,
  days: number,
  now = new Date(),
): Promise<{ from: Date; to: Date; stats: OverviewStats; queues: QueueDepth[]; ban?: SuspectedBan }> {
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
  const from = new Date(to.getTime() - days * 86400_000);
  const [stats, queues, ban] = await Promise.all([
    deps.admin.dialogs.overview(integration.id, from, to),
    queueDepths(deps),
    persistingBan(deps, integration),
  ]);
  return { from, to, stats, queues, ...(ban ? { ban } : {}) };
}

/**
 * The HDE account's ban, once it outlived its pause and a probe was refused again (a first refusal
 * is only a suspicion the worker handles by itself). A Redis failure shows as no warning.
 */
export async function persistingBan(deps: AppDeps, integration: Integration): Promise<SuspectedBan | undefined> {
  if (!deps.banWatch) return undefined;
  try {
    const ban = await deps.banWatch.suspected(accountKeyOf(integration.hdeBaseUrl));
    return ban?.persists ? ban : undefined;
  } catch (error) {
    deps.logger.warn('Ban state unavailable', { error });
    return undefined;
  }
}
