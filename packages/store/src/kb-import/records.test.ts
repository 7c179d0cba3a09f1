import { readCsv, readJsonLines, importRecords } from './records';
import type { KbRepo, KbWriter } from '../kb.repo';

const kb: KbWriter = {
  upsertArticle: async () => ({ outcome: 'created' }) as Awaited<ReturnType<KbRepo['upsertArticle']>>,
  deleteMissing: async () => 0,
  refreshStatisticsAfter: async () => false,
};

describe('import records report every rejected line with its number and reason', () => {
  it('JSON Lines: bad JSON, a non-object and a missing field, each by its line in the file', async () => {
    const text = [
      '{"id": "a", "title": "Доставка", "body": "За день."}',
      '',
      `{"id": "b", "title": "Оплата", "body": 'картой'}`,
      '[1, 2]',
      '{"id": "c", "title": "", "body": "x"}',
      '{"id": "d", "title": "Возврат", "body": "14 дней."}',
      '{"id": "e", "title": "Обрыв"',
    ].join('\n');
    const report = await importRecords(kb, 'skill', readJsonLines(text), { source: 'jsonl' });
    expect(report.created).toBe(2);
    expect(report.failed).toEqual([
      { file: 'line 3', error: 'not JSON: unexpected quote at column 40' },
      { file: 'line 4', error: 'not a JSON object ({"id": …, "title": …, "body": …})' },
      { file: 'line 5', error: 'title is missing' },
      { file: 'line 7', error: expect.stringMatching(/^not JSON: .*column \d+/) },
    ]);
  });

  it('CSV: a file of unreadable records is read no further after 100 of them; those before are imported', async () => {
    const text = `id,title,body\n1,Доставка,За день\n${'2,a"b"c",x\n'.repeat(5_000)}`;
    const report = await importRecords(kb, 'skill', readCsv(text), { source: 'csv' });
    expect(report.created).toBe(1);
    expect(report.failed).toHaveLength(101);
    expect(report.failed.at(-1)?.error).toBe('not CSV: stopped reading after 100 unreadable records');
  });

  it('CSV: records keep the line they start on; an unreadable record is reported, not fatal', async () => {
    const text = 'id,title,body\n1,Доставка,За день\n2,,Без заголовка\n3,Оплата,"Картой\nили СБП"\n4,Возврат,14 дней\n';
    const report = await importRecords(kb, 'skill', readCsv(text), { source: 'csv' });
    expect(report.created).toBe(3);
    expect(report.failed).toEqual([{ file: 'line 3', error: 'title is missing' }]);
    const broken = await importRecords(kb, 'skill', readCsv('id,title,body\n1,A,B\n2,"C,D\n'), { source: 'csv' });
    expect(broken.created).toBe(1);
    expect(broken.failed[0]?.error).toMatch(/^not CSV: /);
    expect(broken.failed[0]?.file).toMatch(/^line \d+$/);
  });
});
