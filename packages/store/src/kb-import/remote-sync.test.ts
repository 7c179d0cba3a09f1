import { ARTICLE_LIMITS } from '../article-limits';
import type { ArticleInput, KbWriter } from '../kb.repo';
import { syncRemoteKb, type RemoteArticle } from './remote-sync';

describe('syncRemoteKb', () => {
  it('skips an article over the size limits, keeps its stored copy and imports the rest', async () => {
    const written: ArticleInput[] = [];
    const kept: string[][] = [];
    const kb: KbWriter = {
      upsertArticle: async (a) => (written.push(a), { id: written.length, outcome: 'created' }),
      deleteMissing: async (_skill, _source, keep) => (kept.push(keep), 0),
      refreshStatisticsAfter: async () => false,
    };
    const article = (id: number, body: string): RemoteArticle => ({
      id,
      title: { ru: `Статья ${id}` },
      body: { ru: body },
      tags: {},
      categoryIds: [],
      access: 'public',
    });
    const report = await syncRemoteKb({
      kb,
      skillId: 's',
      source: 'hde',
      language: 'ru',
      categoryIds: [],
      maxPages: 1,
      listPage: async () => ({
        items: [article(1, '<p>Коротко.</p>'), article(2, `<p>${'x'.repeat(ARTICLE_LIMITS.bodyChars + 1)}</p>`)],
        totalPages: 1,
      }),
    });
    expect(written.map((a) => a.externalId)).toEqual(['1']);
    expect(report).toMatchObject({ created: 1, skipped: 1, complete: true });
    // Still listed as present: a copy stored before it grew is not deleted.
    expect(kept).toEqual([['1', '2']]);
  });
});
