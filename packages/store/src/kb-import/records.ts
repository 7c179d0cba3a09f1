import { readFileSync } from 'node:fs';
import { parse, type Options } from 'csv-parse/sync';
import type { ArticleInput, KbWriter } from '../kb.repo';
import { countOutcome, emptyReport, settleImport, type ImportReport } from './markdown-folder';
import { describeJsonError } from './json-line-error';

/** Where a record came from (its line in the file) and, when it could not even be read, why. */
const ORIGIN = Symbol('origin');
type Origin = { line: number; problem?: string };

/** One article as JSON Lines or CSV give it: `id`, `title`, `body` required; the rest optional. */
type ArticleRecord = {
  id?: unknown;
  title?: unknown;
  body?: unknown;
  tags?: unknown;
  language?: unknown;
  url?: unknown;
  format?: unknown;
  [ORIGIN]?: Origin;
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
      ? record.tags
          .split(/[,;|]/)
          .map((t) => t.trim())
          .filter(Boolean)
      : [];
  const format = FORMATS.find((f) => f === record.format) ?? (/<\/?(p|div|h\d|ul|li|br)\b/i.test(body) ? 'html' : 'markdown');
  return {
    skillId,
    source,
    externalId: id,
    title,
    body,
    bodyFormat: format,
    tags,
    language: typeof record.language === 'string' && record.language ? record.language : 'ru',
    url: typeof record.url === 'string' && record.url ? record.url : null,
  };
}

/** Imports parsed records; each bad record is reported by its position, the rest go on. */
export async function importRecords(
  kb: KbWriter,
  skillId: string,
  records: ArticleRecord[],
  options: { source: string; deleteMissing?: boolean },
): Promise<ImportReport> {
  const report = emptyReport();
  const seen: string[] = [];
  for (const [index, record] of records.entries()) {
    const origin = record[ORIGIN];
    try {
      if (origin?.problem) throw new Error(origin.problem);
      const article = toArticle(record, skillId, options.source);
      seen.push(article.externalId);
      countOutcome(report, (await kb.upsertArticle(article)).outcome);
    } catch (error) {
      report.failed.push({
        file: origin ? `line ${origin.line}` : `record ${index + 1}`,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  if (options.deleteMissing) report.deleted = await kb.deleteMissing(skillId, options.source, seen);
  await settleImport(kb, report);
  return report;
}

/**
 * Reads JSON Lines: one `{"id","title","body",…}` object per line. A line that is not a JSON object
 * becomes a failed record that says why and where ("not JSON: unexpected quote at column 41"), with
 * its line number in the file, so the import reports it instead of dropping it.
 */
export function readJsonLines(text: string): ArticleRecord[] {
  const records: ArticleRecord[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') return;
    const origin: Origin = { line: index + 1 };
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      records.push({ [ORIGIN]: { ...origin, problem: `not JSON: ${describeJsonError(line, error)}` } });
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      records.push({ [ORIGIN]: { ...origin, problem: 'not a JSON object ({"id": …, "title": …, "body": …})' } });
      return;
    }
    records.push({ ...(value as ArticleRecord), [ORIGIN]: origin });
  });
  return records;
}

/**
 * Reads CSV with a header row naming the columns (`id,title,body,tags,language,url`). Each record
 * keeps the line it starts on; a record CSV cannot read (an unclosed quote, …) becomes a failed
 * record with its line and the parser's reason instead of failing the whole file.
 */
export function readCsv(text: string): ArticleRecord[] {
  const skipped: ArticleRecord[] = [];
  const records: ArticleRecord[] = [];
  // `on_skip` is in csv-parse's documentation but not in its type declarations.
  const options: Options & { on_skip: (error: { message: string; lines?: number } | undefined) => void } = {
    columns: true,
    skip_empty_lines: true,
    trim: true,
    bom: true,
    relax_column_count: true,
    info: true,
    skip_records_with_error: true,
    on_skip: (error) => {
      if (!error) return;
      skipped.push({ [ORIGIN]: { line: error.lines ?? 0, problem: `not CSV: ${error.message}` } });
      if (skipped.length >= MAX_UNREADABLE_CSV_RECORDS) throw new CsvGiveUp(error.lines ?? 0);
    },
    // Records are kept as they are read, so those before a give-up are imported.
    on_record: ({ record, info }: { record: ArticleRecord; info: { lines: number } }) => {
      records.push({ ...record, [ORIGIN]: { line: info.lines } });
      return null;
    },
  };
  try {
    parse(text, options);
  } catch (error) {
    if (!(error instanceof CsvGiveUp)) throw error;
    skipped.push({
      [ORIGIN]: { line: error.line, problem: `not CSV: stopped reading after ${MAX_UNREADABLE_CSV_RECORDS} unreadable records` },
    });
  }
  return [...records, ...skipped].sort((a, b) => (a[ORIGIN]?.line ?? 0) - (b[ORIGIN]?.line ?? 0));
}

/**
 * Unreadable CSV records after which a file is read no further: a file of stray quotes yields one
 * error per line (3.4 MB gave 535,000 of them and held the loop 15.7 s), and a file that broken is
 * not worth reading on.
 */
const MAX_UNREADABLE_CSV_RECORDS = 100;

/** Thrown from csv-parse's skip callback to stop reading a hopeless file. */
class CsvGiveUp extends Error {
  constructor(readonly line: number) {
    super('too many unreadable CSV records');
  }
}

/** Imports a JSON Lines or CSV file (by extension) into a skill. */
export async function importArticleFile(
  kb: KbWriter,
  skillId: string,
  file: string,
  options: { deleteMissing?: boolean } = {},
): Promise<ImportReport> {
  const text = readFileSync(file, 'utf8');
  const csv = file.toLowerCase().endsWith('.csv');
  return importRecords(kb, skillId, csv ? readCsv(text) : readJsonLines(text), { source: csv ? 'csv' : 'jsonl', ...options });
}
