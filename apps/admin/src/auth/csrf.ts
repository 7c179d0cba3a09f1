import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * CSRF tokens bound to a session: HMAC-SHA-256 of the session id under the app secret, so nothing is
 * stored and a token from one session is useless in another. Before sign-in the binding is a random
 * value in its own cookie (double submit).
 */
export type Csrf = {
  tokenFor(binding: string): string;
  verify(binding: string, token: unknown): boolean;
  newBinding(): string;
};

/** Creates the CSRF helper under a secret. */
export function createCsrf(secret: string): Csrf {
  const tokenFor = (binding: string) => createHmac('sha256', secret).update(`csrf:${binding}`).digest('base64url');
  return {
    tokenFor,
    verify(binding, token) {
      if (typeof token !== 'string' || token.length === 0) return false;
      const expected = Buffer.from(tokenFor(binding));
      const actual = Buffer.from(token);
      return expected.length === actual.length && timingSafeEqual(expected, actual);
    },
    newBinding: () => randomBytes(24).toString('base64url'),
  };
}
