import { z } from 'zod';
import { DurationMs, Key32 } from './env-helpers';

/** Redis connection and key prefix. */
export const RedisEnv = z.object({
  /** Redis URL, e.g. redis://127.0.0.1:6379. */
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  /** Prefix of every Redis key; wrapped in `{}` so one deployment's keys hash to one cluster slot. */
  REDIS_PREFIX: z.string().regex(/^[a-zA-Z0-9_-]+$/, 'letters, digits, - and _ only').default('hdebot'),
});

/** PostgreSQL connection. */
export const DatabaseEnv = z.object({
  /** PostgreSQL URL, e.g. postgres://postgres@127.0.0.1:5432/hdebot. */
  DATABASE_URL: z.string().min(1).default('postgres://postgres@127.0.0.1:5432/hdebot'),
  /** Connections in this process's pool. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
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
