import { randomBytes } from 'node:crypto';
import { createTestDatabase, waitFor, type TestDatabase } from '@repo/testing';
import { createConfigCache, withConfigCache, type ConfigCache } from './config-cache';
import { createStore, type Store } from './create-store';
import { migrate } from './migrate';

describe('config cache against real PostgreSQL', () => {
  let database: TestDatabase;
  let store: Store;
  let other: Store;
  let cache: ConfigCache;
  let skillId: string;
  let integrationId: string;

  beforeAll(async () => {
    database = await createTestDatabase('configcache');
    await migrate(database.url);
    store = createStore({ url: database.url, secretsKey: randomBytes(32), countQueries: true });
    // A second process's store, e.g. the admin app's.
    other = createStore({ url: database.url, secretsKey: randomBytes(32) });
    const org = await store.organizations.createOrganization('Acme');
    const consultant = await store.organizations.createConsultant(org.id, 'Eddy');
    skillId = (
      await store.organizations.createSkill({ organizationId: org.id, consultantId: consultant.id, name: 'Support', settings: { a: 1 } })
    ).id;
    integrationId = (
      await store.integrations.create({
        organizationId: org.id,
        skillId,
        hdeBaseUrl: 'https://acme.helpdeskeddy.com',
        adminEmail: 'bot@acme.test',
        apiKey: 'k',
        botUserId: 7,
      })
    ).id;
  });

  afterEach(async () => {
    await cache?.close();
  });

  afterAll(async () => {
    await store.close();
    await other.close();
    await database.drop();
  });

  it('serves repeated and concurrent reads from one query while listening', async () => {
    cache = createConfigCache(store);
    await cache.start();
    expect(cache.isListening()).toBe(true);
    const before = store.db.queryStats().total;
    const reads = await Promise.all(Array.from({ length: 20 }, () => cache.integration(integrationId)));
    expect(new Set(reads.map((r) => r?.botUserId))).toEqual(new Set([7]));
    await cache.skill(skillId);
    await cache.skill(skillId);
    expect(store.db.queryStats().total - before).toBe(2);
  });

  it('drops a copy when another process changes the row', async () => {
    cache = createConfigCache(store);
    await cache.start();
    expect((await cache.integration(integrationId))?.botUserId).toBe(7);
    expect((await cache.skill(skillId))?.settings).toEqual({ a: 1 });
    await other.integrations.update(integrationId, { botUserId: 8 });
    await other.organizations.updateSkillSettings(skillId, { a: 2 });
    await waitFor(async () => (await cache.integration(integrationId))?.botUserId === 8, { what: 'the new bot user id', timeoutMs: 5000 });
    await waitFor(async () => ((await cache.skill(skillId))?.settings as { a: number }).a === 2, {
      what: 'the new skill settings',
      timeoutMs: 5000,
    });
  });

  it('reads through to PostgreSQL while not listening, and a write in this process is seen at once', async () => {
    cache = createConfigCache(store);
    const before = store.db.queryStats().total;
    await cache.integration(integrationId);
    await cache.integration(integrationId);
    expect(store.db.queryStats().total - before).toBe(2);

    await cache.start();
    const cached = withConfigCache(store, cache);
    await cached.integrations.get(integrationId);
    await cached.integrations.update(integrationId, { replyMode: 'note' });
    expect((await cached.integrations.get(integrationId))?.replyMode).toBe('note');
  });

  it('does not remember a row that does not exist yet', async () => {
    cache = createConfigCache(store);
    await cache.start();
    expect(await cache.skill('00000000-0000-0000-0000-000000000000')).toBeUndefined();
    expect(cache.stats().entries).toBe(0);
  });
});
