import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';

/**
 * Encrypts secrets (HDE API keys) at rest with AES-256-GCM. Each value gets a random 96-bit IV; the
 * record id is bound as additional data so a ciphertext copied to another row does not decrypt.
 */
export type SecretBox = {
  seal(plain: string, context: string): string;
  open(sealed: string, context: string): string;
};

/**
 * Creates a {@link SecretBox} under a 32-byte key. With `previous` (the key being rotated away from,
 * `SECRETS_KEY_PREVIOUS`) values sealed under the old key still open, while everything is sealed
 * under the new one: processes keep working through a rotation until `rotate-secrets-key` has
 * sealed every stored value again.
 */
export function createSecretBox(key: Buffer, previous?: Buffer): SecretBox {
  if (key.length !== 32) throw new Error('SecretBox key must be 32 bytes');
  const current = singleKeyBox(key);
  if (!previous) return current;
  const old = singleKeyBox(previous);
  return {
    seal: (plain, context) => current.seal(plain, context),
    open(sealed, context) {
      try {
        return current.open(sealed, context);
      } catch {
        return old.open(sealed, context);
      }
    },
  };
}

function singleKeyBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error('SecretBox key must be 32 bytes');
  return {
    seal(plain, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, iv.toString('base64url'), tag.toString('base64url'), ct.toString('base64url')].join('.');
    },
    open(sealed, context) {
      const [version, iv, tag, ct] = sealed.split('.');
      if (version !== VERSION || !iv || !tag || ct === undefined) throw new Error('Unknown secret format');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), { authTagLength: 16 });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}
