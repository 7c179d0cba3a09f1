import { z } from 'zod';
import { loadConfig } from './load-config';
import { checkProviderEnv, EmbeddingsEnv, LlmEnv, providerSettings } from './fragments';

// Both the worker and the admin app extend these fragments; the checks travel with checkProviderEnv.
const schema = z.object({}).extend(LlmEnv.shape).extend(EmbeddingsEnv.shape).superRefine(checkProviderEnv);

describe('LLM and embeddings settings', () => {
  it('names no provider when none is configured', () => {
    expect(providerSettings(loadConfig(schema, {}))).toEqual({});
  });

  it('maps a complete configuration to both providers', () => {
    const settings = providerSettings(
      loadConfig(schema, {
        LLM_BASE_URL: 'https://llm.example.test/v1',
        LLM_API_KEY: 'sk-llm',
        LLM_READS_REQUESTS: 'true',
        EMBEDDINGS_BASE_URL: 'https://emb.example.test/v1',
        EMBEDDINGS_API_KEY: 'sk-emb',
        EMBEDDINGS_COSINE_FLOOR: '0.2',
      }),
    );
    expect(settings.llm).toEqual({
      baseUrl: 'https://llm.example.test/v1',
      apiKey: 'sk-llm',
      model: 'gpt-4o-mini',
      timeoutMs: 20_000,
      readsRequests: true,
    });
    expect(settings.embeddings).toMatchObject({ model: 'text-embedding-3-small', batchSize: 64, cosineFloor: 0.2, cosineCeiling: 0.7 });
  });

  it('names the missing key and an inverted cosine range, never the URL', () => {
    let message = '';
    try {
      loadConfig(schema, {
        LLM_BASE_URL: 'https://user:secret-pw@llm.example.test/v1',
        EMBEDDINGS_BASE_URL: 'https://emb.example.test/v1',
        EMBEDDINGS_API_KEY: 'sk-emb',
        EMBEDDINGS_COSINE_FLOOR: '0.8',
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('LLM_API_KEY: is required when LLM_BASE_URL is set');
    expect(message).toContain('EMBEDDINGS_COSINE_CEILING: must be above EMBEDDINGS_COSINE_FLOOR');
    expect(message).not.toContain('secret-pw');
  });
});
