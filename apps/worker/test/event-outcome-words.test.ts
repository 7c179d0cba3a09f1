import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { eventOutcomeWord } from '@repo/domain';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** The sources (tests left out) of a folder of the repository, with their paths. */
function sources(folder: string): Array<{ file: string; text: string }> {
  const dir = path.join(ROOT, folder);
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => ({ file: path.join(folder, f), text: readFileSync(path.join(dir, f), 'utf8') }));
}

/**
 * The outcome codes written into `webhook_events.outcome`: `markProcessed(id, 'code')` calls, and
 * SQL that sets the column itself (`outcome = 'code'`, `outcome = CASE … THEN 'code' END`), which no
 * type checks.
 */
const WRITES = [/\bmarkProcessed\(\s*[^,()]+,\s*'([a-z_]+)'\s*\)/g, /\boutcome\s*=\s*(?:CASE\b[^']*?\bTHEN\s+)?'([a-z_]+)'/g];

// The webhook log shows an outcome in words only when @repo/domain has words for it; a code written
// without them would reach admins as a bare identifier.
describe('event outcomes the pipeline writes', () => {
  const written = new Map<string, string>();
  for (const { file, text } of [...sources('apps/worker/src'), ...sources('packages/store/src')]) {
    for (const pattern of WRITES) for (const m of text.matchAll(pattern)) written.set(m[1]!, file);
  }

  it('are found in the sources, by each way of writing one', () => {
    // markProcessed in the classify stage, a plain SQL literal (recordAndStart), a CASE (redrive).
    expect([...written.keys()]).toEqual(expect.arrayContaining(['ticket_trashed', 'customer', 'quarantined']));
  });

  it('each have words in Russian and in English', () => {
    const unworded = [...written].filter(([code]) => !eventOutcomeWord('ru', code) || !eventOutcomeWord('en', code));
    expect(unworded.map(([code, file]) => `${code} (${file})`)).toEqual([]);
  });
});
