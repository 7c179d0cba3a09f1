import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { createStore, migrate, secretsKeyFingerprint, SecretsKeyMismatchError, verifySecretsKey, type Store } from '@repo/store';
import { createTestDatabase, type TestDatabase } from '@repo/testing';

/**
 * Rotating SECRETS_KEY as an operator does after a leak: every app first gets the new key with the
 * old one as SECRETS_KEY_PREVIOUS, `rotate-secrets-key` seals the stored HDE API keys again, then the
 * old key is dropped. Real PostgreSQL; the built CLI as a child process.
 */
describe('rotate-secrets-key', () => {
  let database: TestDatabase;
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);
  const apiKeys = ['hde-key-one-7f3a', 'hde-key-two-91bc'];
  let integrationIds: string[];

  const storeWith = (secretsKey: Buffer, previousSecretsKey?: Buffer): Store =>
    createStore({ url: database.url, secretsKey, ...(previousSecretsKey ? { previousSecretsKey } : {}), poolSize: 2 });

  async function credentialsWith(secretsKey: Buffer, previousSecretsKey?: Buffer): Promise<Array<string | Error>> {
    const store = storeWith(secretsKey, previousSecretsKey);
    try {
      return await Promise.all(
        integrationIds.map((id) =>
          store.integrations.credentials(id).then(
            (c) => c?.apiKey ?? new Error('none'),
            (e: unknown) => e as Error,
          ),
        ),
      );
    } finally {
      await store.close();
    }
  }

  async function verifyWith(secretsKey: Buffer, previousSecretsKey?: Buffer): Promise<void> {
    const store = storeWith(secretsKey, previousSecretsKey);
    try {
      await verifySecretsKey(store.db, secretsKey, previousSecretsKey);
    } finally {
      await store.close();
    }
  }

  function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [path.join(__dirname, '..', 'dist', 'main.js'), ...args], {
        env: { PATH: process.env.PATH ?? '', DATABASE_URL: database.url, LOG_LEVEL: 'error', ...env },
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      child.on('close', (code) => resolve({ code, out, err }));
    });
  }

  beforeAll(async () => {
    database = await createTestDatabase('rotate_secrets');
    await migrate(database.url);
    const store = storeWith(oldKey);
    try {
      const organization = await store.organizations.createOrganization('Rotation');
      const consultant = await store.organizations.createConsultant(organization.id, 'Eddy');
      const skill = await store.organizations.createSkill({
        organizationId: organization.id,
        consultantId: consultant.id,
        name: 'Support',
      });
      integrationIds = [];
      for (const apiKey of apiKeys) {
        const integration = await store.integrations.create({
          organizationId: organization.id,
          skillId: skill.id,
          hdeBaseUrl: 'https://acme.helpdeskeddy.com',
          adminEmail: 'bot@acme.example',
          apiKey,
        });
        integrationIds.push(integration.id);
      }
      await verifySecretsKey(store.db, oldKey);
    } finally {
      await store.close();
    }
  }, 60_000);

  afterAll(async () => {
    await database?.drop();
  });

  it('moves every stored API key and the check value to the new key, in steps an operator can roll out', async () => {
    // Step 1: apps restarted with the new key and the old one as previous still open everything.
    expect(await credentialsWith(newKey, oldKey)).toEqual(apiKeys);
    await expect(verifyWith(newKey, oldKey)).resolves.toBeUndefined();
    // The new key alone does not, yet: an app given only the new key refuses to start.
    await expect(verifyWith(newKey)).rejects.toBeInstanceOf(SecretsKeyMismatchError);

    // Step 2: the rotation.
    const run = await runCli(['rotate-secrets-key', '--json'], {
      SECRETS_KEY: newKey.toString('hex'),
      SECRETS_KEY_PREVIOUS: oldKey.toString('hex'),
    });
    expect(run).toMatchObject({ code: 0 });
    expect(JSON.parse(run.out)).toEqual({
      resealed: 2,
      alreadyCurrent: 0,
      fingerprint: secretsKeyFingerprint(newKey),
      previousFingerprint: secretsKeyFingerprint(oldKey),
    });

    // Step 3: the new key alone opens everything; the old one no longer does, and an app still on it refuses to start.
    expect(await credentialsWith(newKey)).toEqual(apiKeys);
    // (Errors from node's crypto belong to another realm than the test's Error: no instanceof here.)
    for (const result of await credentialsWith(oldKey)) expect(typeof result).not.toBe('string');
    await expect(verifyWith(newKey)).resolves.toBeUndefined();
    await expect(verifyWith(oldKey)).rejects.toBeInstanceOf(SecretsKeyMismatchError);

    // Run again: harmless.
    const again = await runCli(['rotate-secrets-key', '--json'], {
      SECRETS_KEY: newKey.toString('hex'),
      SECRETS_KEY_PREVIOUS: oldKey.toString('hex'),
    });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out)).toMatchObject({ resealed: 0, alreadyCurrent: 2 });
    expect(await credentialsWith(newKey)).toEqual(apiKeys);
    // In words, a second run does not claim to have moved anything.
    const told = await runCli(['rotate-secrets-key'], {
      SECRETS_KEY: newKey.toString('hex'),
      SECRETS_KEY_PREVIOUS: oldKey.toString('hex'),
    });
    expect(told.out).toContain(
      `Nothing to reseal: 2 API key(s) were sealed with the key of fingerprint ${secretsKeyFingerprint(newKey)} already.`,
    );
    expect(told.out).not.toContain(secretsKeyFingerprint(oldKey));
  }, 60_000);

  it('changes nothing when the previous key given opens no stored key, and names the variables without their values', async () => {
    const wrong = randomBytes(32);
    const other = randomBytes(32);
    const refused = await runCli(['rotate-secrets-key'], {
      SECRETS_KEY: other.toString('hex'),
      SECRETS_KEY_PREVIOUS: wrong.toString('hex'),
    });
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('opens with neither SECRETS_KEY nor SECRETS_KEY_PREVIOUS; nothing was changed');
    // Still the key of the rotation before.
    expect(await credentialsWith(newKey)).toEqual(apiKeys);
    await expect(verifyWith(newKey)).resolves.toBeUndefined();

    const missing = await runCli(['rotate-secrets-key'], { SECRETS_KEY: newKey.toString('hex') });
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('SECRETS_KEY_PREVIOUS: is required');
    const same = await runCli(['rotate-secrets-key'], {
      SECRETS_KEY: newKey.toString('hex'),
      SECRETS_KEY_PREVIOUS: newKey.toString('hex'),
    });
    expect(same.code).toBe(1);
    expect(same.err).toContain('SECRETS_KEY_PREVIOUS: is the same key as SECRETS_KEY');
    for (const output of [refused, missing, same]) {
      for (const key of [newKey, wrong, other]) expect(output.err + output.out).not.toContain(key.toString('hex'));
    }
  }, 60_000);
});
