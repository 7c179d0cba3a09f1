import { createHdeClient, type HdeClient } from '@repo/hde-client';
import type { Logger } from '@repo/logger';
import type { Integration, IntegrationsRepo } from '@repo/store';
import { accountKeyOf, type AccountBudgets } from './account-budget';

/** Options of {@link createHdeClients}. */
export type HdeClientsOptions = {
  integrations: Pick<IntegrationsRepo, 'credentials'>;
  budgets: AccountBudgets;
  logger: Logger;
  connectTimeoutMs: number;
  timeoutMs: number;
  tzOffsetMinutes: number;
};

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
      const client = createHdeClient({
        baseUrl: integration.hdeBaseUrl,
        email: credentials.email,
        apiKey: credentials.apiKey,
        connectTimeoutMs: options.connectTimeoutMs,
        timeoutMs: options.timeoutMs,
        tzOffsetMinutes: options.tzOffsetMinutes,
        budget: options.budgets.forAccount(accountKeyOf(integration.hdeBaseUrl), integration.rateLimitPerMinute),
        logger: options.logger,
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
