import { createHdeClient, isHdeApiError, type HdeClient } from '@repo/hde-client';
import type { Logger } from '@repo/logger';
import type { Integration, IntegrationsRepo } from '@repo/store';
import { AccountPausedError, accountKeyOf, type AccountBudgets } from './account-budget';

/** Options of {@link createHdeClients}. */
export type HdeClientsOptions = {
  integrations: Pick<IntegrationsRepo, 'credentials'>;
  budgets: AccountBudgets;
  logger: Logger;
  connectTimeoutMs: number;
  timeoutMs: number;
  tzOffsetMinutes: number;
  /** Allow http and private addresses in base URLs (simulator, on-premises HDE). */
  allowPrivateNetwork: boolean;
};

/**
 * Wraps a client so that a 429 or a ban seen on any call — a read in classify or the sweep as much
 * as a reply — pauses the whole account and surfaces as {@link AccountPausedError}: the job waits
 * without spending an attempt, and the account's other jobs stop calling HDE until the pause ends.
 * Such a refusal never landed, so a send in progress treats it as "not sent".
 */
function pausingOnBan(client: HdeClient, account: string, budgets: AccountBudgets): HdeClient {
  return new Proxy(client, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const result = (value as (...a: unknown[]) => unknown).apply(target, args);
        if (!(result instanceof Promise)) return result;
        return result.catch(async (error: unknown) => {
          if (isHdeApiError(error) && (error.reason === 'banned' || error.reason === 'rate_limited')) {
            const ms = error.retryAfterMs ?? (error.reason === 'banned' ? budgets.banPauseMs : 60_000);
            await budgets.pause(account, ms);
            throw new AccountPausedError(Date.now() + ms, error.reason);
          }
          throw error;
        });
      };
    },
  });
}

/**
 * Hands out one HDE client per integration, built on first use with credentials decrypted right
 * then, and rebuilt when the integration's settings change. Every client spends its account's
 * shared budget.
 */
export function createHdeClients(options: HdeClientsOptions) {
  const cache = new Map<string, { version: string; client: HdeClient }>();
  return {
    async forIntegration(integration: Integration): Promise<HdeClient> {
      const version = `${integration.hdeBaseUrl}|${integration.adminEmail}|${integration.rateLimitPerMinute}`;
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
        tzOffsetMinutes: options.tzOffsetMinutes,
        allowPrivateNetwork: options.allowPrivateNetwork,
        budget: options.budgets.forAccount(account, integration.rateLimitPerMinute),
        logger: options.logger,
      });
      const client = pausingOnBan(raw, account, options.budgets);
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
