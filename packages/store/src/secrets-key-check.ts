import { createHash } from 'node:crypto';
import type { Db } from './db';
import { keyContext } from './integrations.repo';
import { createSecretBox } from './secret-box';

/** The context and text of the check value that tells whether a key opens the stored secrets. */
export const CHECK_CONTEXT = 'secrets-key-check';
/** See {@link CHECK_CONTEXT}. */
export const CHECK_PLAIN = 'hde-consultant secrets key check v1';

/**
 * A short, one-way fingerprint of a SECRETS_KEY, safe to print: it tells two keys apart without
 * revealing either.
 */
export function secretsKeyFingerprint(key: Buffer): string {
  return createHash('sha256').update('hde-consultant:secrets-key-fingerprint:').update(key).digest('hex').slice(0, 12);
}

/** This process's SECRETS_KEY is not the key the stored API keys were sealed with. */
export class SecretsKeyMismatchError extends Error {
  readonly code = 'SECRETS_KEY_MISMATCH';
  readonly retryable = false;

  constructor(
    readonly fingerprint: string,
    readonly expectedFingerprint: string | undefined,
  ) {
    super(
      `SECRETS_KEY: this process's key (fingerprint ${fingerprint}) does not open the API keys stored in the database` +
        (expectedFingerprint ? ` (they were sealed with the key of fingerprint ${expectedFingerprint})` : '') +
        '; give the worker, the admin app and the CLI the same SECRETS_KEY',
    );
    this.name = 'SecretsKeyMismatchError';
  }
}

/**
 * Checks at start that `key` opens the secrets stored in the database. The first process with a key
 * records a check value sealed with it (after making sure it opens an integration's API key, if there
 * is one); later processes open that value. During a rotation (`previous` set: `SECRETS_KEY_PREVIOUS`)
 * either key will do. Throws {@link SecretsKeyMismatchError} on a wrong key.
 */
export async function verifySecretsKey(db: Db, key: Buffer, previous?: Buffer): Promise<void> {
  const box = createSecretBox(key, previous);
  const fingerprint = secretsKeyFingerprint(key);
  const opens = (sealed: string, context: string, plain?: string) => {
    try {
      const value = box.open(sealed, context);
      return plain === undefined || value === plain;
    } catch {
      return false;
    }
  };
  let [check] = await db.query<{ sealed: string; fingerprint: string }>('SELECT sealed, fingerprint FROM secrets_key_check');
  if (!check) {
    // A database from before the check value: a stored API key tells whether this is the right key.
    const [integration] = await db.query<{ id: string; api_key_enc: string }>(
      'SELECT id, api_key_enc FROM integrations ORDER BY created_at LIMIT 1',
    );
    if (integration && !opens(integration.api_key_enc, keyContext(integration.id))) {
      throw new SecretsKeyMismatchError(fingerprint, undefined);
    }
    await db.query('INSERT INTO secrets_key_check (id, sealed, fingerprint) VALUES (true, $1, $2) ON CONFLICT (id) DO NOTHING', [
      box.seal(CHECK_PLAIN, CHECK_CONTEXT),
      fingerprint,
    ]);
    // Two processes started together with different keys: only one value wins, the other must fail.
    [check] = await db.query<{ sealed: string; fingerprint: string }>('SELECT sealed, fingerprint FROM secrets_key_check');
  }
  if (!check || !opens(check.sealed, CHECK_CONTEXT, CHECK_PLAIN)) throw new SecretsKeyMismatchError(fingerprint, check?.fingerprint);
}
