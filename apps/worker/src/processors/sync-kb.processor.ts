import { parseIntegrationSettings } from '@repo/domain';
import { HDE_SYSTEM_KB_CATEGORY_IDS, type HdeClient } from '@repo/hde-client';
import type { JobHandler } from '@repo/queue';
import { syncRemoteKb, type Integration, type IntegrationsRepo, type KbWriter, type OrganizationsRepo } from '@repo/store';

/** Dependencies of the KB sync stage. */
export type SyncKbDeps = {
  integrations: Pick<IntegrationsRepo, 'get'>;
  organizations: Pick<OrganizationsRepo, 'getSkill'>;
  kb: KbWriter;
  hde: { forIntegration(integration: Integration): Promise<Pick<HdeClient, 'listKbArticles' | 'listKbCategories'>> };
  /** At most this many pages per run (a page is one request of the account's budget). */
  maxPages: number;
};

/** kb-sync: keeps the integration's skill in step with the HDE account's knowledge base (source `hde`). */
export const createSyncKbHandler =
  (deps: SyncKbDeps): JobHandler<'sync'> =>
  async (data, { logger }) => {
    const integration = await deps.integrations.get(data.integrationId);
    if (!integration) return { outcome: 'missing' };
    const settings = parseIntegrationSettings(integration.settings);
    const language = (await deps.organizations.getSkill(integration.skillId))?.language ?? 'ru';
    const hde = await deps.hde.forIntegration(integration);
    const categoryAccess = new Map((await hde.listKbCategories()).map((c) => [c.id, c.access]));
    const report = await syncRemoteKb({
      kb: deps.kb,
      skillId: integration.skillId,
      source: 'hde',
      language,
      categoryIds: settings.kbSync.categoryIds,
      maxPages: deps.maxPages,
      access: settings.kbSync.access,
      categoryAccess,
      excludedCategoryIds: HDE_SYSTEM_KB_CATEGORY_IDS,
      listPage: async (page) => {
        const list = await hde.listKbArticles({ page });
        return { items: list.items, totalPages: list.pagination.totalPages };
      },
      urlOf: (article) => `${integration.hdeBaseUrl}/${language}/knowledge_base/article/${article.id}`,
    });
    logger.info('Knowledge base synced from HDE', { integrationId: integration.id, ...report });
    return { outcome: report.complete ? 'synced' : 'partial', ...report };
  };
