import type { KbWriter, UpsertOutcome } from '../kb.repo';
import { ArticleTooLargeError, checkArticleSize } from '../article-limits';
import { settleImport } from './markdown-folder';

/** Whether an article is over the knowledge base's size limits (see `ARTICLE_LIMITS`). */
function tooLarge(article: { title: string; body: string; tags: readonly string[] }): boolean {
  try {
    checkArticleSize(article);
    return false;
  } catch (error) {
    if (error instanceof ArticleTooLargeError) return true;
    throw error;
  }
}

/** An article as a remote knowledge base (e.g. HDE's) lists it, texts per language. */
export type RemoteArticle = {
  id: number | string;
  title: Readonly<Record<string, string>>;
  body: Readonly<Record<string, string>>;
  tags: Readonly<Record<string, string[]>>;
  categoryIds: number[];
  /** Who may read it at the source (`public`, `user`, `staff`); absent when the source has no such notion. */
  access?: string;
  /** A draft only its author sees. */
  showMeOnly?: boolean;
};

/** What a sync did; `restricted` counts articles left out (or removed) for their access. */
export type SyncReport = Record<UpsertOutcome | 'deleted' | 'skipped' | 'restricted', number> & { complete: boolean; pages: number };

/**
 * Whether an article may be imported: whatever is imported may be quoted to a customer, so only the
 * access levels asked for (by default `public`), in categories of those levels, and never a draft.
 */
function readable(article: RemoteArticle, access: readonly string[], categoryAccess: ReadonlyMap<number, string> | undefined): boolean {
  if (article.showMeOnly) return false;
  if (article.access !== undefined && !access.includes(article.access)) return false;
  return article.categoryIds.every((id) => {
    const level = categoryAccess?.get(id);
    return level === undefined || access.includes(level);
  });
}

/** The text in the wanted language, else Russian, else any. */
function pick(localised: Readonly<Record<string, string>>, language: string): string {
  return localised[language] ?? localised.ru ?? Object.values(localised).find((v) => v.trim() !== '') ?? '';
}

/**
 * Copies a remote knowledge base into a skill, page by page. Unchanged articles cost nothing (content
 * hashes), changed ones are re-indexed, and articles gone from the source are deleted — only after a
 * complete listing, so a partial run never deletes what it did not see.
 */
export async function syncRemoteKb(input: {
  kb: KbWriter;
  skillId: string;
  source: string;
  language: string;
  categoryIds: number[];
  /** Access levels imported; default `['public']`. */
  access?: readonly string[];
  /** Access level of each source category, when the source has them. */
  categoryAccess?: ReadonlyMap<number, string>;
  /**
   * Categories whose articles are never imported unless `categoryIds` names them (the source's
   * system categories, e.g. HDE's reply templates): left out like a restricted article.
   */
  excludedCategoryIds?: readonly number[];
  maxPages: number;
  listPage: (page: number) => Promise<{ items: RemoteArticle[]; totalPages: number }>;
  urlOf?: (article: RemoteArticle) => string | null;
}): Promise<SyncReport> {
  const report: SyncReport = { created: 0, updated: 0, unchanged: 0, deleted: 0, skipped: 0, restricted: 0, complete: false, pages: 0 };
  const access = input.access ?? ['public'];
  const seen: string[] = [];
  for (let page = 1; page <= input.maxPages; page += 1) {
    const list = await input.listPage(page);
    report.pages = page;
    for (const article of list.items) {
      // Left out of `seen`, an article that lost its public access is deleted after a complete listing.
      const excluded = article.categoryIds.some((c) => input.excludedCategoryIds?.includes(c) && !input.categoryIds.includes(c));
      if (excluded || !readable(article, access, input.categoryAccess)) {
        report.restricted += 1;
        continue;
      }
      const wanted = input.categoryIds.length === 0 || article.categoryIds.some((c) => input.categoryIds.includes(c));
      const title = pick(article.title, input.language).trim();
      const body = pick(article.body, input.language);
      if (!wanted || !title || !body.trim()) {
        report.skipped += 1;
        continue;
      }
      seen.push(String(article.id));
      if (tooLarge({ title, body, tags: article.tags[input.language] ?? article.tags.ru ?? [] })) {
        // Kept as stored (it stays in `seen`), never half-imported; the report counts it.
        report.skipped += 1;
        continue;
      }
      const { outcome } = await input.kb.upsertArticle({
        skillId: input.skillId,
        source: input.source,
        externalId: String(article.id),
        title,
        body,
        bodyFormat: 'html',
        tags: article.tags[input.language] ?? article.tags.ru ?? [],
        language: input.language,
        // Replies cite this address to customers: only an article everyone may open has one.
        url: readable(article, ['public'], input.categoryAccess) ? (input.urlOf?.(article) ?? null) : null,
      });
      report[outcome] += 1;
    }
    if (page >= list.totalPages || list.items.length === 0) {
      report.complete = true;
      break;
    }
  }
  if (report.complete) report.deleted = await input.kb.deleteMissing(input.skillId, input.source, seen);
  await settleImport(input.kb, report);
  return report;
}
