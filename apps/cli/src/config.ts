import { z } from 'zod';
import { BoolEnv, checkRedisEnv, DatabaseEnv, Key32, LogEnv, RedisEnv } from '@repo/config';

/** The CLI's environment. Only this file reads `process.env`. */
export const CliEnv = DatabaseEnv.extend(LogEnv.shape)
  // The worker's Redis: HDE calls of `setup` and `sync-kb` take from the same per-account budget.
  .extend(RedisEnv.shape)
  .extend({
    /** Key that encrypts HDE API keys (the same as the worker's): 64 hex or 44 base64 characters. */
    SECRETS_KEY: Key32.optional(),
    /** The key being rotated away from, for `rotate-secrets-key` (see README, "Rotating SECRETS_KEY"). */
    SECRETS_KEY_PREVIOUS: Key32.optional(),
    /** Public base URL of the ingress, as HDE reaches it, e.g. https://bot.example.com. */
    PUBLIC_WEBHOOK_BASE_URL: z.string().url().default('http://localhost:3000'),
    /** Allow plain http and private/loopback HDE base URLs (a simulator or an on-premises HDE). */
    HDE_ALLOW_PRIVATE_NETWORK: BoolEnv.default(false),
    /** HDE: pause an account when `X-Rate-Limit-Remaining` falls to this many requests (as the worker). */
    HDE_REMAINING_FLOOR: z.coerce.number().int().min(0).default(10),
    /**
     * The bot account's HDE API key for `setup` when `--api-key` is not given (or pipe it with
     * --api-key-stdin): kept out of the shell history and the process list; never printed.
     */
    HDE_API_KEY: z.string().min(1).optional(),
    /** Password for `create-admin` (or pipe it with --password-stdin); never printed. */
    ADMIN_PASSWORD: z.string().min(1).optional(),
  })
  .superRefine(checkRedisEnv);
/** Parsed CLI configuration. */
export type CliConfig = z.infer<typeof CliEnv>;

/**
 * The environment of `npm run eval:retrieval`: both optional, since the command-line options
 * (`--database-url`, `--embeddings-key`) come first.
 */
export const EvalRetrievalEnv = z.object({
  /** PostgreSQL server on which a throw-away evaluation database is created. */
  DATABASE_URL: z.string().min(1).default('postgres://postgres@127.0.0.1:5432/postgres'),
  /** Key of the embeddings provider given with `--embeddings-url`. */
  EMBEDDINGS_API_KEY: z.string().optional(),
});
/** Parsed `eval:retrieval` configuration. */
export type EvalRetrievalConfig = z.infer<typeof EvalRetrievalEnv>;
