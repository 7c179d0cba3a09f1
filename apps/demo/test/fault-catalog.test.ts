import { readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** One row of the fault scenario catalog in docs/reliability.md. */
type CatalogRow = { id: string; file: string; title: string };

/** The rows of the catalog table: `| Id | Scenario | Invariant checked | Test file | Test title |`. */
function catalogRows(markdown: string): CatalogRow[] {
  const section = markdown.split(/^## Fault scenario catalog$/m)[1] ?? '';
  const rows: CatalogRow[] = [];
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    // ['', id, scenario, invariant, file, title, '']
    if (cells.length !== 7 || !/^[A-Z]\d+$/.test(cells[1]!)) continue;
    rows.push({ id: cells[1]!, file: cells[4]!.replace(/^`|`$/g, ''), title: cells[5]! });
  }
  return rows;
}

/** Titles of the `it(...)`/`test(...)` cases of a test file (string-literal titles only). */
function testTitles(source: string): string[] {
  const titles: string[] = [];
  for (const m of source.matchAll(/\b(?:it|test)\(\s*(['"`])((?:\\.|(?!\1)[^\\])*)\1/g)) {
    titles.push(m[2]!.replace(/\\(.)/g, '$1'));
  }
  return titles;
}

// The catalog in docs/reliability.md names, for every fault scenario, the test that checks it. This
// keeps it true: each listed file must hold a test whose title begins with the id (and is the title
// listed), and every required scenario must be listed.
describe('fault scenario catalog', () => {
  const rows = catalogRows(readFileSync(path.join(ROOT, 'docs', 'reliability.md'), 'utf8'));

  it('lists every scenario R1–R12 and defect D1–D12', () => {
    const ids = new Set(rows.map((r) => r.id));
    const required = [...Array.from({ length: 12 }, (_, i) => `R${i + 1}`), ...Array.from({ length: 12 }, (_, i) => `D${i + 1}`)];
    expect(required.filter((id) => !ids.has(id))).toEqual([]);
  });

  it('points each row at a test whose title begins with its id', () => {
    const problems: string[] = [];
    for (const row of rows) {
      let source: string;
      try {
        source = readFileSync(path.join(ROOT, row.file), 'utf8');
      } catch {
        problems.push(`${row.id}: no file ${row.file}`);
        continue;
      }
      const titles = testTitles(source);
      if (!titles.some((t) => t.startsWith(`${row.id} `)))
        problems.push(`${row.id}: no test title beginning with "${row.id} " in ${row.file}`);
      if (!row.title.startsWith(`${row.id} `)) problems.push(`${row.id}: the listed title does not begin with the id`);
      else if (!titles.includes(row.title)) problems.push(`${row.id}: no test "${row.title}" in ${row.file}`);
    }
    expect(problems).toEqual([]);
  });
});
