import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '@repo/testing';
import { createStore } from './create-store';
import { DatabaseSetupError } from './database-errors';
import { migrate } from './migrate';
import { SecretsKeyMismatchError, secretsKeyFingerprint, verifySecretsKey } from './secrets-key-check';

describe('start-up checks against real PostgreSQL', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('startup');
  });
  afterAll(async () => {
    await database.drop();
  });

  it('lets processes that migrate at the same moment wait for each other instead of failing', async () => {
    await expect(Promise.all([migrate(database.url), migrate(database.url), migrate(database.url)])).resolves.toHaveLength(3);
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: string }>(
        "SELECT count(*) AS n FROM schema_migrations WHERE name LIKE '%secrets_key_check'",
      );
      expect(Number(rows[0]!.n)).toBe(1);
    } finally {
      await client.end();
    }
  });

  it('gives up on a held migration lock after the bounded wait, saying why', async () => {
    const holder = new Client({ connectionString: database.url });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock(7241865325823964)');
      const error = await migrate(database.url, { lockTimeoutMs: 300 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DatabaseSetupError);
      expect((error as Error).message).toMatch(/Waited 0 s for another process to finish the database migration/);
    } finally {
      await holder.end();
    }
  });

  it('names DATABASE_URL and the command when the database does not exist, without the password', async () => {
    const url = new URL(database.url);
    url.pathname = '/no_such_database_for_startup_test';
    url.password = 'secret-pw';
    const error = await migrate(url.toString()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseSetupError);
    expect((error as Error).message).toContain('DATABASE_URL: the database "no_such_database_for_startup_test" does not exist');
    expect((error as Error).message).toContain('createdb -h');
    expect((error as Error).message).not.toContain('secret-pw');
  });

  it('names DATABASE_URL when nothing listens on the port', async () => {
    const url = new URL(database.url);
    url.port = '1';
    const error = await migrate(url.toString()).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^DATABASE_URL: nothing accepts connections at .*:1/);
  });

  it('names DATABASE_URL instead of hanging when the address accepts but never answers', async () => {
    // A port that takes the connection and says nothing: a firewall's black hole, or another service.
    const sockets: Socket[] = [];
    const server = createServer((s) => void sockets.push(s));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const error = await migrate(`postgres://u:secret-pw@127.0.0.1:${port}/db`, { connectTimeoutMs: 300 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DatabaseSetupError);
      expect((error as Error).message).toMatch(/^DATABASE_URL: 127\.0\.0\.1:\d+ does not answer as PostgreSQL/);
      expect((error as Error).message).not.toContain('secret-pw');
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('records a key-check value with the first key and refuses a different key, naming both fingerprints', async () => {
    const right = randomBytes(32);
    const wrong = randomBytes(32);
    const store = createStore({ url: database.url, secretsKey: right });
    try {
      await verifySecretsKey(store.db, right);
      await verifySecretsKey(store.db, right);
      const error = await verifySecretsKey(store.db, wrong).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SecretsKeyMismatchError);
      expect((error as Error).message).toContain(`fingerprint ${secretsKeyFingerprint(wrong)}`);
      expect((error as Error).message).toContain(`key of fingerprint ${secretsKeyFingerprint(right)}`);
      expect((error as Error).message).not.toContain(wrong.toString('hex'));
    } finally {
      await store.close();
    }
  });

  it('on a database from before the check value, a stored API key decides', async () => {
    const other = await createTestDatabase('startup_legacy');
    const right = randomBytes(32);
    try {
      await migrate(other.url);
      const store = createStore({ url: other.url, secretsKey: right });
      try {
        const org = await store.organizations.createOrganization('Acme');
        const consultant = await store.organizations.createConsultant(org.id, 'Eddy');
        const skill = await store.organizations.createSkill({ organizationId: org.id, consultantId: consultant.id, name: 'Support' });
        await store.integrations.create({
          organizationId: org.id,
          skillId: skill.id,
          hdeBaseUrl: 'https://acme.helpdeskeddy.com/',
          adminEmail: 'a@acme.test',
          apiKey: 'k-123',
        });
        await expect(verifySecretsKey(store.db, randomBytes(32))).rejects.toBeInstanceOf(SecretsKeyMismatchError);
        await expect(verifySecretsKey(store.db, right)).resolves.toBeUndefined();
      } finally {
        await store.close();
      }
    } finally {
      await other.drop();
    }
  });
});
