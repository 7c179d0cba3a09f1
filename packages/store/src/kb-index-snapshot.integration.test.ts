import { randomBytes } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@repo/testing';
import { createStore, type Store } from './create-store';
import { migrate } from './migrate';

describe('knowledge-base snapshot for the in-process index', () => {
  let database: TestDatabase;
  let store: Store;
  let skillId: string;
  let otherSkill: string;

  beforeAll(async () => {
    database = await createTestDatabase('kbsnap');
    await migrate(database.url);
    store = createStore({ url: database.url, secretsKey: randomBytes(32) });
    const org = await store.organizations.createOrganization('Acme');
    const consultant = await store.organizations.createConsultant(org.id, 'Eddy');
    skillId = (
      await store.organizations.createSkill({
        organizationId: org.id,
        consultantId: consultant.id,
        name: 'Support',
        settings: { synonyms: [['сбп', 'быстрые платежи']] },
      })
    ).id;
    otherSkill = (await store.organizations.createSkill({ organizationId: org.id, consultantId: consultant.id, name: 'Other' })).id;
  });

  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  it('reads articles with their passages in order, the version, and the synonyms', async () => {
    await store.kb.upsertArticle({
      skillId,
      externalId: 'w',
      title: 'Гарантия',
      tags: ['ремонт'],
      body: '## Срок\n\nГарантия 12 месяцев.\n\n## Исключения\n\nНе покрывает удары.',
    });
    await store.kb.upsertArticle({ skillId: otherSkill, externalId: 'x', title: 'Чужая', body: 'Другая база.' });
    const snapshot = await store.kb.indexSnapshot(skillId);
    expect(snapshot.articles).toHaveLength(1);
    expect(snapshot.articles[0]).toMatchObject({ title: 'Гарантия', tags: ['ремонт'], links: [] });
    expect(snapshot.articles[0]!.passages.map((p) => p.heading)).toEqual(['Срок', 'Исключения']);
    expect(snapshot.synonyms).toEqual([['сбп', 'быстрые платежи']]);
    expect(snapshot.version).toBe(await store.kb.indexVersion(skillId));
  });

  it('gives each article the addresses its body links to, kept up to date on edits', async () => {
    const article = (body: string) =>
      store.kb.upsertArticle({ skillId: otherSkill, externalId: 'links', title: 'Возврат', body, bodyFormat: 'html' });
    await article('<p>Заполните <a href="https://forms.example.com/return">форму</a>.</p>');
    const linksOf = async () => (await store.kb.indexSnapshot(otherSkill)).articles.find((a) => a.title === 'Возврат')?.links;
    expect(await linksOf()).toEqual(['https://forms.example.com/return']);
    await article('<p>Заполните <a href="https://forms.example.com/return-2">новую форму</a>.</p>');
    expect(await linksOf()).toEqual(['https://forms.example.com/return-2']);
  });

  it('changes the version when an article is added, changed or deleted, and not otherwise', async () => {
    const v0 = await store.kb.indexVersion(skillId);
    await store.kb.upsertArticle({
      skillId,
      externalId: 'w',
      title: 'Гарантия',
      tags: ['ремонт'],
      body: '## Срок\n\nГарантия 12 месяцев.\n\n## Исключения\n\nНе покрывает удары.',
    });
    expect(await store.kb.indexVersion(skillId)).toBe(v0);
    await store.kb.upsertArticle({ skillId, externalId: 'd', title: 'Доставка', body: 'Курьер за день.' });
    const v1 = await store.kb.indexVersion(skillId);
    expect(v1).not.toBe(v0);
    await store.kb.upsertArticle({ skillId, externalId: 'd', title: 'Доставка', body: 'Курьер за два дня.' });
    const v2 = await store.kb.indexVersion(skillId);
    expect(v2).not.toBe(v1);
    await store.kb.deleteMissing(skillId, 'manual', ['w']);
    expect(await store.kb.indexVersion(skillId)).not.toBe(v2);
    expect((await store.kb.indexSnapshot(skillId)).articles.map((a) => a.title)).toEqual(['Гарантия']);
  });

  it('keeps one calibration per skill for the version it was learnt on', async () => {
    const version = await store.kb.indexVersion(skillId);
    expect(await store.kb.calibration(skillId, version)).toBeUndefined();
    await store.kb.saveCalibration(skillId, version, { boundary: 0.4, typical: 0.8 });
    expect(await store.kb.calibration(skillId, version)).toEqual({ boundary: 0.4, typical: 0.8 });
    expect(await store.kb.calibration(skillId, 'older')).toBeUndefined();
  });

  it('gives an empty snapshot for a skill without articles', async () => {
    const org = await store.organizations.createOrganization('Empty');
    const consultant = await store.organizations.createConsultant(org.id, 'E');
    const empty = (await store.organizations.createSkill({ organizationId: org.id, consultantId: consultant.id, name: 'E' })).id;
    expect((await store.kb.indexSnapshot(empty)).articles).toEqual([]);
  });
});
