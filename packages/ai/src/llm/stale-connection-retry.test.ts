import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import axios, { AxiosError, type AxiosInstance } from 'axios';
import { Agent } from 'node:http';
import { createOpenAiEmbedder } from './openai-embeddings';
import { createOpenAiRequestReader } from './request-reader';
import { sendRetryingStaleConnection, STALE_RESET_WINDOW_MS } from './stale-connection-retry';

/**
 * A provider behind a load balancer that closes idle kept-alive connections without announcing
 * when: the request that goes out on such a connection at that moment is reset. Here the moment is
 * made certain: `resetReused` resets every request that arrives on a connection that already
 * served one; `resetAll` resets every request.
 */
type Behaviour = 'resetReused' | 'resetAll' | 'answer';
let behaviour: Behaviour = 'answer';
let server: Server;
let baseUrl: string;
const served = new WeakMap<Socket, number>();
const log: Array<{ url: string; reset: boolean }> = [];

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      const before = served.get(req.socket) ?? 0;
      served.set(req.socket, before + 1);
      const reset = behaviour === 'resetAll' || (behaviour === 'resetReused' && before > 0);
      log.push({ url: req.url ?? '', reset });
      if (reset) return void req.socket.destroy();
      res.writeHead(200, { 'content-type': 'application/json' });
      if (req.url?.endsWith('/embeddings')) res.end(JSON.stringify({ data: [{ index: 0, embedding: [3, 4] }] }));
      else res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: 'QUESTION' } }] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** A client that keeps its connection open between requests, as Node's default agent does. */
const keptAlive = (): AxiosInstance => axios.create({ httpAgent: new Agent({ keepAlive: true, maxSockets: 1 }) });
const options = { baseUrl: '', apiKey: 'sk-test', model: 'm', timeoutMs: 2_000 };

describe('a kept-alive connection reset as a request goes out', () => {
  beforeEach(() => {
    log.length = 0;
    behaviour = 'answer';
  });

  it('is sent again once on a new connection: the request reader still reads the next message', async () => {
    const reader = createOpenAiRequestReader({ ...options, baseUrl }, keptAlive());
    expect(await reader.read('first message')).toEqual({ ok: true, personRequested: false });
    behaviour = 'resetReused';
    expect(await reader.read('second message')).toEqual({ ok: true, personRequested: false });
    // The second read went out on the first one's connection, was reset, and was sent again.
    expect(log.map((r) => r.reset)).toEqual([false, true, false]);
  });

  it('is sent again once for an embedding batch too', async () => {
    const embedder = createOpenAiEmbedder({ ...options, baseUrl }, keptAlive());
    expect(await embedder.embed(['a'])).toEqual([[0.6, 0.8]]);
    behaviour = 'resetReused';
    expect(await embedder.embed(['b'])).toEqual([[0.6, 0.8]]);
    expect(log.map((r) => [r.url, r.reset])).toEqual([
      ['/v1/embeddings', false],
      ['/v1/embeddings', true],
      ['/v1/embeddings', false],
    ]);
  });

  it('P1 is sent again on a connection opened for it, not on another idle one that went quiet at the same time', async () => {
    const http = axios.create({ httpAgent: new Agent({ keepAlive: true }) });
    const reader = createOpenAiRequestReader({ ...options, baseUrl }, http);
    // Two reads at once leave two idle connections in the pool.
    await Promise.all([reader.read('one'), reader.read('two')]);
    behaviour = 'resetReused';
    expect(await reader.read('three')).toEqual({ ok: true, personRequested: false });
    expect(log.map((r) => r.reset)).toEqual([false, false, true, false]);
  });

  it('is sent only once more: a provider that resets every request is a network failure after two tries', async () => {
    behaviour = 'resetAll';
    const reading = await createOpenAiRequestReader({ ...options, baseUrl }, keptAlive()).read('hello');
    expect(reading).toMatchObject({ ok: false, failure: 'network_error' });
    expect(log).toHaveLength(2);
  });
});

describe('sendRetryingStaleConnection', () => {
  const reset = () => new AxiosError('socket hang up', 'ECONNRESET');

  /** A send that fails with `error` every time, and how often it was called. */
  const failingWith = (error: Error) => {
    const sent = { calls: 0 };
    const send = () => {
      sent.calls += 1;
      return Promise.reject(error);
    };
    return { sent, send };
  };

  it('does not send again a reset that came after the model worked on the request for a while', async () => {
    const { sent, send } = failingWith(reset());
    const times = [0, STALE_RESET_WINDOW_MS + 1];
    await expect(sendRetryingStaleConnection(send, () => times.shift() ?? 0)).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(sent.calls).toBe(1);
  });

  it.each([
    [
      'a request the provider answered, however it failed',
      new AxiosError('Request failed with status code 502', 'ERR_BAD_RESPONSE', undefined, undefined, { status: 502 } as never),
    ],
    [
      'a reset that came after the provider began to answer',
      new AxiosError('aborted', 'ECONNRESET', undefined, undefined, { status: 200 } as never),
    ],
    ['a refused connection: nothing was kept alive there', new AxiosError('connect ECONNREFUSED', 'ECONNREFUSED')],
  ])('does not send again %s', async (_case, error) => {
    const { sent, send } = failingWith(error);
    await expect(sendRetryingStaleConnection(send)).rejects.toBe(error);
    expect(sent.calls).toBe(1);
  });
});
