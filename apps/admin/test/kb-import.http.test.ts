import { QUEUES } from '@repo/queue';
import type { AppDeps } from '../src/deps';
import { ARTICLE_LIMITS } from '@repo/store';
import { importArticlesText, MAX_UPLOAD_ARTICLES } from '../src/services/kb.service';
import { consultantSearch } from '../src/services/preview.service';
import { startFixture, type Fixture } from './fixture';
import { apiClient } from './http-client';

// Knowledge-base import of any supported format and the "sync from HDE" action, through HTTP.
describe('admin knowledge-base import and HDE sync', () => {
  let fx: Fixture;
  let skillId: string;
  let integrationId: string;
  let adminApi: ReturnType<typeof apiClient>;
  let memberApi: ReturnType<typeof apiClient>;

  beforeAll(async () => {
    fx = await startFixture();
    const consultant = await fx.store.organizations.createConsultant(fx.orgId, 'Eddy');
    skillId = (await fx.store.organizations.createSkill({ organizationId: fx.orgId, consultantId: consultant.id, name: 'Support' })).id;
    const account = fx.sim.createAccount({ slug: 'kbsync' });
    integrationId = (
      await fx.store.integrations.create({
        organizationId: fx.orgId,
        skillId,
        hdeBaseUrl: account.baseUrl,
        adminEmail: account.adminEmail,
        apiKey: account.apiKey,
      })
    ).id;
    const admin = await fx.createUser('kb-admin@example.test', 'admin');
    const member = await fx.createUser('kb-member@example.test', 'member');
    adminApi = apiClient(fx.url, (await fx.admin.accounts.issueApiToken({ userId: admin.id, name: 'a', createdBy: admin.id })).token);
    memberApi = apiClient(fx.url, (await fx.admin.accounts.issueApiToken({ userId: member.id, name: 'm', createdBy: admin.id })).token);
  }, 60_000);

  afterAll(async () => {
    await fx?.close();
  });

  it('recognises JSON Lines, CSV and Markdown in uploaded text', async () => {
    const deps = { store: fx.store } as unknown as AppDeps;
    const jsonl = [
      JSON.stringify({ id: 'a', title: 'Доставка', body: 'Курьер привозит заказ за день.' }),
      JSON.stringify({ id: 'b', title: 'Оплата', body: 'Картой или СБП.' }),
    ].join('\n');
    expect(await importArticlesText(deps, skillId, jsonl, 'kb.jsonl')).toMatchObject({ created: 2, failed: 0 });
    expect(await importArticlesText(deps, skillId, 'id,title,body\nc,Гарантия,"Год на всё."\n', 'kb.csv')).toMatchObject({ created: 1 });
    expect(
      await importArticlesText(deps, skillId, '---\nid: d\ntitle: Самовывоз\n---\nПункты выдачи работают с 10 до 21.', 'pickup.md'),
    ).toMatchObject({ created: 1 });
    expect(await importArticlesText(deps, skillId, jsonl, 'kb.jsonl')).toMatchObject({ unchanged: 2 });
    expect((await consultantSearch(fx.store.kb).search(skillId, 'пункты выдачи'))[0]?.title).toBe('Самовывоз');
  });

  it('rejects bad lines one by one with their line numbers and imports the rest', async () => {
    const deps = { store: fx.store } as unknown as AppDeps;
    const text = [
      '{"id": "x1", "title": "Часы работы", "body": "С 9 до 21."}',
      '{"id": "x2", "title": \'Сломано\'}',
      '{"id": "x3", "title": "Склад", "body": "В Химках."}',
    ].join('\n');
    const counts = await importArticlesText(deps, skillId, text, 'kb.jsonl');
    expect(counts).toMatchObject({ imported: 2, total: 3, failed: 1 });
    expect(counts.rejected).toEqual([{ where: 'line 2', error: 'not JSON: unexpected quote at column 23' }]);
  });

  it('refuses an article over the size limits by its line, and an upload of more articles than one request writes', async () => {
    const deps = { store: fx.store } as unknown as AppDeps;
    const text = [
      JSON.stringify({ id: 'big', title: 'Журнал', body: 'x '.repeat(ARTICLE_LIMITS.bodyChars) }),
      JSON.stringify({ id: 'small', title: 'Адрес', body: 'Москва, Тверская 1.' }),
    ].join('\n');
    const counts = await importArticlesText(deps, skillId, text, 'kb.jsonl');
    expect(counts).toMatchObject({ imported: 1, failed: 1 });
    expect(counts.rejected).toEqual([{ where: 'line 1', error: `body is longer than ${ARTICLE_LIMITS.bodyChars} characters` }]);
    const many = Array.from({ length: MAX_UPLOAD_ARTICLES + 1 }, (_, i) => JSON.stringify({ id: `m${i}`, title: `T${i}`, body: 'b' })).join(
      '\n',
    );
    await expect(importArticlesText(deps, skillId, many, 'kb.jsonl')).rejects.toMatchObject({ status: 400 });
  });

  it("queues a KB sync for the skill's integrations, for admins and owners only", async () => {
    expect((await memberApi('POST', `/skills/${skillId}/kb/sync`)).status).toBe(403);
    const res = await adminApi('POST', `/skills/${skillId}/kb/sync`);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ queued: 1 });
    const queue = fx.queues.find((q) => q.name === QUEUES.sync.name)!;
    const jobs = await queue.getJobs(['waiting', 'delayed', 'prioritized']);
    expect(jobs.map((j) => j.data)).toEqual([{ integrationId }]);
  });
});
