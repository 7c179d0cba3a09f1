import { z } from 'zod';
import { DurationMs, Key32, BoolEnv, PositiveInt } from './env-helpers';
import { redisUrlProblem } from './redis-nodes';

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

/** Redis connection and key prefix; an app's schema adds `checkRedisEnv` to its `superRefine`. */
export const RedisEnv = z.object({
  /**
   * Redis URL, e.g. redis://127.0.0.1:6379 (rediss:// for TLS). With `REDIS_CLUSTER`, one or more seed
   * nodes, comma-separated: `rediss://:password@node1:6379,node2:6379` (every node takes the first
   * URL's scheme, user and password).
   */
  REDIS_URL: z
    .string()
    .superRefine((value, ctx) => {
      const problem = redisUrlProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .default('redis://127.0.0.1:6379'),
  /** Connect to a Redis Cluster (cluster mode on) instead of a single server. */
  REDIS_CLUSTER: BoolEnv.default(false),
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
  /**
   * The key being rotated away from, set only during a rotation: what it sealed still opens while
   * `rotate-secrets-key` seals everything again under `SECRETS_KEY`.
   */
  SECRETS_KEY_PREVIOUS: Key32.optional(),
});

/**
 * Learning from conversations (the knowledge-base search of the worker and of the admin app's test
 * box and article pages), so that both learn alike and switching it off switches it off in both.
 */
export const KbLearningEnv = z.object({
  /**
   * How often each skill's question traffic and the questions agents answered with its articles
   * are learnt again from its conversations, in ms (0 = never learn from conversations).
   */
  KB_LEARN_INTERVAL_MS: DurationMs.default(15 * 60_000),
});

/** Graceful shutdown. */
export const ShutdownEnv = z.object({
  /** Milliseconds to wait for in-flight work on SIGTERM before closing anyway. */
  SHUTDOWN_TIMEOUT_MS: DurationMs.default(10_000),
});

/**
 * The LLM provider (optional). Read by every process that runs the pipeline core's last step (the
 * worker's decide stage and the admin app's test box), so both answer a message alike.
 */
export const LlmEnv = z.object({
  /** OpenAI-compatible base URL, e.g. https://api.openai.com/v1. Empty: answers quote the KB. */
  LLM_BASE_URL: z.string().url().optional(),
  /** API key. */
  LLM_API_KEY: z.string().min(1).optional(),
  /** Model name. */
  LLM_MODEL: z.string().min(1).default('gpt-4o-mini'),
  /** Timeout per call, ms. */
  LLM_TIMEOUT_MS: DurationMs.default(20_000),
  /**
   * Also read every message the bot is about to answer (or ask back about) from the KB in extractive
   * answer mode for a request for a person, one short call each; the message text goes to the LLM.
   * In `llm` answer mode the answer prompt asks this anyway, and a question back is read always.
   */
  LLM_READS_REQUESTS: BoolEnv.default(false),
});

/**
 * {@link LlmEnv} with the URL and the key required: for the evaluations that measure a configured
 * LLM (`eval:handoff --llm`, `eval:answers --llm`), which have nothing to measure without one.
 */
export const RequiredLlmEnv = LlmEnv.extend({
  LLM_BASE_URL: LlmEnv.shape.LLM_BASE_URL.unwrap(),
  LLM_API_KEY: LlmEnv.shape.LLM_API_KEY.unwrap(),
});

/**
 * The embeddings provider (optional) of hybrid KB retrieval. Read by every process that searches
 * for a turn (the worker's retrieve stage and the admin app's test box).
 */
export const EmbeddingsEnv = z.object({
  /** OpenAI-compatible base URL. Empty: retrieval is lexical only, exactly as without this feature. */
  EMBEDDINGS_BASE_URL: z.string().url().optional(),
  /** API key. */
  EMBEDDINGS_API_KEY: z.string().min(1).optional(),
  /** Model name; vectors are stored per model, so changing it re-embeds the KB. */
  EMBEDDINGS_MODEL: z.string().min(1).default('text-embedding-3-small'),
  /** Timeout per request, ms. A query that is not embedded in time is answered lexically. */
  EMBEDDINGS_TIMEOUT_MS: DurationMs.default(5_000),
  /** Passages per request when embedding the knowledge base. */
  EMBEDDINGS_BATCH_SIZE: PositiveInt.default(64),
  /** Cosine similarity that scores 0 (unrelated texts) in the fused 0..1 score. */
  EMBEDDINGS_COSINE_FLOOR: z.coerce.number().min(-1).max(1).default(0.3),
  /** Cosine similarity that scores 1 (a paraphrase) in the fused 0..1 score. */
  EMBEDDINGS_COSINE_CEILING: z.coerce.number().min(-1).max(1).default(0.7),
});

/** What a process learns from {@link LlmEnv} and {@link EmbeddingsEnv}: each provider only when it is complete. */
export type ProviderSettings = {
  /** The chat model (`LLM_*`); `readsRequests` is `LLM_READS_REQUESTS`. */
  llm?: { baseUrl: string; apiKey: string; model: string; timeoutMs: number; readsRequests: boolean };
  /** The embeddings model of hybrid retrieval (`EMBEDDINGS_*`); the cosine bounds map similarity onto 0..1. */
  embeddings?: {
    baseUrl: string;
    apiKey: string;
    model: string;
    timeoutMs: number;
    batchSize: number;
    cosineFloor: number;
    cosineCeiling: number;
  };
};

/**
 * Cross-field checks of {@link LlmEnv} and {@link EmbeddingsEnv}, for the `superRefine` of a schema
 * that extends them (extending a zod object drops its refinements).
 */
export function checkProviderEnv(c: z.infer<typeof LlmEnv> & z.infer<typeof EmbeddingsEnv>, ctx: z.RefinementCtx): void {
  if (c.LLM_BASE_URL && !c.LLM_API_KEY) {
    ctx.addIssue({ code: 'custom', path: ['LLM_API_KEY'], message: 'is required when LLM_BASE_URL is set' });
  }
  if (c.EMBEDDINGS_BASE_URL && !c.EMBEDDINGS_API_KEY) {
    ctx.addIssue({ code: 'custom', path: ['EMBEDDINGS_API_KEY'], message: 'is required when EMBEDDINGS_BASE_URL is set' });
  }
  if (c.EMBEDDINGS_COSINE_CEILING <= c.EMBEDDINGS_COSINE_FLOOR) {
    ctx.addIssue({ code: 'custom', path: ['EMBEDDINGS_COSINE_CEILING'], message: 'must be above EMBEDDINGS_COSINE_FLOOR' });
  }
}

/** The LLM a parsed configuration names, when it names a complete one. */
export function llmSettings(c: z.infer<typeof LlmEnv>): ProviderSettings['llm'] {
  if (!c.LLM_BASE_URL || !c.LLM_API_KEY) return undefined;
  return {
    baseUrl: c.LLM_BASE_URL,
    apiKey: c.LLM_API_KEY,
    model: c.LLM_MODEL,
    timeoutMs: c.LLM_TIMEOUT_MS,
    readsRequests: c.LLM_READS_REQUESTS,
  };
}

/** The providers a parsed configuration names. */
export function providerSettings(c: z.infer<typeof LlmEnv> & z.infer<typeof EmbeddingsEnv>): ProviderSettings {
  const llm = llmSettings(c);
  return {
    ...(llm ? { llm } : {}),
    ...(c.EMBEDDINGS_BASE_URL && c.EMBEDDINGS_API_KEY
      ? {
          embeddings: {
            baseUrl: c.EMBEDDINGS_BASE_URL,
            apiKey: c.EMBEDDINGS_API_KEY,
            model: c.EMBEDDINGS_MODEL,
            timeoutMs: c.EMBEDDINGS_TIMEOUT_MS,
            batchSize: c.EMBEDDINGS_BATCH_SIZE,
            cosineFloor: c.EMBEDDINGS_COSINE_FLOOR,
            cosineCeiling: c.EMBEDDINGS_COSINE_CEILING,
          },
        }
      : {}),
  };
}
