import { parseIntegrationSettings } from '@repo/domain';
import { createHdeClient, HDE_SYSTEM_KB_CATEGORY_IDS } from '@repo/hde-client';
import { syncRemoteKb, type Store, type SyncReport } from '@repo/store';
import { SetupError } from './setup.command';
import type { CliBudgets } from './hde-budget';

/** Copies an integration's HDE knowledge base into its skill at once (the worker also does it on a schedule). */
export async function syncKbNow(
  store: Store,
  integrationId: string,
  options: { budgets: Pick<CliBudgets, 'forAccount'>; allowPrivateNetwork?: boolean },
): Promise<SyncReport> {
  const integration = await store.integrations.get(integrationId);
  if (!integration) throw new SetupError(`No integration ${integrationId}`);
  const credentials = await store.integrations.credentials(integrationId);
  if (!credentials) throw new SetupError('The integration has no credentials');
  const settings = parseIntegrationSettings(integration.settings);
  const language = (await store.organizations.getSkill(integration.skillId))?.language ?? 'ru';
  const hde = createHdeClient({
    baseUrl: integration.hdeBaseUrl,
    email: credentials.email,
    apiKey: credentials.apiKey,
    allowPrivateNetwork: options.allowPrivateNetwork,
    timeZone: settings.timeZone,
    // The budget the worker's calls to this account use: sync and worker together keep to its limit.
    budget: options.budgets.forAccount(integration.hdeBaseUrl, integration.rateLimitPerMinute, integration.id),
  });
  try {
    const categoryAccess = new Map((await hde.listKbCategories()).map((c) => [c.id, c.access]));
    return await syncRemoteKb({
      kb: store.kb,
      skillId: integration.skillId,
      source: 'hde',
      language,
      categoryIds: settings.kbSync.categoryIds,
      maxPages: 100,
      access: settings.kbSync.access,
      categoryAccess,
      excludedCategoryIds: HDE_SYSTEM_KB_CATEGORY_IDS,
      listPage: async (page) => {
        const list = await hde.listKbArticles({ page });
        return { items: list.items, totalPages: list.pagination.totalPages };
      },
      urlOf: (article) => `${integration.hdeBaseUrl}/${language}/knowledge_base/article/${article.id}`,
    });
  } finally {
    hde.close();
  }
}
