import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { importRecords, parseMarkdownArticle, readCsv, readJsonLines, type UpsertOutcome } from '@repo/store';
import type { AppDeps } from '../deps';
import { invalid } from '../errors';

/** One article as the editor and the import accept it. */
export const ArticleSchema = z.object({
  title: z.string().trim().min(1).max(500),
  body: z.string().min(1).max(200_000),
  tags: z.array(z.string().trim().min(1).max(100)).max(50).default([]),
  externalId: z.string().trim().min(1).max(200).optional(),
  url: z.string().url().nullable().optional(),
  language: z.enum(['ru', 'en', 'uk']).optional(),
  bodyFormat: z.enum(['markdown', 'html', 'text']).optional(),
});
/** See {@link ArticleSchema}. */
export type ArticleBody = z.infer<typeof ArticleSchema>;

/** Articles written in the admin app live under this source; imports keep their own ids. */
export const MANUAL_SOURCE = 'manual';

/** Tags from a comma-separated field. */
export function splitTags(value: unknown): string[] {
  return typeof value === 'string' ? value.split(',').map((t) => t.trim()).filter((t) => t.length > 0) : [];
}

/** Creates or replaces one article. */
export async function saveArticle(deps: AppDeps, skillId: string, input: unknown, existing?: { source: string; externalId: string }): Promise<{ id: number; outcome: UpsertOutcome }> {
  const parsed = ArticleSchema.safeParse(input);
  if (!parsed.success) throw invalid();
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
  const parsed = z.array(ArticleSchema).min(1).max(2000).safeParse(input);
  if (!parsed.success) throw invalid();
  const counts: Record<UpsertOutcome, number> = { created: 0, updated: 0, unchanged: 0 };
  for (const a of parsed.data) {
    const { outcome } = await deps.store.kb.upsertArticle({
      skillId, source: 'import', externalId: a.externalId ?? a.title, title: a.title, body: a.body,
      bodyFormat: a.bodyFormat ?? 'markdown', tags: a.tags, language: a.language ?? 'ru', url: a.url ?? null,
    });
    counts[outcome] += 1;
  }
  return counts;
}

/** Counts of an import, with the records that could not be imported. */
export type ImportCounts = Record<UpsertOutcome, number> & { failed: number };

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
    return { ...(await importArticles(deps, skillId, parsed)), failed: 0 };
  }
  const firstLine = trimmed.split('\n', 1)[0] ?? '';
  const isJsonLines = name.endsWith('.jsonl') || firstLine.trimStart().startsWith('{');
  const isCsv = name.endsWith('.csv') || (/\btitle\b/i.test(firstLine) && firstLine.includes(','));
  if (isJsonLines || isCsv) {
    const records = isJsonLines ? readJsonLines(trimmed) : readCsv(trimmed);
    const report = await importRecords(deps.store.kb, skillId, records, { source: 'import' });
    if (report.failed.length > 0 && report.created + report.updated + report.unchanged === 0) throw invalid();
    return { created: report.created, updated: report.updated, unchanged: report.unchanged, failed: report.failed.length };
  }
  const article = parseMarkdownArticle(fileName || 'article.md', trimmed, skillId);
  const { outcome } = await deps.store.kb.upsertArticle({ ...article, source: 'import' });
  return { created: 0, updated: 0, unchanged: 0, [outcome]: 1, failed: 0 } as ImportCounts;
}
