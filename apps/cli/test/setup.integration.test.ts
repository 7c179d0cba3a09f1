import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { startHdeSim, type AccountInfo, type HdeSim } from '@repo/hde-sim';
import { createAdminRepos, createStore, migrate, type Store } from '@repo/store';
import { createTestDatabase, deleteRedisPrefix, testRedisUrl, uniquePrefix, type TestDatabase } from '@repo/testing';
import { createAdmin } from '../src/commands/create-admin.command';
import { createCliBudgets, type CliBudgets } from '../src/commands/hde-budget';
import { setupIntegration, SetupError, type SetupInput } from '../src/commands/setup.command';

// The CLI's `setup` and `create-admin` as a company deploying the product runs them after the admin
// app has started once (its bootstrap organization exists), against the HDE simulator.
describe('CLI setup and create-admin', () => {
  const prefix = uniquePrefix('clisetup');
  let sim: HdeSim;
  let database: TestDatabase;
  let store: Store;
  let budgets: CliBudgets;
  let account: AccountInfo;
  let departmentId: number;
  const secretsKey = randomBytes(32);

  beforeAll(async () => {
    sim = await startHdeSim();
    database = await createTestDatabase('cli_setup');
    await migrate(database.url);
    store = createStore({ url: database.url, secretsKey });
    budgets = createCliBudgets({ redis: testRedisUrl(), prefix, remainingFloor: 0, maxWaitMs: 5_000 });
    account = sim.createAccount({ slug: 'acme' });
    departmentId = sim.createDepartment(account.slug, { name: { ru: 'Поддержка', en: 'Support', ua: 'Підтримка' } }).id;
  }, 60_000);

  afterAll(async () => {
    await budgets?.close();
    await deleteRedisPrefix(prefix);
    await sim?.close();
    await store?.close();
    await database?.drop();
  });

  const input = (patch: Partial<SetupInput>): SetupInput => ({
    organization: 'My company',
    consultant: 'Eddy',
    skill: 'Support',
    hdeUrl: account.baseUrl,
    email: account.adminEmail,
    apiKey: account.apiKey,
    replyMode: 'public',
    publicBaseUrl: 'https://bot.example.com',
    allowPrivateNetwork: true,
    ...patch,
  });
  const organizationOf = async (integrationId: string) =>
    (await store.db.query<{ organization_id: string }>('SELECT organization_id FROM integrations WHERE id = $1', [integrationId]))[0]!
      .organization_id;

  it("puts the integration in the admin app's organization of that name, and a new name in a new one", async () => {
    const bootstrap = await createAdminRepos(store.db).catalog.firstOrganization('My company');
    const first = await setupIntegration(store, input({ handoffDepartmentId: departmentId, joinNamed: true }), budgets);
    expect(first).toMatchObject({ organizationId: bootstrap.id, organizationCreated: false });
    expect(await organizationOf(first.integrationId)).toBe(bootstrap.id);
    const other = await setupIntegration(store, input({ organization: 'Acme', joinNamed: true }), budgets);
    expect(other.organizationId).not.toBe(bootstrap.id);
    expect(other.organizationCreated).toBe(true);
    // Without --org (the default name, not asked to join) a company gets an organization of its own.
    const unnamed = await setupIntegration(store, input({}), budgets);
    expect(unnamed.organizationId).not.toBe(bootstrap.id);
    const byId = await setupIntegration(store, input({ organization: 'ignored', organizationId: other.organizationId }), budgets);
    expect(byId.organizationId).toBe(other.organizationId);
    await expect(setupIntegration(store, input({ organizationId: '00000000-0000-4000-8000-000000000000' }), budgets)).rejects.toThrow(
      /no organization with the id/,
    );
  }, 30_000);

  it('reads the HDE address as pasted: the API base or a page of the account', async () => {
    const pasted = await setupIntegration(store, input({ hdeUrl: `${account.baseUrl}/api/v2/` }), budgets);
    const stored = await store.db.query<{ hde_base_url: string }>('SELECT hde_base_url FROM integrations WHERE id = $1', [
      pasted.integrationId,
    ]);
    expect(stored[0]!.hde_base_url).toBe(account.baseUrl);
    await expect(setupIntegration(store, input({ hdeUrl: 'ftp://acme.example' }), budgets)).rejects.toThrow(/--hde-url must be/);
  }, 30_000);

  it('refuses a hand-off department HDE does not have, naming the ones it has', async () => {
    const error = await setupIntegration(store, input({ handoffDepartmentId: 999 }), budgets).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SetupError);
    expect((error as Error).message).toContain(`HDE has no department 999`);
    expect((error as Error).message).toContain(String(departmentId));
  }, 30_000);

  /** The environment a deployment gives the CLI: this suite's database, Redis, key and simulator. */
  function cliEnv(): Record<string, string> {
    return {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: database.url,
      REDIS_URL: testRedisUrl(),
      REDIS_PREFIX: prefix,
      SECRETS_KEY: secretsKey.toString('hex'),
      HDE_ALLOW_PRIVATE_NETWORK: 'true',
      LOG_LEVEL: 'error',
    };
  }

  /** Runs the built CLI (asynchronously: the simulator it calls runs in this process). */
  function runCli(args: string[], env: Record<string, string>, input = ''): Promise<{ code: number | null; out: string; err: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [path.join(__dirname, '..', 'dist', 'main.js'), ...args], { env });
      let out = '';
      let err = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      child.on('close', (code) => resolve({ code, out, err }));
      child.stdin.end(input);
    });
  }

  it('takes the API key from standard input or HDE_API_KEY, so it is never on the command line', async () => {
    const env = cliEnv();
    const args = ['setup', '--json', '--org', 'Stdin', '--hde-url', account.baseUrl, '--email', account.adminEmail];
    const viaStdin = await runCli([...args, '--api-key-stdin'], env, `${account.apiKey}\n`);
    expect(viaStdin.code).toBe(0);
    const viaEnv = await runCli(args, { ...env, HDE_API_KEY: account.apiKey });
    expect(viaEnv.code).toBe(0);
    const ids = [viaStdin, viaEnv].map((r) => (JSON.parse(r.out) as { integrationId: string }).integrationId);
    expect(new Set(ids).size).toBe(2);
    const missing = await runCli(args, env);
    expect(missing.code).not.toBe(0);
    expect(missing.err).toContain('--api-key-stdin');
    // The simulator's http address, without the operator's permission: refused, with what to set.
    const { HDE_ALLOW_PRIVATE_NETWORK: _allowed, ...guarded } = env;
    const http = await runCli(args, { ...guarded, HDE_API_KEY: account.apiKey });
    expect(http.code).toBe(1);
    expect(http.err).toContain('HDE base URL must use https');
    expect(http.err).toContain('HDE_ALLOW_PRIVATE_NETWORK=true');
  }, 60_000);

  it("refuses a SECRETS_KEY other than the deployment's before storing anything: an API key sealed with it no app could open", async () => {
    const env = cliEnv();
    const args = ['setup', '--json', '--org', 'Other key', '--hde-url', account.baseUrl, '--email', account.adminEmail];
    // The deployment's key is on record (the first run records its check value).
    expect((await runCli(args, { ...env, HDE_API_KEY: account.apiKey })).code).toBe(0);
    const count = async () => (await store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM integrations'))[0]!.n;
    const before = await count();
    const other = randomBytes(32).toString('hex');
    const refused = await runCli(args, { ...env, SECRETS_KEY: other, HDE_API_KEY: account.apiKey });
    expect(refused.code).not.toBe(0);
    expect(refused.err).toContain('SECRETS_KEY');
    expect(refused.err).not.toContain(other);
    expect(await count()).toBe(before);
    const sync = await runCli(['sync-kb', '--integration', '00000000-0000-0000-0000-000000000000'], { ...env, SECRETS_KEY: other });
    expect(sync.code).not.toBe(0);
    expect(sync.err).toContain('SECRETS_KEY');
  }, 60_000);

  it('answers a token command without its subcommand, a malformed id and an id of no token in force in words, not a database error', async () => {
    const env = cliEnv();
    const none = await runCli([], env);
    expect(none.code).toBe(1);
    expect(none.err).toContain('Give a command');
    const help = await runCli(['--help'], env);
    expect(help.code).toBe(0);
    expect(help.out).toContain('rotate-secrets-key');
    const bare = await runCli(['token'], env);
    expect(bare.code).toBe(1);
    expect(bare.err).toContain('"token" needs one of its commands: rotate, revoke or list');
    const malformed = await runCli(['token', 'revoke', '--token-id', 'nonexistent'], env);
    expect(malformed.code).toBe(1);
    expect(malformed.err).toContain('--token-id must be an id in UUID form');
    expect(malformed.err).not.toContain('invalid input syntax');
    const unknown = await runCli(['token', 'revoke', '--token-id', '00000000-0000-0000-0000-000000000000'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('No token in force has that id');
    expect(unknown.out).not.toContain('Token revoked');
  }, 60_000);

  it('create-admin --org joins the organization of that name; without it, the first one', async () => {
    const catalog = createAdminRepos(store.db).catalog;
    const first = await catalog.firstOrganization('My company');
    const acme = await store.organizations.organizationNamed('Acme');
    const password = 'correct horse battery';
    await createAdmin(store, { email: 'ops@acme.example', password, organization: 'Acme', joinNamed: true });
    await createAdmin(store, { email: 'root@acme.example', password, organization: 'Acme' });
    const orgOf = async (email: string) =>
      (await store.db.query<{ organization_id: string }>('SELECT organization_id FROM users WHERE email = $1', [email]))[0]
        ?.organization_id;
    expect(await orgOf('ops@acme.example')).toBe(acme.id);
    expect(await orgOf('root@acme.example')).toBe(first.id);
  }, 30_000);
});
