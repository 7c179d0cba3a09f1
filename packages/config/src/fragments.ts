import { z } from 'zod';
import { DurationMs, Key32, BoolEnv } from './env-helpers';

/**
 * A URL with one of `schemes` and, if given, a port in 1..65535. Messages show the expected shape,
 * never the value (it may carry a password).
 */
function urlWithScheme(schemes: string[], shape: string) {
  return z.string().superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: `is not a URL; expected ${shape}` });
      return;
    }
    if (!schemes.includes(url.protocol)) {
      ctx.addIssue({ code: 'custom', message: `must start with ${schemes.map((s) => `${s}//`).join(' or ')} (expected ${shape})` });
    }
    if (url.port !== '' && (Number(url.port) < 1 || Number(url.port) > 65535)) {
      ctx.addIssue({ code: 'custom', message: 'has a port outside 1..65535' });
    }
  });
}

/** Redis connection and key prefix. */
export const RedisEnv = z.object({
  /** Redis URL, e.g. redis://127.0.0.1:6379. */
  REDIS_URL: urlWithScheme(['redis:', 'rediss:'], 'redis://host:6379').default('redis://127.0.0.1:6379'),
  /** Prefix of every Redis key; wrapped in `{}` so one deployment's keys hash to one cluster slot. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9_-]+$/, 'letters, digits, - and _ only')
    .default('hdebot'),
});

/** PostgreSQL connection. */
export const DatabaseEnv = z.object({
  /** PostgreSQL URL, e.g. postgres://postgres@127.0.0.1:5432/hdebot. */
  DATABASE_URL: urlWithScheme(['postgres:', 'postgresql:'], 'postgres://user:password@host:5432/database').default(
    'postgres://postgres@127.0.0.1:5432/hdebot',
  ),
  /** Connections in this process's pool. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  /**
   * Send the store's statements as named prepared statements (parsed and planned once per
   * connection instead of every time). Turn off behind a pooler that cannot keep them (PgBouncer
   * in transaction mode before 1.21).
   */
  DATABASE_PREPARED_STATEMENTS: BoolEnv.default(true),
});

/** Logging. */
export const LogEnv = z.object({
  /** winston level: error, warn, info, debug. */
  LOG_LEVEL: z.enum(['error', 'warn', 'info', 'debug']).default('info'),
  /** `json` for machines, `pretty` for people. */
  LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
});

/** Encryption of secrets at rest. */
export const SecretsEnv = z.object({
  /** Key that encrypts HDE API keys (AES-256-GCM): 32 bytes as 64 hex or 44 base64 characters. */
  SECRETS_KEY: Key32,
});

/** Graceful shutdown. */
export const ShutdownEnv = z.object({
  /** Milliseconds to wait for in-flight work on SIGTERM before closing anyway. */
  SHUTDOWN_TIMEOUT_MS: DurationMs.default(10_000),
});
