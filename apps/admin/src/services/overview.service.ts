import { parseIntegrationSettings } from '@repo/domain';
import { accountKeyOf, checkTimeZoneFromWebhooks, type SuspectedBan, type TimeZoneCheck } from '@repo/hde-client';
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
): Promise<{
  from: Date;
  to: Date;
  stats: OverviewStats;
  queues: QueueDepth[];
  ban?: SuspectedBan;
  zone?: ZoneMismatch;
  /** The HDE rule seems to send customers' posts only (see `events.looksCustomerOnly`). */
  customerOnlyRule?: true;
}> {
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
  const from = new Date(to.getTime() - days * 86400_000);
  const [stats, queues, ban, zone, customerOnly] = await Promise.all([
    deps.admin.dialogs.overview(integration.id, from, to),
    queueDepths(deps),
    persistingBan(deps, integration),
    zoneMismatch(deps, integration, now),
    deps.store.events.looksCustomerOnly(integration.id),
  ]);
  return {
    from,
    to,
    stats,
    queues,
    ...(ban ? { ban } : {}),
    ...(zone ? { zone } : {}),
    ...(customerOnly ? { customerOnlyRule: true as const } : {}),
  };
}

/** The integration's time zone and the offset its webhooks' dates show instead. */
export type ZoneMismatch = { timeZone: string } & Required<Pick<TimeZoneCheck, 'suggestedOffsetMinutes'>> &
  Pick<TimeZoneCheck, 'suggestedZones'>;

/**
 * Whether the integration's recent webhooks date their posts in another zone than the one it is set
 * to (`checkTimeZoneFromWebhooks`): set up in the wrong zone, the sweep asks HDE for the wrong hours
 * and finds nothing it missed, and working hours are off by as much.
 */
export async function zoneMismatch(deps: AppDeps, integration: Integration, now = new Date()): Promise<ZoneMismatch | undefined> {
  const { timeZone } = parseIntegrationSettings(integration.settings);
  const check = checkTimeZoneFromWebhooks(await deps.store.events.recentPostDates(integration.id), timeZone, now.getTime());
  if (!check?.contradicts || check.suggestedOffsetMinutes === undefined) return undefined;
  return { timeZone, suggestedOffsetMinutes: check.suggestedOffsetMinutes, suggestedZones: check.suggestedZones };
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
