import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  ARTICLE_LIMITS,
  importRecords,
  isSafeKbUrl,
  parseMarkdownArticle,
  readCsv,
  readJsonLines,
  settleImport,
  type UpsertOutcome,
} from '@repo/store';
import type { AppDeps } from '../deps';
import { invalid } from '../errors';
import { fieldErrorsOf, FormError } from './form-errors';

/** One article as the editor and the import accept it. */
export const ArticleSchema = z.object({
  title: z.string().trim().min(1).max(ARTICLE_LIMITS.titleChars),
  body: z.string().min(1).max(ARTICLE_LIMITS.bodyChars),
  tags: z.array(z.string().trim().min(1).max(ARTICLE_LIMITS.tagChars)).max(ARTICLE_LIMITS.tags).default([]),
  externalId: z.string().trim().min(1).max(200).optional(),
  url: z.string().url().refine(isSafeKbUrl, 'url must be an http or https address').nullable().optional(),
  language: z.enum(['ru', 'en', 'uk']).optional(),
  bodyFormat: z.enum(['markdown', 'html', 'text']).optional(),
});
/** See {@link ArticleSchema}. */
export type ArticleBody = z.infer<typeof ArticleSchema>;

/** Most articles one upload may hold: each is written in the request; larger knowledge bases go through the CLI. */
export const MAX_UPLOAD_ARTICLES = 2_000;

/** Articles written in the admin app live under this source; imports keep their own ids. */
export const MANUAL_SOURCE = 'manual';

/** Tags from a comma-separated field. */
export function splitTags(value: unknown): string[] {
  return typeof value === 'string'
    ? value
        .split(',')
        .map((t) => t.trim())
        .filter((t) => t.length > 0)
    : [];
}

/** Creates or replaces one article; what does not pass is a {@link FormError} per field. */
export async function saveArticle(
  deps: AppDeps,
  skillId: string,
  input: unknown,
  existing?: { source: string; externalId: string },
): Promise<{ id: number; outcome: UpsertOutcome }> {
  const parsed = ArticleSchema.safeParse(input);
  if (!parsed.success)
    throw new FormError(fieldErrorsOf(parsed.error, { title: 'form.articleTitle', body: 'form.articleBody', tags: 'form.articleTags' }));
  const a = parsed.data;
  return deps.store.kb.upsertArticle({
    skillId,
    source: existing?.source ?? MANUAL_SOURCE,
    externalId: existing?.externalId ?? a.externalId ?? randomUUID(),
    title: a.title,
    body: a.body,
    bodyFormat: a.bodyFormat ?? 'markdown',
    tags: a.tags,
    language: a.language ?? 'ru',
    url: a.url ?? null,
  });
}

/** Imports a batch of articles (upsert by external id, or by title when there is none). */
export async function importArticles(deps: AppDeps, skillId: string, input: unknown): Promise<Record<UpsertOutcome, number>> {
  if (Array.isArray(input) && input.length > MAX_UPLOAD_ARTICLES) throw invalid('kb.tooManyArticles', { count: MAX_UPLOAD_ARTICLES });
  const parsed = z.array(ArticleSchema).min(1).safeParse(input);
  if (!parsed.success) throw invalid();
  const counts: Record<UpsertOutcome, number> = { created: 0, updated: 0, unchanged: 0 };
  for (const a of parsed.data) {
    const { outcome } = await deps.store.kb.upsertArticle({
      skillId,
      source: 'import',
      externalId: a.externalId ?? a.title,
      title: a.title,
      body: a.body,
      bodyFormat: a.bodyFormat ?? 'markdown',
      tags: a.tags,
      language: a.language ?? 'ru',
      url: a.url ?? null,
    });
    counts[outcome] += 1;
  }
  await settleImport(deps.store.kb, { ...counts, deleted: 0 });
  return counts;
}

/**
 * Counts of an import: what was created, updated or left unchanged, out of how many records, and
 * every record that was rejected with where it is (`line 3`) and why.
 */
export type ImportCounts = Record<UpsertOutcome, number> & {
  failed: number;
  imported: number;
  total: number;
  rejected: Array<{ where: string; error: string }>;
};

function countsOf(counts: Record<UpsertOutcome, number>, rejected: ImportCounts['rejected'] = []): ImportCounts {
  const imported = counts.created + counts.updated + counts.unchanged;
  return { ...counts, failed: rejected.length, imported, total: imported + rejected.length, rejected };
}

/**
 * Imports pasted or uploaded text, recognising its format: a JSON array, JSON Lines, CSV with a
 * header row (id, title, body, tags, language, url), or one Markdown article (front matter optional).
 */
export async function importArticlesText(deps: AppDeps, skillId: string, text: string, fileName = ''): Promise<ImportCounts> {
  const trimmed = text.trim();
  if (!trimmed) throw invalid();
  const name = fileName.toLowerCase();
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      throw invalid();
    }
    return countsOf(await importArticles(deps, skillId, parsed));
  }
  const firstLine = trimmed.split('\n', 1)[0] ?? '';
  const isJsonLines = name.endsWith('.jsonl') || firstLine.trimStart().startsWith('{');
  const isCsv = name.endsWith('.csv') || (/\btitle\b/i.test(firstLine) && firstLine.includes(','));
  if (isJsonLines || isCsv) {
    // The untrimmed text, so reported line numbers are the file's own.
    const records = isJsonLines ? readJsonLines(text) : readCsv(text);
    if (records.length > MAX_UPLOAD_ARTICLES) throw invalid('kb.tooManyArticles', { count: MAX_UPLOAD_ARTICLES });
    const report = await importRecords(deps.store.kb, skillId, records, { source: 'import' });
    return countsOf(
      report,
      report.failed.map((f) => ({ where: f.file, error: f.error })),
    );
  }
  const article = parseMarkdownArticle(fileName || 'article.md', trimmed, skillId);
  const { outcome } = await deps.store.kb.upsertArticle({ ...article, source: 'import' });
  return countsOf({ created: 0, updated: 0, unchanged: 0, [outcome]: 1 } as Record<UpsertOutcome, number>);
}

/** Articles per page of the KB list. */
export const KB_PAGE_SIZE = 100;

/** One page of the KB list: its articles, the page number (1-based, clamped to the last page) and the total. */
export type ArticlePage = {
  articles: Array<{ id: number; title: string; source: string; updatedAt: Date }>;
  page: number;
  pageSize: number;
  total: number;
};

/** The page `page` (a query parameter, 1 when absent or bad) of a skill's articles matching `query`. */
export async function articlePage(deps: AppDeps, skillId: string, query: string, page: unknown): Promise<ArticlePage> {
  const asked = Number(page);
  // Bounded so a huge page number cannot reach SQL as an out-of-range OFFSET.
  let n = Number.isInteger(asked) && asked > 0 ? Math.min(asked, 100_000) : 1;
  let found = await deps.admin.catalog.pageArticles(skillId, query, { offset: (n - 1) * KB_PAGE_SIZE, limit: KB_PAGE_SIZE });
  const last = Math.max(1, Math.ceil(found.total / KB_PAGE_SIZE));
  if (n > last) {
    // A page past the end (articles were deleted since the link was made) shows the last one.
    n = last;
    found = await deps.admin.catalog.pageArticles(skillId, query, { offset: (n - 1) * KB_PAGE_SIZE, limit: KB_PAGE_SIZE });
  }
  return { articles: found.rows, page: n, pageSize: KB_PAGE_SIZE, total: found.total };
}
