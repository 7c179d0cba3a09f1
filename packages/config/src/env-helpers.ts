import { z } from 'zod';

/** A boolean from an environment string: `true/false/1/0/yes/no/on/off`, case-insensitive. */
export const BoolEnv = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ['true', 'false', '1', '0', 'yes', 'no', 'on', 'off', ''].includes(v), {
    message: 'must be true or false',
  })
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));

/** A whole number of milliseconds, at least 0. */
export const DurationMs = z.coerce.number().int().min(0);

/** A positive whole number. */
export const PositiveInt = z.coerce.number().int().min(1);

/** A comma-separated list of non-empty strings. */
export const CsvList = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0),
);

/**
 * Fewest distinct byte values a 32-byte key must have. 32 random bytes have about 30; fewer than 16
 * happens by chance with a probability far below 1e-20, but a typed or patterned key (`aaaa…`,
 * `0123456789abcdef` four times) has 1–8.
 */
const KEY_MIN_DISTINCT_BYTES = 16;

/**
 * A 32-byte random key given as 64 hex characters or 44 base64 characters (`openssl rand -hex 32`,
 * `openssl rand -base64 32`). Base64 must be the padded 44-character form, so a typed 43-letter
 * phrase is not read as a key, and a key of a few repeated bytes is refused as not random.
 */
export const Key32 = z
  .string()
  .trim()
  .transform((v, ctx) => {
    const buf = /^[0-9a-f]{64}$/i.test(v) ? Buffer.from(v, 'hex') : /^[A-Za-z0-9+/]{43}=$/.test(v) ? Buffer.from(v, 'base64') : undefined;
    if (buf?.length !== 32) {
      ctx.addIssue({ code: 'custom', message: 'must be 32 bytes as 64 hex or 44 base64 characters' });
      return z.NEVER;
    }
    if (new Set(buf).size < KEY_MIN_DISTINCT_BYTES) {
      ctx.addIssue({ code: 'custom', message: 'is not random (a few bytes repeated): generate one with openssl rand -hex 32' });
      return z.NEVER;
    }
    return buf;
  });
