import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '@repo/testing';
import { createStore, type Store } from './create-store';
import { importRecords } from './kb-import/records';
import { syncRemoteKb } from './kb-import/remote-sync';
import { KB_STATISTICS_MIN_CHANGES } from './kb.repo';
import { migrate } from './migrate';

/** Planner statistics of the knowledge-base tables after imports and syncs. */
describe('statistics after imports and syncs', () => {
  let database: TestDatabase;
  let store: Store;
  let pg: Client;
  let skillId: string;

  /** Rows of pg_stats (only ANALYZE writes them) and the planner's row count of each table. */
  async function statistics() {
    const rows = await pg.query<{ relname: string; reltuples: number; columns: number }>(
      `SELECT c.relname, c.reltuples::float8 AS reltuples,
              (SELECT count(*)::int FROM pg_stats s WHERE s.tablename = c.relname) AS columns
       FROM pg_class c WHERE c.relname IN ('kb_articles', 'kb_passages') ORDER BY c.relname`,
    );
    return Object.fromEntries(rows.rows.map((r) => [r.relname, { reltuples: r.reltuples, columns: r.columns }]));
  }

  const records = (from: number, n: number, source = 'import') =>
    Array.from({ length: n }, (_, i) => ({
      id: `${source}-${from + i}`,
      title: `Статья ${from + i}`,
      body: `Первый абзац статьи ${from + i}.\n\nВторой абзац о доставке и оплате.`,
    }));

  beforeAll(async () => {
    database = await createTestDatabase('kbstats');
    await migrate(database.url);
    store = createStore({ url: database.url, secretsKey: randomBytes(32) });
    pg = new Client({ connectionString: database.url });
    await pg.connect();
    // Only the product's own refresh may write statistics here, not a background autovacuum.
    await pg.query('ALTER TABLE kb_articles SET (autovacuum_enabled = false)');
    await pg.query('ALTER TABLE kb_passages SET (autovacuum_enabled = false)');
    const org = await store.organizations.createOrganization('Acme');
    const consultant = await store.organizations.createConsultant(org.id, 'Eddy');
    skillId = (await store.organizations.createSkill({ organizationId: org.id, consultantId: consultant.id, name: 'Support' })).id;
  });

  afterAll(async () => {
    await pg.end();
    await store.close();
    await database.drop();
  });

  it('leaves a small import to autovacuum and analyzes after a bulk one', async () => {
    const small = await importRecords(store.kb, skillId, records(0, KB_STATISTICS_MIN_CHANGES - 1), { source: 'import' });
    expect(small.created).toBe(KB_STATISTICS_MIN_CHANGES - 1);
    const before = await statistics();
    expect(before.kb_articles?.columns).toBe(0);
    expect(before.kb_passages?.columns).toBe(0);

    const bulk = await importRecords(store.kb, skillId, records(100, KB_STATISTICS_MIN_CHANGES), { source: 'import' });
    expect(bulk.created).toBe(KB_STATISTICS_MIN_CHANGES);
    const after = await statistics();
    const articles = KB_STATISTICS_MIN_CHANGES * 2 - 1;
    expect(after.kb_articles?.columns).toBeGreaterThan(0);
    expect(after.kb_passages?.columns).toBeGreaterThan(0);
    expect(after.kb_articles?.reltuples).toBe(articles);
    const passages = await pg.query<{ n: number }>('SELECT count(*)::int AS n FROM kb_passages');
    expect(passages.rows[0]?.n).toBeGreaterThanOrEqual(articles);
    expect(after.kb_passages?.reltuples).toBe(passages.rows[0]?.n);
  });

  it('analyzes after a sync that deleted many articles', async () => {
    const listPage = async () => ({ items: [], totalPages: 1 });
    // An empty complete listing deletes every article of the source (the two imports' 99).
    const report = await syncRemoteKb({
      kb: store.kb,
      skillId,
      source: 'import',
      language: 'ru',
      categoryIds: [],
      maxPages: 1,
      listPage,
    });
    expect(report.deleted).toBe(KB_STATISTICS_MIN_CHANGES * 2 - 1);
    const after = await statistics();
    expect(after.kb_articles?.reltuples).toBe(0);
    expect(after.kb_passages?.reltuples).toBe(0);
  });

  it('skips a table another process holds (autovacuum, say) instead of waiting for it, and never fails', async () => {
    // Written without an import's last step, so only the refresh below counts them.
    for (const r of records(300, KB_STATISTICS_MIN_CHANGES, 'more')) {
      await store.kb.upsertArticle({ skillId, source: 'more', externalId: r.id, title: r.title, body: r.body });
    }
    const before = await statistics();
    // A lock as a running VACUUM or ANALYZE holds it: waiting for it would cancel autovacuum's work.
    const holder = new Client({ connectionString: database.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE kb_passages IN SHARE UPDATE EXCLUSIVE MODE');
      await expect(store.kb.refreshStatisticsAfter(KB_STATISTICS_MIN_CHANGES)).resolves.toBe(true);
      const after = await statistics();
      expect(after.kb_articles?.reltuples).toBeGreaterThan(before.kb_articles?.reltuples ?? 0);
      expect(after.kb_passages?.reltuples).toBe(before.kb_passages?.reltuples);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
  });
});
