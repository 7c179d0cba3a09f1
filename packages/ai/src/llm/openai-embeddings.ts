import axios, { type AxiosInstance } from 'axios';
import { trimTrailingSlashes } from '@repo/domain';
import { sendRetryingStaleConnection } from './stale-connection-retry';

/** Settings of an OpenAI-compatible embeddings endpoint. */
export type OpenAiEmbeddingsOptions = {
  /** e.g. `https://api.openai.com/v1`; `/embeddings` is appended. */
  baseUrl: string;
  /** Sent as a bearer token; empty sends no Authorization header (local servers). */
  apiKey: string;
  /** e.g. `text-embedding-3-small`. Vectors of different models are never compared. */
  model: string;
  /** Timeout of each request (one batch), ms. */
  timeoutMs: number;
  /** Texts per request (default 64): providers cap the inputs of one request. */
  batchSize?: number;
  /**
   * Texts are cut to this many characters (default 8,000) before they are sent: providers reject
   * inputs over their token limit, and one over-long passage would fail its whole batch.
   */
  maxInputChars?: number;
};

/** Turns texts into unit-length vectors, one per text, in order. */
export type Embedder = {
  /** The model the vectors belong to; stored with them so a model change re-embeds everything. */
  readonly model: string;
  /** Embeds `texts`; throws {@link EmbeddingError} when the provider fails. */
  embed(texts: string[]): Promise<number[][]>;
};

/** Why an embedding request failed. */
export type EmbeddingFailureKind = 'timeout' | 'http_error' | 'network_error' | 'bad_response';

/**
 * A failed embedding request. The message is safe to log: it never holds the API key, a header,
 * the request config or the texts (axios errors carry all of these, so they are never wrapped).
 */
export class EmbeddingError extends Error {
  override readonly name = 'EmbeddingError';
  constructor(
    readonly kind: EmbeddingFailureKind,
    message: string,
    /** HTTP status when the provider answered with an error. */
    readonly status?: number,
  ) {
    super(message);
  }
}

/** Classifies a request error without copying its config, headers or body. */
function describeRequestError(err: unknown, timeoutMs: number): EmbeddingError {
  if (axios.isAxiosError(err)) {
    if (err.response)
      return new EmbeddingError('http_error', `Embeddings endpoint answered HTTP ${err.response.status}`, err.response.status);
    if (err.code === 'ECONNABORTED' || err.code === 'ETIMEDOUT' || err.code === 'ERR_CANCELED') {
      return new EmbeddingError('timeout', `Embeddings endpoint did not answer within ${timeoutMs} ms`);
    }
    return new EmbeddingError('network_error', `Embeddings endpoint unreachable (${err.code ?? 'unknown error'})`);
  }
  return new EmbeddingError('network_error', 'Embeddings request failed');
}

/**
 * Scales a vector to unit length, so cosine similarity is a plain dot product. A zero vector stays
 * zero (it is similar to nothing).
 */
export function normaliseVector(vector: readonly number[]): number[] {
  let sum = 0;
  for (const x of vector) sum += x * x;
  const norm = Math.sqrt(sum);
  return norm > 0 ? vector.map((x) => x / norm) : vector.map(() => 0);
}

function isVector(value: unknown): value is number[] {
  return Array.isArray(value) && value.length > 0 && value.every((x) => typeof x === 'number' && Number.isFinite(x));
}

/**
 * An embedder over an OpenAI-compatible `POST {baseUrl}/embeddings` (axios). Texts go in batches of
 * `batchSize`; each batch has its own timeout, and is sent again once when a kept-alive connection
 * was reset as it went out. The answer's `index` fields put vectors back in input
 * order; a body without one finite vector per input, or with vectors of differing lengths, is a
 * `bad_response`. The key goes only into the Authorization header.
 */
export function createOpenAiEmbedder(options: OpenAiEmbeddingsOptions, http: AxiosInstance = axios.create()): Embedder {
  const url = `${trimTrailingSlashes(options.baseUrl)}/embeddings`;
  const batchSize = Math.max(1, options.batchSize ?? 64);
  const maxChars = Math.max(1, options.maxInputChars ?? 8000);

  async function embedBatch(texts: string[]): Promise<number[][]> {
    // OpenAI rejects empty strings as input; a blank text embeds as a single space instead.
    const input = texts.map((t) => (t.trim() === '' ? ' ' : t.slice(0, maxChars)));
    let data: unknown;
    try {
      const response = await sendRetryingStaleConnection((connection) =>
        http.post(
          url,
          { model: options.model, input },
          {
            timeout: options.timeoutMs,
            // axios' timeout does not cover a stalled response body; the signal does.
            signal: AbortSignal.timeout(options.timeoutMs + 1000),
            // 64 vectors of 3,072 numbers as JSON are about 5 MB; a larger body is cut off, not parsed.
            maxContentLength: 32 * 1024 * 1024,
            // A local server may need no key; then no Authorization header is sent at all.
            headers: { ...(options.apiKey ? { Authorization: `Bearer ${options.apiKey}` } : {}), 'Content-Type': 'application/json' },
            validateStatus: (s) => s >= 200 && s < 300,
            ...connection,
          },
        ),
      );
      data = response.data;
    } catch (err) {
      throw describeRequestError(err, options.timeoutMs);
    }
    const items = (data as { data?: unknown } | undefined)?.data;
    if (!Array.isArray(items) || items.length !== texts.length) {
      throw new EmbeddingError(
        'bad_response',
        `Embeddings response had ${Array.isArray(items) ? items.length : 'no'} vectors for ${texts.length} inputs`,
      );
    }
    const out: Array<number[] | undefined> = new Array(texts.length);
    items.forEach((item: unknown, position) => {
      const { embedding, index } = (item ?? {}) as { embedding?: unknown; index?: unknown };
      // `index` is optional in some compatible servers; without it the order of the list is used.
      const at = typeof index === 'number' && Number.isInteger(index) ? index : position;
      if (!isVector(embedding) || at < 0 || at >= texts.length || out[at]) {
        throw new EmbeddingError('bad_response', 'Embeddings response had a malformed or duplicate vector');
      }
      out[at] = normaliseVector(embedding);
    });
    const vectors = out.filter((v): v is number[] => v !== undefined);
    const dim = vectors[0]?.length;
    if (vectors.length !== texts.length || vectors.some((v) => v.length !== dim)) {
      throw new EmbeddingError('bad_response', 'Embeddings response vectors are missing or of differing lengths');
    }
    return vectors;
  }

  return {
    model: options.model,
    async embed(texts: string[]): Promise<number[][]> {
      const vectors: number[][] = [];
      // Sequential batches: a backfill must not burst past the provider's rate limit.
      for (let i = 0; i < texts.length; i += batchSize) vectors.push(...(await embedBatch(texts.slice(i, i + batchSize))));
      return vectors;
    },
  };
}
