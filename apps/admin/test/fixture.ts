import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { createBanWatch, createHdeClient } from '@repo/hde-client';
import { startHdeSim, type HdeSim } from '@repo/hde-sim';
import { createLogger } from '@repo/logger';
import { QUEUES, bullPrefix } from '@repo/queue';
import { createAdminRepos, createStore, migrate, type AdminRepos, type Integration, type Store } from '@repo/store';
import { createTestDatabase, deleteRedisPrefix, testRedisUrl, uniquePrefix, type TestDatabase } from '@repo/testing';
import { createApp } from '../src/app';
import { createAdminBudgets } from '../src/services/hde-admin-budget';
import { testBoxProviders } from '../src/services/preview.service';
import type { AppDeps, AppSettings } from '../src/deps';
import { hashPassword } from '@repo/store';
import { TestClient } from './http-client';

/** Everything a server test needs: a fresh database, the HDE simulator, Redis queues, the app on a port. */
export type Fixture = {
  db: TestDatabase;
  store: Store;
  admin: AdminRepos;
  sim: HdeSim;
  queues: Queue[];
  prefix: string;
  url: string;
  orgId: string;
  /** The key the store encrypts API keys with, for child processes (worker) that must decrypt them. */
  secretsKeyHex: string;
  startApp(
    settings?: Partial<AppSettings>,
    deps?: Partial<Pick<AppDeps, 'turnProviders'>>,
  ): Promise<{ url: string; close(): Promise<void> }>;
  createUser(email: string, role: 'admin' | 'member', organizationId?: string): Promise<{ id: string; email: string; password: string }>;
  /** A new user of the fixture's organization, signed in over HTTP (the sign-in redirects: 303). */
  signedIn(email: string, role: 'admin' | 'member'): Promise<TestClient>;
  /**
   * An integration named «Shop» of a new consultant and skill of the fixture's organization, on a new
   * account of the HDE simulator (`slug`), with `settings` when given.
   */
  simIntegration(slug: string, settings?: Record<string, unknown>): Promise<Integration>;
  /** A Markdown article of a skill's knowledge base, imported by hand (`manual`, Russian, no tags or link). */
  addArticle(skillId: string, externalId: string, title: string, body: string): Promise<{ id: number }>;
  close(): Promise<void>;
};

/** Starts the fixture. */
export async function startFixture(settings: Partial<AppSettings> = {}): Promise<Fixture> {
  const db = await createTestDatabase('admin');
  await migrate(db.url);
  const secretsKey = randomBytes(32);
  const store = createStore({ url: db.url, secretsKey, poolSize: 5 });
  const admin = createAdminRepos(store.db);
  const sim = await startHdeSim();
  const prefix = uniquePrefix('admin');
  const connection = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
  const queues = Object.values(QUEUES).map((spec) => new Queue(spec.name, { connection, prefix: bullPrefix(prefix) }));
  const logger = createLogger({ service: 'admin-test', level: 'error' });
  const servers: Server[] = [];
  const org = await admin.catalog.firstOrganization('Test org');

  async function startApp(overrides: Partial<AppSettings> = {}, deps: Partial<Pick<AppDeps, 'turnProviders'>> = {}) {
    const app = createApp({
      // No LLM or embeddings unless a test gives them: the wiring the admin app uses without LLM_* set.
      turnProviders: deps.turnProviders ?? testBoxProviders({}, store, logger),
      store,
      admin,
      logger,
      queues,
      banWatch: createBanWatch({ redis: connection, prefix }),
      hdeBudgets: createAdminBudgets({ redis: connection, prefix, remainingFloor: 10 }),
      hdeClient: (o) => createHdeClient({ ...o, getRetries: 0, timeoutMs: 5000, allowPrivateNetwork: true }),
      settings: {
        sessionSecret: 'test-session-secret-that-is-long-enough-1234',
        sessionTtlSeconds: 3600,
        cookieSecure: true,
        loginMaxAttempts: 50,
        loginWindowSeconds: 600,
        publicWebhookBaseUrl: 'https://bot.example.test',
        tokenGraceSeconds: 3600,
        trustProxy: false,
        testBoxPerMinute: 1000,
        // The deployment's operators in these tests (Bull Board).
        queueOperators: new Set(['boss@example.test', 'ops@example.test']),
        ...settings,
        ...overrides,
      },
    });
    const server: Server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    servers.push(server);
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    return {
      url: `http://127.0.0.1:${port}`,
      close: () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    };
  }
  const main = await startApp();
  const createUser: Fixture['createUser'] = async (email, role, organizationId = org.id) => {
    const password = `pw-${randomBytes(6).toString('hex')}`;
    const user = await admin.accounts.createUser({ organizationId, email, role, passwordHash: await hashPassword(password) });
    return { id: user.id, email, password };
  };

  return {
    db,
    store,
    admin,
    sim,
    queues,
    prefix,
    url: main.url,
    orgId: org.id,
    secretsKeyHex: secretsKey.toString('hex'),
    startApp,
    async simIntegration(slug, settings) {
      const consultant = await store.organizations.createConsultant(org.id, 'Eddy');
      const skill = await store.organizations.createSkill({ organizationId: org.id, consultantId: consultant.id, name: 'Support' });
      const account = sim.createAccount({ slug });
      return store.integrations.create({
        organizationId: org.id,
        skillId: skill.id,
        name: 'Shop',
        hdeBaseUrl: account.baseUrl,
        adminEmail: account.adminEmail,
        apiKey: account.apiKey,
        ...(settings ? { settings } : {}),
      });
    },
    addArticle(skillId, externalId, title, body) {
      return store.kb.upsertArticle({
        skillId,
        source: 'manual',
        externalId,
        title,
        body,
        bodyFormat: 'markdown',
        tags: [],
        language: 'ru',
        url: null,
      });
    },
    createUser,
    async signedIn(email, role) {
      const user = await createUser(email, role);
      const client = new TestClient(main.url);
      expect((await client.login(user.email, user.password)).status).toBe(303);
      return client;
    },
    async close() {
      for (const s of servers) {
        s.closeAllConnections();
        await new Promise<void>((resolve) => s.close(() => resolve()));
      }
      await Promise.all(queues.map((q) => q.close()));
      connection.disconnect();
      await sim.close();
      await store.close();
      await deleteRedisPrefix(prefix);
      await db.drop();
    },
  };
}
