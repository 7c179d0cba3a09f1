import { promises as fs } from 'node:fs';
import path from 'node:path';
import matter from 'gray-matter';
import type { ArticleInput, KbWriter, UpsertOutcome } from '../kb.repo';

/** Counts of what an import did. */
export type ImportReport = {
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
  failed: Array<{ file: string; error: string }>;
};

/** An empty {@link ImportReport}. */
export function emptyReport(): ImportReport {
  return { created: 0, updated: 0, unchanged: 0, deleted: 0, failed: [] };
}

/** Adds one upsert outcome to a report. */
export function countOutcome(report: ImportReport, outcome: UpsertOutcome): void {
  report[outcome] += 1;
}

/**
 * The last step of every import and sync: once its articles are written, the planner's statistics
 * are refreshed when it changed enough of them ({@link KbWriter.refreshStatisticsAfter}).
 */
export async function settleImport(
  kb: Pick<KbWriter, 'refreshStatisticsAfter'>,
  report: Pick<ImportReport, 'created' | 'updated' | 'deleted'>,
): Promise<void> {
  await kb.refreshStatisticsAfter(report.created + report.updated + report.deleted);
}

/** Longest front matter read (YAML between the opening and closing `---`): a title, tags and a few ids. */
const MAX_FRONT_MATTER_CHARS = 16_000;

/**
 * Reads a Markdown article: front matter may give `id`, `title`, `tags`, `language`, `url`; without
 * them the file name is the id and the first `#` heading (or the file name) the title.
 */
export function parseMarkdownArticle(fileName: string, content: string, skillId: string): ArticleInput {
  if (content.startsWith('---')) {
    // Front matter runs to the closing `---`, or to the end of a file that has none; YAML of
    // megabytes takes seconds to read on the importing app's loop.
    const end = content.indexOf('\n---', 3);
    if ((end === -1 ? content.length : end) > MAX_FRONT_MATTER_CHARS) {
      throw new Error(`front matter is longer than ${MAX_FRONT_MATTER_CHARS} characters, or its closing --- is missing`);
    }
  }
  // With options (even none) gray-matter does not keep every file it read in its module-wide cache.
  const parsed = matter(content, {});
  const data = parsed.data as Record<string, unknown>;
  let body = parsed.content.trim();
  let title = typeof data.title === 'string' ? data.title.trim() : '';
  if (!title) {
    const heading = /^#\s+(.+)$/m.exec(body);
    if (heading?.[1]) {
      title = heading[1].trim();
      body = body.replace(heading[0], '').trim();
    } else title = path.basename(fileName, path.extname(fileName));
  }
  const tags = Array.isArray(data.tags)
    ? data.tags.map(String)
    : typeof data.tags === 'string'
      ? data.tags.split(',').map((t) => t.trim())
      : [];
  return {
    skillId,
    source: 'markdown',
    externalId:
      typeof data.id === 'string' || typeof data.id === 'number' ? String(data.id) : path.basename(fileName, path.extname(fileName)),
    title,
    body,
    bodyFormat: 'markdown',
    tags: tags.filter(Boolean),
    language: typeof data.language === 'string' ? data.language : 'ru',
    url: typeof data.url === 'string' ? data.url : null,
  };
}

/**
 * Imports every `.md` file of a folder (recursively) into a skill. With `deleteMissing`, articles
 * imported from Markdown earlier whose files are gone are deleted.
 */
export async function importMarkdownFolder(
  kb: KbWriter,
  skillId: string,
  dir: string,
  options: { deleteMissing?: boolean } = {},
): Promise<ImportReport> {
  const report = emptyReport();
  const files = (await fs.readdir(dir, { recursive: true })).filter((f) => f.toLowerCase().endsWith('.md')).sort();
  const seen: string[] = [];
  for (const file of files) {
    try {
      const article = parseMarkdownArticle(file, await fs.readFile(path.join(dir, file), 'utf8'), skillId);
      seen.push(article.externalId);
      countOutcome(report, (await kb.upsertArticle(article)).outcome);
    } catch (error) {
      report.failed.push({ file, error: error instanceof Error ? error.message : String(error) });
    }
  }
  if (options.deleteMissing) report.deleted = await kb.deleteMissing(skillId, 'markdown', seen);
  await settleImport(kb, report);
  return report;
}
