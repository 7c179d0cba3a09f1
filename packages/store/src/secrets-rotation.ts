import type { Db } from './db';
import { keyContext } from './integrations.repo';
import { createSecretBox } from './secret-box';
import { CHECK_CONTEXT, CHECK_PLAIN, secretsKeyFingerprint } from './secrets-key-check';

/** A stored secret that neither the new nor the previous key opens: the rotation changed nothing. */
export class SecretsRotationError extends Error {
  readonly code = 'SECRETS_ROTATION_FAILED';
  readonly retryable = false;

  constructor(readonly integrationId: string) {
    super(
      `rotate-secrets-key: the API key of integration ${integrationId} opens with neither SECRETS_KEY nor SECRETS_KEY_PREVIOUS; nothing was changed`,
    );
    this.name = 'SecretsRotationError';
  }
}

/**
 * What {@link rotateSecretsKey} did: `resealed` keys moved from the previous key to the new one,
 * `alreadyCurrent` were sealed with the new key before (a second run, or a key an admin replaced
 * meanwhile) and were left as they were.
 */
export type SecretsRotation = { resealed: number; alreadyCurrent: number; fingerprint: string; previousFingerprint: string };

/**
 * Seals every stored secret (the integrations' HDE API keys) again under `key`, opening each with
 * `key` or `previous`, and records `key`'s check value, all in one transaction: either every secret
 * and the check value move to the new key or nothing changes. Rows are locked while they are
 * sealed again, so an admin replacing an API key at the same moment waits rather than being lost.
 * Running it twice is harmless. Processes must already hold both keys (`SECRETS_KEY` new,
 * `SECRETS_KEY_PREVIOUS` old), or those still on the old key alone stop opening the API keys.
 */
export async function rotateSecretsKey(db: Db, key: Buffer, previous: Buffer): Promise<SecretsRotation> {
  const fresh = createSecretBox(key);
  const old = createSecretBox(previous);
  const counts = await db.tx(async (client) => {
    const { rows } = await client.query<{ id: string; api_key_enc: string }>(
      'SELECT id, api_key_enc FROM integrations ORDER BY id FOR UPDATE',
    );
    let resealed = 0;
    for (const row of rows) {
      // Sealed with the new key already (a second run, or a key an admin replaced meanwhile): left as it is.
      if (openedWith(fresh, row) !== undefined) continue;
      const plain = openedWith(old, row);
      if (plain === undefined) throw new SecretsRotationError(row.id);
      // The key itself is unchanged, so its version (which makes workers build a new HDE client) stays.
      await client.query('UPDATE integrations SET api_key_enc = $2 WHERE id = $1', [row.id, fresh.seal(plain, keyContext(row.id))]);
      resealed += 1;
    }
    await client.query(
      `INSERT INTO secrets_key_check (id, sealed, fingerprint) VALUES (true, $1, $2)
       ON CONFLICT (id) DO UPDATE SET sealed = EXCLUDED.sealed, fingerprint = EXCLUDED.fingerprint`,
      [fresh.seal(CHECK_PLAIN, CHECK_CONTEXT), secretsKeyFingerprint(key)],
    );
    return { resealed, alreadyCurrent: rows.length - resealed };
  });
  return { ...counts, fingerprint: secretsKeyFingerprint(key), previousFingerprint: secretsKeyFingerprint(previous) };
}

/** A stored secret opened with `box`, or undefined when `box`'s key did not seal it. */
function openedWith(box: ReturnType<typeof createSecretBox>, row: { id: string; api_key_enc: string }): string | undefined {
  try {
    return box.open(row.api_key_enc, keyContext(row.id));
  } catch {
    return undefined;
  }
}
