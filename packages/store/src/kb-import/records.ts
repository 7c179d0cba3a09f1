import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { ArticleInput, KbRepo } from '../kb.repo';
import { countOutcome, emptyReport, type ImportReport } from './markdown-folder';

/** One article as JSON Lines or CSV give it: `id`, `title`, `body` required; the rest optional. */
type ArticleRecord = {
  id?: unknown;
  title?: unknown;
  body?: unknown;
  tags?: unknown;
  language?: unknown;
  url?: unknown;
  format?: unknown;
};

const FORMATS = ['markdown', 'html', 'text'] as const;

function toArticle(record: ArticleRecord, skillId: string, source: string): ArticleInput {
  const id = typeof record.id === 'string' || typeof record.id === 'number' ? String(record.id).trim() : '';
  const title = typeof record.title === 'string' ? record.title.trim() : '';
  const body = typeof record.body === 'string' ? record.body : '';
  if (!id) throw new Error('id is missing');
  if (!title) throw new Error('title is missing');
  if (!body.trim()) throw new Error('body is missing');
  const tags = Array.isArray(record.tags)
    ? record.tags.map(String)
    : typeof record.tags === 'string'
      ? record.tags.split(/[,;|]/).map((t) => t.trim()).filter(Boolean)
      : [];
  const format = FORMATS.find((f) => f === record.format) ?? (/<\/?(p|div|h\d|ul|li|br)\b/i.test(body) ? 'html' : 'markdown');
  return {
    skillId, source, externalId: id, title, body, bodyFormat: format, tags,
    language: typeof record.language === 'string' && record.language ? record.language : 'ru',
    url: typeof record.url === 'string' && record.url ? record.url : null,
  };
}

/** Imports parsed records; each bad record is reported by its position, the rest go on. */
export async function importRecords(
  kb: Pick<KbRepo, 'upsertArticle' | 'deleteMissing'>,
  skillId: string,
  records: ArticleRecord[],
  options: { source: string; deleteMissing?: boolean },
): Promise<ImportReport> {
  const report = emptyReport();
  const seen: string[] = [];
  for (const [index, record] of records.entries()) {
    try {
      const article = toArticle(record, skillId, options.source);
      seen.push(article.externalId);
      countOutcome(report, (await kb.upsertArticle(article)).outcome);
    } catch (error) {
      report.failed.push({ file: `#${index + 1}`, error: error instanceof Error ? error.message : String(error) });
    }
  }
  if (options.deleteMissing) report.deleted = await kb.deleteMissing(skillId, options.source, seen);
  return report;
}

/** Reads JSON Lines: one `{"id","title","body",…}` object per line; a bad line becomes a failed record. */
export function readJsonLines(text: string): ArticleRecord[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as ArticleRecord;
      } catch {
        return {};
      }
    });
}

/** Reads CSV with a header row naming the columns (`id,title,body,tags,language,url`). */
export function readCsv(text: string): ArticleRecord[] {
  return parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true, relax_column_count: true }) as ArticleRecord[];
}

/** Imports a JSON Lines or CSV file (by extension) into a skill. */
export async function importArticleFile(
  kb: Pick<KbRepo, 'upsertArticle' | 'deleteMissing'>,
  skillId: string,
  file: string,
  options: { deleteMissing?: boolean } = {},
): Promise<ImportReport> {
  const text = readFileSync(file, 'utf8');
  const csv = file.toLowerCase().endsWith('.csv');
  return importRecords(kb, skillId, csv ? readCsv(text) : readJsonLines(text), { source: csv ? 'csv' : 'jsonl', ...options });
}
