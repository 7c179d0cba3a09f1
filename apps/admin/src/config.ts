import { z } from 'zod';
import { MIN_PASSWORD_LENGTH } from '@repo/store';
import {
  BoolEnv,
  checkProviderEnv,
  checkRedisEnv,
  DatabaseEnv,
  EmbeddingsEnv,
  KbLearningEnv,
  LlmEnv,
  LogEnv,
  RedisEnv,
  SecretsEnv,
  ShutdownEnv,
} from '@repo/config';

/** The admin app's environment. Only this file reads `process.env` (through `loadConfig`). */
export const AdminEnv = RedisEnv.extend(DatabaseEnv.shape)
  .extend(LogEnv.shape)
  .extend(SecretsEnv.shape)
  .extend(ShutdownEnv.shape)
  // The knowledge-base test box runs the worker's pipeline core with the worker's providers, so an
  // admin sees the answer (or hand-off) the bot would give: set these as the worker's are set.
  .extend(LlmEnv.shape)
  .extend(EmbeddingsEnv.shape)
  // The test box and the article pages search as the worker does, learning (or not) alike.
  .extend(KbLearningEnv.shape)
  .extend({
    /** TCP port of the web app. */
    ADMIN_PORT: z.coerce.number().int().min(0).max(65535).default(3100),
    /** Interface to listen on. */
    ADMIN_HOST: z.string().default('0.0.0.0'),
    /**
     * Secret (at least 32 characters) that keys the CSRF tokens (HMAC-SHA-256 of the session id).
     * Changing it invalidates open forms, not sessions.
     */
    ADMIN_SESSION_SECRET: z.string().min(32, 'must be at least 32 characters'),
    /** Lifetime of an idle session, in seconds; every request slides it. Default 12 hours. */
    ADMIN_SESSION_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(60)
      .default(12 * 3600),
    /**
     * `Secure` cookies: `auto` (default) marks them Secure when the request came over HTTPS (behind a
     * TLS-terminating proxy set TRUST_PROXY=true so X-Forwarded-Proto counts); `true` always (sign-in
     * over plain http then fails); `false` never.
     */
    ADMIN_COOKIE_SECURE: z
      .string()
      .trim()
      .toLowerCase()
      .refine((v) => ['auto', 'true', 'false', '1', '0', 'yes', 'no', 'on', 'off'].includes(v), { message: 'must be auto, true or false' })
      .transform((v): boolean | 'auto' => (v === 'auto' ? 'auto' : ['true', '1', 'yes', 'on'].includes(v)))
      .default('auto'),
    /** Failed and successful sign-ins allowed per client address and e-mail within the window. */
    ADMIN_LOGIN_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(10),
    /** Window of the sign-in limit, in seconds. */
    ADMIN_LOGIN_WINDOW_SECONDS: z.coerce
      .number()
      .int()
      .min(1)
      .default(15 * 60),
    /** E-mail of the first admin, created at first start when no admin exists yet. */
    ADMIN_BOOTSTRAP_EMAIL: z.string().email().optional(),
    /** Password of that first admin (at least 10 characters); change it after signing in. */
    ADMIN_BOOTSTRAP_PASSWORD: z.string().min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`).optional(),
    /** Name of the organization created for the first admin when there is none. */
    ADMIN_BOOTSTRAP_ORGANIZATION: z.string().min(1).default('My company'),
    /**
     * E-mails (comma-separated) of the deployment's operators: the only admins who may open Bull
     * Board, which shows and changes every organization's jobs. Default: ADMIN_BOOTSTRAP_EMAIL.
     */
    ADMIN_QUEUE_OPERATORS: z
      .string()
      .optional()
      .transform((v) =>
        (v ?? '')
          .split(',')
          .map((e) => e.trim().toLowerCase())
          .filter(Boolean),
      )
      .pipe(z.array(z.string().email('must be a comma-separated list of e-mail addresses'))),
    /**
     * Public base URL of the ingress as HDE reaches it, e.g. https://bot.example.com; the webhook URL
     * shown at setup is `${PUBLIC_WEBHOOK_BASE_URL}/api/bots/helpdeskeddy_bot/webhook/<token>`.
     */
    PUBLIC_WEBHOOK_BASE_URL: z.string().url().default('http://localhost:3000'),
    /** How long an old webhook token keeps working after a rotation, in seconds. Default 24 hours. */
    TOKEN_ROTATION_GRACE_SECONDS: z.coerce
      .number()
      .int()
      .min(0)
      .default(24 * 3600),
    /** Longest wait for one HDE call (credentials check, approved replies), in milliseconds. */
    HDE_CALL_TIMEOUT_MS: z.coerce.number().int().min(1000).default(15_000),
    /** HDE: the account pauses when `X-Rate-Limit-Remaining` falls to this many requests (the worker's setting too). */
    HDE_REMAINING_FLOOR: z.coerce.number().int().min(0).default(10),
    /** Allow plain http and private/loopback HDE base URLs (a simulator or an on-premises HDE). */
    HDE_ALLOW_PRIVATE_NETWORK: BoolEnv.default(false),
    /**
     * Test-box runs per user and minute (the page and the API's preview together); each may call the
     * LLM and embeddings providers.
     */
    ADMIN_TEST_BOX_PER_MINUTE: z.coerce.number().int().min(1).default(30),
    /** Run database migrations at start. */
    RUN_MIGRATIONS: BoolEnv.default(true),
    /**
     * Express `trust proxy`: true when behind one reverse proxy; then X-Forwarded-For gives client
     * addresses (sign-in limit) and X-Forwarded-Proto tells HTTPS (Secure cookies under `auto`).
     */
    TRUST_PROXY: BoolEnv.default(false),
  })
  .superRefine(checkProviderEnv)
  .superRefine(checkRedisEnv);

/** Parsed admin configuration. */
export type AdminConfig = z.infer<typeof AdminEnv>;
