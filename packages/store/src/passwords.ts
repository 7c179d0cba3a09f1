import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** scrypt cost: N = 2^15, r = 8 → 32 MiB of memory per hash, the OWASP-recommended minimum. */
const LOG_N = 15;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

function scryptAsync(password: string, salt: Buffer, logN: number, r: number, p: number): Promise<Buffer> {
  const options: ScryptOptions = { N: 2 ** logN, r, p, maxmem: 256 * 2 ** logN * r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** The shortest password of an admin-app user, wherever one is set (bootstrap, CLI, the app). */
export const MIN_PASSWORD_LENGTH = 10;

/** Hashes a password with scrypt (memory-hard); the parameters travel in the string so they can grow. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, LOG_N, R, P);
  return ['scrypt', LOG_N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Checks a password against a stored hash in constant time; a malformed hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, logN, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !logN || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64url'), Number(logN), Number(r), Number(p));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** A hash of a random password, verified when an e-mail is unknown so both cases cost the same. */
export const DUMMY_HASH_PROMISE: { value?: Promise<string> } = {};

/** Verifies against a dummy hash: keeps sign-in timing equal for unknown e-mails. */
export async function burnPasswordCheck(password: string): Promise<void> {
  DUMMY_HASH_PROMISE.value ??= hashPassword(randomBytes(16).toString('hex'));
  await verifyPassword(password, await DUMMY_HASH_PROMISE.value);
}
