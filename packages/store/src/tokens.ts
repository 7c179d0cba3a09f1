import { createHash, randomBytes } from 'node:crypto';

/** Recognisable prefix so leaked tokens are easy to find with secret scanners. */
export const TOKEN_PREFIX = 'hdeb_';

/** A new webhook token: 256 random bits, base64url. Shown once, stored only as its hash. */
export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/** SHA-256 of a token, as stored. A fast hash is right for a 256-bit random secret. */
export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** A short, non-secret hint for lists: the prefix and the last four characters. */
export function tokenHint(token: string): string {
  return `${TOKEN_PREFIX}…${token.slice(-4)}`;
}
