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

/** A 32-byte key given as 64 hex characters or 44 base64 characters. */
export const Key32 = z
  .string()
  .trim()
  .transform((v, ctx) => {
    const buf = /^[0-9a-f]{64}$/i.test(v) ? Buffer.from(v, 'hex') : Buffer.from(v, 'base64');
    if (buf.length !== 32) {
      ctx.addIssue({ code: 'custom', message: 'must be 32 bytes as 64 hex or 44 base64 characters' });
      return z.NEVER;
    }
    return buf;
  });
