import { accountKeyOf, createBanWatch } from '@repo/hde-client';
import Redis from 'ioredis';
import { testRedisUrl } from '@repo/testing';
import { startFixture, type Fixture } from './fixture';
import { type TestClient } from './http-client';

/** The overview tells admins of an HDE ban that outlived its pause, over HTTP with real Redis. */
describe('ban warning on the overview', () => {
  let fx: Fixture;
  let admin: TestClient;
  let redis: Redis;
  let integrationId: string;
  const baseUrl = 'https://banned.helpdeskeddy.com';

  beforeAll(async () => {
    fx = await startFixture();
    redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
    admin = await fx.signedIn('boss@example.test', 'admin');
    const consultant = await fx.store.organizations.createConsultant(fx.orgId, 'Eddy');
    const skill = await fx.store.organizations.createSkill({ organizationId: fx.orgId, consultantId: consultant.id, name: 'Support' });
    const integration = await fx.store.integrations.create({
      organizationId: fx.orgId,
      skillId: skill.id,
      hdeBaseUrl: baseUrl,
      adminEmail: 'bot@acme.test',
      apiKey: 'k',
    });
    integrationId = integration.id;
  });

  afterAll(async () => {
    redis.disconnect();
    await fx.close();
  });

  it('shows nothing for a first refusal, and a warning once the ban persists after the probe', async () => {
    // The worker's side of the same watch, with the prefix the deployment gives both apps.
    const watch = createBanWatch({ redis, prefix: fx.prefix });
    const account = accountKeyOf(baseUrl);
    expect((await admin.get(`/overview?integration=${integrationId}`)).text).not.toContain('data-testid="ban-warning"');

    await watch.suspect(account, integrationId);
    expect((await admin.get(`/overview?integration=${integrationId}`)).text).not.toContain('data-testid="ban-warning"');

    const suspected = await watch.suspected(account);
    if (!suspected) throw new Error('the suspicion was not recorded');
    await watch.persists(account, suspected);
    const page = await admin.get(`/overview?integration=${integrationId}`);
    expect(page.text).toContain('data-testid="ban-warning"');

    await watch.clear(account);
    expect((await admin.get(`/overview?integration=${integrationId}`)).text).not.toContain('data-testid="ban-warning"');
  });
});
