import type { ProviderSettings } from '@repo/config';
import { createHybridRetriever, type HybridRetriever, type SkillVectors } from './hybrid-retriever';
import { createOpenAiChatAnswerer } from './llm/openai-chat';
import { createOpenAiEmbedder, type Embedder } from './llm/openai-embeddings';
import { createOpenAiRequestReader } from './llm/request-reader';
import type { TurnSearch } from './pipeline-core';
import { createReplyComposer, type ReplyComposer } from './reply-composer';

/** The optional providers of one process's pipeline core, built from its configuration. */
export type TurnProviders = {
  /** The turn's search: the hybrid retriever when embeddings are configured, else the lexical search itself. */
  search: TurnSearch;
  /** The hybrid retriever, when embeddings are configured. */
  hybrid?: HybridRetriever;
  /** The embedder of the configured model (the worker also embeds passages with it). */
  embedder?: Embedder;
  /** The last step after the policy: the LLM's answer and its reading of requests for a person, when configured. */
  composer: ReplyComposer;
  /** Which providers are on, for logs and the admin test box (models only, never URLs or keys). */
  description: ProvidersDescription;
};

/** What {@link TurnProviders} use, in words a log or a page can show. */
export type ProvidersDescription = {
  search: 'lexical' | 'hybrid';
  embeddingsModel?: string;
  llmModel?: string;
  /** The LLM also reads messages of quoting skills for requests for a person (`LLM_READS_REQUESTS`). */
  llmReadsRequests: boolean;
};

/** Where {@link createTurnProviders} logs; only a message and structured metadata, never text or keys. */
export type ProviderLogger = {
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
};

/** An error as log metadata: only its message and kind, since errors of HTTP clients may carry headers. */
export function describeProviderError(error: unknown): { error: string; kind?: string } {
  if (error instanceof Error)
    return { error: error.message, ...('kind' in error && typeof error.kind === 'string' ? { kind: error.kind } : {}) };
  return { error: String(error) };
}

/**
 * The reply composer of the `LLM_*` settings: the answerer and the request reader of that model, or
 * none (decisions pass unchanged) without one. Also what `eval:answers --llm` runs.
 */
export function composerOf(llm: ProviderSettings['llm'], logger?: ProviderLogger): ReplyComposer {
  const options = llm ? { baseUrl: llm.baseUrl, apiKey: llm.apiKey, model: llm.model, timeoutMs: llm.timeoutMs } : undefined;
  return createReplyComposer({
    ...(options ? { llm: createOpenAiChatAnswerer(options), requestReader: createOpenAiRequestReader(options) } : {}),
    readsRequests: Boolean(llm?.readsRequests),
    ...(logger ? { logger } : {}),
  });
}

/**
 * The one place that turns a process's provider settings into the pipeline core's search and reply
 * composer. The worker's stages and the admin app's test box both build theirs here, so a message
 * typed into the test box is searched and answered as the bot would: hybrid when embeddings are
 * configured, with the LLM's answer or hand-off when an LLM is.
 */
export function createTurnProviders(
  settings: ProviderSettings,
  deps: {
    /** The in-process lexical search (`createKbSearch`). */
    lexical: TurnSearch;
    /** The stored vectors of a skill per embedding model (the store's `kbEmbeddings`). */
    vectors: { version(skillId: string, model: string): Promise<string>; load(skillId: string, model: string): Promise<SkillVectors> };
    logger: ProviderLogger;
  },
): TurnProviders {
  const composer = composerOf(settings.llm, deps.logger);
  const llmDescription = {
    ...(settings.llm ? { llmModel: settings.llm.model } : {}),
    llmReadsRequests: Boolean(settings.llm?.readsRequests),
  };
  const e = settings.embeddings;
  if (!e) return { search: deps.lexical, composer, description: { search: 'lexical', ...llmDescription } };
  const embedder = createOpenAiEmbedder({
    baseUrl: e.baseUrl,
    apiKey: e.apiKey,
    model: e.model,
    timeoutMs: e.timeoutMs,
    batchSize: e.batchSize,
  });
  const hybrid = createHybridRetriever({
    lexical: (skillId, query, limit) => deps.lexical.search(skillId, query, { limit }),
    vectors: {
      version: (skillId) => deps.vectors.version(skillId, embedder.model),
      load: (skillId) => deps.vectors.load(skillId, embedder.model),
    },
    embedder,
    calibration: { floor: e.cosineFloor, ceiling: e.cosineCeiling },
    onFallback: (error, { skillId }) =>
      deps.logger.warn('Embeddings unavailable, lexical search only', { skillId, ...describeProviderError(error) }),
  });
  return { search: hybrid, hybrid, embedder, composer, description: { search: 'hybrid', embeddingsModel: e.model, ...llmDescription } };
}
