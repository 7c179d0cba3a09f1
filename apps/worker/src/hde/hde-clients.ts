import { AppError, parseIntegrationSettings } from '@repo/domain';
import { createHdeClient, isHdeApiError, type HdeClient } from '@repo/hde-client';
import type { Logger } from '@repo/logger';
import { JobDelay } from '@repo/queue';
import type { Integration, IntegrationsRepo } from '@repo/store';
import { AccountPausedError, accountKeyOf, type AccountBudgets } from './account-budget';
import type { BanWatch } from '@repo/hde-client';

/** Options of {@link createHdeClients}. */
export type HdeClientsOptions = {
  integrations: Pick<IntegrationsRepo, 'credentials'>;
  budgets: AccountBudgets;
  /** Tells a ban in an unrecognised form from a wrong key; without it every unrecognised 403 is an auth error. */
  banWatch?: BanWatch;
  logger: Logger;
  connectTimeoutMs: number;
  timeoutMs: number;
  /** Allow http and private addresses in base URLs (simulator, on-premises HDE). */
  allowPrivateNetwork: boolean;
};

type Context = {
  account: string;
  integrationId: string;
  apiKey: string;
  budgets: AccountBudgets;
  banWatch: BanWatch | undefined;
  logger: Logger;
  /** Whether the integration still stores this client's key (an admin may have replaced it meanwhile). */
  keyIsCurrent: () => Promise<boolean>;
};

/**
 * A 401 or 403 that is not recognisably a ban: a wrong key, or a ban in a form we do not know (a
 * 401 with a bare `e-401` is one). From a key that has worked before it is handled as a suspected ban.
 */
const isUnrecognisedRefusal = (error: unknown): boolean =>
  isHdeApiError(error) && error.reason === 'auth' && (error.status === 401 || error.status === 403);

/**
 * After a suspected ban's pause, one process spends one cheap read to see whether HDE answers again;
 * only a refusal then is a ban that persists, and admins are told. Other processes wait meanwhile.
 */
async function probeIfSuspected(raw: HdeClient, ctx: Context): Promise<void> {
  const watch = ctx.banWatch;
  if (!watch) return;
  const suspected = await watch.suspected(ctx.account);
  if (!suspected) return;
  const pausedUntil = await ctx.budgets.pausedUntil(ctx.account);
  if (pausedUntil > 0) throw new AccountPausedError(pausedUntil, 'banned');
  if (!(await watch.takeProbe(ctx.account, 30_000))) throw new AccountPausedError(Date.now() + 5_000, 'banned');
  try {
    await raw.listStatuses();
  } catch (error) {
    await watch.releaseProbe(ctx.account);
    if (isUnrecognisedRefusal(error) || (isHdeApiError(error) && error.reason === 'banned')) {
      const refusedAt = Date.now();
      await ctx.budgets.pause(ctx.account, ctx.budgets.banPauseMs, refusedAt);
      if (!suspected.persists) {
        await watch.persists(ctx.account, suspected);
        ctx.logger.error('HDE still refuses the account after the ban pause: check the API key and the account', {
          integrationId: ctx.integrationId,
          account: ctx.account,
          since: new Date(suspected.since).toISOString(),
        });
      }
      throw new AccountPausedError(refusedAt + ctx.budgets.banPauseMs, 'banned');
    }
    throw error;
  }
  await watch.clear(ctx.account);
  await watch.releaseProbe(ctx.account);
  ctx.logger.info('HDE answers the account again after a suspected ban', { integrationId: ctx.integrationId, account: ctx.account });
}

/** How long a refused call waits for another process's probe before it is simply run again later. */
const PROBE_WAIT_MS = 3_000;
const PROBE_POLL_MS = 50;

/**
 * Whether HDE answers the account's other calls right now: one cheap read by the one process that
 * holds the probe. HDE filters what each user may do, so a bot account without a right (reassigning
 * tickets, a department's tickets) is refused that call only, while a ban refuses every call.
 * A call refused while another process probes waits for that probe's verdict (a job run twice at
 * once meets the same refusal twice, and taking the second for a ban would pause the account);
 * `undefined` when none came in time, or when the probe's read failed in a way that is no refusal.
 */
async function answersOtherCalls(raw: HdeClient, ctx: Context, watch: BanWatch, refusedAt: number): Promise<boolean | undefined> {
  const deadline = Date.now() + PROBE_WAIT_MS;
  for (;;) {
    // A verdict first: the probe that was running may have just ended and let go of the lock.
    const verdict = await watch.verdictSince(ctx.account, refusedAt);
    if (verdict !== undefined) return verdict;
    if (await watch.takeProbe(ctx.account, 30_000)) {
      try {
        const answers = await raw.listStatuses().then(
          () => true,
          // Only a refusal is a verdict; a timeout, a 5xx or our own budget says nothing of a ban.
          (error: unknown) => (isUnrecognisedRefusal(error) || (isHdeApiError(error) && error.reason === 'banned') ? false : undefined),
        );
        if (answers !== undefined) await watch.recordVerdict(ctx.account, { answers, at: Date.now() });
        return answers;
      } finally {
        await watch.releaseProbe(ctx.account);
      }
    }
    if (Date.now() >= deadline) return undefined;
    await new Promise((resolve) => setTimeout(resolve, PROBE_POLL_MS));
  }
}

/**
 * Wraps a client so that a 429 or a ban seen on any call — a read in classify or the sweep as much
 * as a reply — pauses the whole account and surfaces as {@link AccountPausedError}: the job waits
 * without spending an attempt, and the account's other jobs stop calling HDE until the pause ends.
 * Such a refusal never landed, so a send in progress treats it as "not sent". A 403 in an unknown
 * form pauses too when the key has worked before (a suspected ban, probed after the pause).
 */
function pausingOnBan(client: HdeClient, ctx: Context): HdeClient {
  const { account, budgets, banWatch } = ctx;
  return new Proxy(client, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      const fn = value as (...a: unknown[]) => unknown;
      // Counters and close() are local: no HDE call, nothing to watch.
      if (property === 'getStats' || property === 'resetStats' || property === 'getRateLimit' || property === 'close')
        return fn.bind(target);
      return async (...args: unknown[]) => {
        try {
          await probeIfSuspected(target, ctx);
          const result = await fn.apply(target, args);
          if (banWatch) await banWatch.keyWorked(ctx.integrationId, ctx.apiKey);
          return result;
        } catch (error: unknown) {
          const refusedAt = Date.now();
          if (isHdeApiError(error) && (error.reason === 'banned' || error.reason === 'rate_limited')) {
            let ms: number;
            if (error.retryAfterMs !== undefined || error.reason === 'banned') {
              ms = error.retryAfterMs ?? budgets.banPauseMs;
              await budgets.pause(account, ms, refusedAt);
            } else {
              // A 429 that says nothing of how long: possibly a ban in another form, so each one in a row waits longer.
              ms = await budgets.pauseUntimed429(account, refusedAt);
              ctx.logger.warn('HDE answered 429 without Retry-After: account paused', {
                integrationId: ctx.integrationId,
                account,
                pauseMs: ms,
              });
            }
            // The pause stored and the one reported end at the same instant.
            throw new AccountPausedError(refusedAt + ms, error.reason);
          }
          if (banWatch && isUnrecognisedRefusal(error) && (await banWatch.hasWorked(ctx.integrationId, ctx.apiKey))) {
            // A key replaced in the admin app while this call was under way: the job runs again
            // with the new key; the account is not paused for it.
            if (!(await ctx.keyIsCurrent()))
              throw new AppError('hde_key_replaced', 'HDE refused a key the integration no longer uses', { retryable: true, cause: error });
            const answers = await answersOtherCalls(target, ctx, banWatch, refusedAt);
            // Undecided: the refused call never landed, so the job runs again shortly and asks anew.
            if (answers === undefined) throw new JobDelay(Date.now() + 5_000, 'hde_refusal_unsettled');
            if (answers) {
              // A missing right fails this call (a hand-off the bot may not make is reported), and
              // pausing the account for it would stall every ticket again at each retry.
              ctx.logger.warn('HDE refused one call of a working key: the bot account may lack a right for it', {
                integrationId: ctx.integrationId,
                endpoint: error instanceof Error && isHdeApiError(error) ? error.endpoint : undefined,
              });
              throw error;
            }
            await banWatch.suspect(account, ctx.integrationId);
            const pausedAt = Date.now();
            await budgets.pause(account, budgets.banPauseMs, pausedAt);
            ctx.logger.warn('HDE refused a key that worked before: suspected ban, account paused', {
              integrationId: ctx.integrationId,
              account,
              pauseMs: budgets.banPauseMs,
            });
            throw new AccountPausedError(pausedAt + budgets.banPauseMs, 'banned');
          }
          throw error;
        }
      };
    },
  });
}

/**
 * Hands out one HDE client per integration, built on first use with credentials decrypted right
 * then, and rebuilt when the integration's settings or its API key (`apiKeyVersion`) change. Every client spends its account's
 * shared budget and reads HDE's local dates in the integration's time zone.
 */
export function createHdeClients(options: HdeClientsOptions) {
  const cache = new Map<string, { version: string; client: HdeClient }>();
  return {
    async forIntegration(integration: Integration): Promise<HdeClient> {
      const { timeZone } = parseIntegrationSettings(integration.settings);
      // The key version is part of it: a key replaced in the admin app is used from the next job on.
      const version = `${integration.hdeBaseUrl}|${integration.adminEmail}|${integration.rateLimitPerMinute}|${timeZone}|${integration.apiKeyVersion}`;
      const cached = cache.get(integration.id);
      if (cached && cached.version === version) return cached.client;
      cached?.client.close();
      const credentials = await options.integrations.credentials(integration.id);
      if (!credentials) throw new Error('Integration has no credentials');
      const account = accountKeyOf(integration.hdeBaseUrl);
      const raw = createHdeClient({
        baseUrl: integration.hdeBaseUrl,
        email: credentials.email,
        apiKey: credentials.apiKey,
        connectTimeoutMs: options.connectTimeoutMs,
        timeoutMs: options.timeoutMs,
        timeZone,
        allowPrivateNetwork: options.allowPrivateNetwork,
        budget: options.budgets.forAccount(account, integration.rateLimitPerMinute, integration.id),
        logger: options.logger,
      });
      const client = pausingOnBan(raw, {
        account,
        integrationId: integration.id,
        apiKey: credentials.apiKey,
        budgets: options.budgets,
        banWatch: options.banWatch,
        logger: options.logger,
        keyIsCurrent: async () => (await options.integrations.credentials(integration.id))?.apiKey === credentials.apiKey,
      });
      cache.set(integration.id, { version, client });
      return client;
    },
    /** Requests made by every client so far, by integration. */
    stats() {
      return Object.fromEntries([...cache.entries()].map(([id, c]) => [id, c.client.getStats().requests]));
    },
    close() {
      for (const { client } of cache.values()) client.close();
      cache.clear();
    },
  };
}
/** See {@link createHdeClients}. */
export type HdeClients = ReturnType<typeof createHdeClients>;
