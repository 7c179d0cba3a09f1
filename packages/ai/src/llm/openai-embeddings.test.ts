import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOpenAiEmbedder, EmbeddingError, normaliseVector } from './openai-embeddings';

const API_KEY = 'sk-test-EMBED-SECRET-456';

type Mode = 'ok' | 'reversed' | 'status500' | 'status400' | 'slow' | 'short' | 'garbage';
let mode: Mode = 'ok';
let server: Server;
let baseUrl: string;
const seen: Array<{ url: string; auth: string | undefined; body: { model: string; input: string[] } }> = [];

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const body = JSON.parse(raw) as { model: string; input: string[] };
      seen.push({ url: req.url ?? '', auth: req.headers.authorization, body });
      const send = (status: number, payload: unknown): void => {
        if (res.destroyed) return;
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      // Vector of text i: [length, i + 1], not unit length, so normalisation is visible.
      let data = body.input.map((t, i) => ({ object: 'embedding', index: i, embedding: [t.length, i + 1] }));
      if (mode === 'reversed') data = [...data].reverse();
      if (mode === 'status500') return send(500, { error: { message: `upstream broke for key ${API_KEY}` } });
      if (mode === 'status400') return send(400, { error: { message: 'input too long' } });
      if (mode === 'slow') return void setTimeout(() => send(200, { data }), 3_000);
      if (mode === 'short') return send(200, { data: data.slice(1) });
      if (mode === 'garbage') return send(200, { data: [{ embedding: ['x'] }] });
      return send(200, { object: 'list', data, model: body.model });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  mode = 'ok';
  seen.length = 0;
});

// A limit far above a local answer, so a loaded machine does not turn every case into a timeout.
const embedder = (batchSize?: number) => createOpenAiEmbedder({ baseUrl, apiKey: API_KEY, model: 'emb-test', timeoutMs: 1_500, batchSize });

async function failure(promise: Promise<unknown>): Promise<EmbeddingError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof EmbeddingError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('normaliseVector', () => {
  it('scales to unit length and leaves a zero vector zero', () => {
    expect(normaliseVector([3, 4])).toEqual([0.6, 0.8]);
    expect(normaliseVector([0, 0])).toEqual([0, 0]);
  });
});

describe('createOpenAiEmbedder', () => {
  it('posts {model, input} to /embeddings with the key as a bearer token and returns unit vectors in order', async () => {
    const vectors = await embedder().embed(['abc', 'abcd']);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      url: '/v1/embeddings',
      auth: `Bearer ${API_KEY}`,
      body: { model: 'emb-test', input: ['abc', 'abcd'] },
    });
    const [a, b] = vectors;
    expect(a![0]).toBeCloseTo(3 / Math.sqrt(10));
    expect(b![0]).toBeCloseTo(4 / Math.sqrt(20));
    for (const v of vectors) expect(Math.hypot(...v)).toBeCloseTo(1);
  });

  it('sends texts in batches and puts vectors back by index', async () => {
    mode = 'reversed';
    const texts = ['a', 'bb', 'ccc', 'dddd', 'eeeee'];
    const vectors = await embedder(2).embed(texts);
    expect(seen.map((s) => s.body.input)).toEqual([['a', 'bb'], ['ccc', 'dddd'], ['eeeee']]);
    // Text i of its batch has [length, i + 1]: order survives the reversed answers.
    expect(vectors.map((v) => Math.round((v[0]! / v[1]!) * 1000) / 1000)).toEqual([1, 1, 3, 2, 5]);
  });

  it('sends a blank text as a space (providers reject empty input)', async () => {
    await embedder().embed(['', 'x']);
    expect(seen[0]?.body.input).toEqual([' ', 'x']);
  });

  it('turns HTTP 500, 400, a timeout and malformed bodies into typed errors that never hold the key', async () => {
    const cases: Array<[Mode, string, number | undefined]> = [
      ['status500', 'http_error', 500],
      ['status400', 'http_error', 400],
      ['slow', 'timeout', undefined],
      ['short', 'bad_response', undefined],
      ['garbage', 'bad_response', undefined],
    ];
    for (const [m, kind, status] of cases) {
      mode = m;
      const error = await failure(embedder().embed(['a', 'b']));
      expect({ kind: error.kind, status: error.status }).toEqual({ kind, status });
      const everything = `${error.message}\n${error.stack ?? ''}\n${JSON.stringify(error)}\n${String(error.cause ?? '')}`;
      expect(everything).not.toContain(API_KEY);
      expect(everything).not.toContain('Bearer');
    }
  });

  it('reports an unreachable endpoint as network_error', async () => {
    const error = await failure(
      createOpenAiEmbedder({ baseUrl: 'http://127.0.0.1:1', apiKey: API_KEY, model: 'm', timeoutMs: 500 }).embed(['a']),
    );
    expect(error.kind).toBe('network_error');
    expect(error.message).not.toContain(API_KEY);
  });
});
