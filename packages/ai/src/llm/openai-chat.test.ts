import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseSkillSettings, type KbHit } from '@repo/domain';
import { ANSWER_MAX_TOKENS, createOpenAiChatAnswerer, MAX_ANSWER_CHARS, type LlmAnswerResult } from './openai-chat';
import { createOpenAiRequestReader } from './request-reader';

type Reply = { status?: number; content?: string; delayMs?: number; raw?: string };

const passages: KbHit[] = [
  {
    articleId: 11,
    passageId: 1,
    title: 'Доставка',
    passage: 'Доставка по Москве стоит 300 рублей и занимает 1–2 рабочих дня.',
    score: 0.8,
  },
  { articleId: 12, passageId: 2, title: 'Возврат', passage: 'Вернуть товар можно в течение 14 дней с момента получения.', score: 0.6 },
];
const API_KEY = 'sk-test-SECRET-123';

let server: Server;
let baseUrl: string;
let nextReply: Reply = {};
const seen: Array<{ url: string; auth: string | undefined; body: { model: string; messages: Array<{ role: string; content: string }> } }> =
  [];

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', auth: req.headers.authorization, body: JSON.parse(body) as never });
      const reply = nextReply;
      const send = (): void => {
        if (res.destroyed) return;
        res.writeHead(reply.status ?? 200, { 'content-type': 'application/json' });
        res.end(reply.raw ?? JSON.stringify({ choices: [{ message: { role: 'assistant', content: reply.content ?? '' } }] }));
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const answerer = (): ReturnType<typeof createOpenAiChatAnswerer> =>
  createOpenAiChatAnswerer({ baseUrl, apiKey: API_KEY, model: 'test-model', timeoutMs: 300 });
const ask = (reply: Reply): Promise<LlmAnswerResult> => {
  nextReply = reply;
  return answerer().answer({
    question: 'Сколько стоит доставка?',
    passages,
    dialog: [{ role: 'customer', text: 'Здравствуйте' }],
    language: 'ru',
    skill: parseSkillSettings({}),
  });
};

describe('createOpenAiChatAnswerer', () => {
  it('returns a grounded, cited answer as safe HTML and sends only passages and dialog with the key as a bearer token', async () => {
    const result = await ask({ content: 'Доставка по Москве стоит 300 рублей и занимает 1–2 рабочих дня [1]. <b>x</b>' });
    expect(result).toMatchObject({ ok: true, citations: [11], citedPassages: [1] });
    if (!result.ok) throw new Error('expected ok');
    expect(result.html).toContain('<p>Здравствуйте!</p><p>Доставка по Москве стоит 300 рублей');
    expect(result.html).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(result.html).toContain('<b>Источник:</b> «Доставка»');
    const req = seen[seen.length - 1];
    expect(req?.url).toBe('/v1/chat/completions');
    expect(req?.auth).toBe(`Bearer ${API_KEY}`);
    expect(req?.body.model).toBe('test-model');
    const prompt = req?.body.messages.map((m) => m.content).join('\n') ?? '';
    expect(prompt).toContain('[1] Доставка\nДоставка по Москве стоит 300 рублей');
    expect(prompt).toContain('[2] Возврат');
    expect(prompt).toContain('Customer: Здравствуйте');
    expect(prompt).not.toContain(API_KEY);
  });

  it('asks for a bounded answer, and does not use one longer than any answer it asked for', async () => {
    const sentence = 'Доставка по Москве стоит 300 рублей и занимает 1–2 рабочих дня [1]. ';
    await ask({ content: sentence });
    expect((seen[seen.length - 1]?.body as { max_tokens?: number }).max_tokens).toBe(ANSWER_MAX_TOKENS);
    expect(await ask({ content: sentence.repeat(Math.ceil(MAX_ANSWER_CHARS / sentence.length) + 1) })).toMatchObject({
      ok: false,
      failure: 'too_long',
    });
    // A response body of megabytes is not read.
    expect(await ask({ raw: JSON.stringify({ choices: [{ message: { content: 'x'.repeat(2_000_000) } }] }) })).toMatchObject({ ok: false });
  });

  it('fails with no_citation when the answer cites no passage', async () => {
    expect(await ask({ content: 'Доставка по Москве стоит 300 рублей.' })).toMatchObject({ ok: false, failure: 'no_citation' });
  });

  it('reads the bare HANDOFF token as a request for a person, not as an answer', async () => {
    expect(await ask({ content: 'HANDOFF' })).toMatchObject({ ok: false, failure: 'person_requested' });
    expect(await ask({ content: '**HANDOFF**.' })).toMatchObject({ ok: false, failure: 'person_requested' });
    // A real answer that mentions the word is still judged as an answer (here: it cites nothing).
    expect(await ask({ content: 'Доставка по Москве стоит 300 рублей, HANDOFF не нужен.' })).toMatchObject({
      ok: false,
      failure: 'no_citation',
    });
  });

  it('tells the model how to say that the customer asks for a person', async () => {
    await ask({ content: 'HANDOFF' });
    const system = seen[seen.length - 1]?.body.messages.find((m) => m.role === 'system')?.content ?? '';
    expect(system).toContain('reply with exactly HANDOFF');
  });

  it('fails with refusal when the model declines', async () => {
    expect(await ask({ content: 'NO_ANSWER' })).toMatchObject({ ok: false, failure: 'refusal' });
    expect(await ask({ content: 'К сожалению, у меня нет информации об этом.' })).toMatchObject({ ok: false, failure: 'refusal' });
  });

  it('fails with ungrounded when a sentence is not in the passages', async () => {
    const result = await ask({
      content: 'Доставка по Москве стоит 300 рублей [1]. При заказе от 5000 рублей доставка бесплатная по всей России [1].',
    });
    expect(result).toMatchObject({ ok: false, failure: 'ungrounded' });
    if (result.ok) throw new Error('expected failure');
    expect(result.unsupported?.[0]?.reason).toBe('number_not_in_passages');
  });

  it('fails with timeout when the endpoint is too slow', async () => {
    const result = await ask({ delayMs: 1500, content: 'late [1]' });
    expect(result).toMatchObject({ ok: false, failure: 'timeout' });
  });

  it('fails with http_error on a 500, without leaking the key', async () => {
    const result = await ask({ status: 500, raw: '{"error":"boom"}' });
    expect(result).toEqual({ ok: false, failure: 'http_error', status: 500, message: 'LLM endpoint answered HTTP 500' });
    expect(JSON.stringify(result)).not.toContain(API_KEY);
  });

  it('fails with bad_response on a body without a message', async () => {
    expect(await ask({ raw: '{"choices":[]}' })).toMatchObject({ ok: false, failure: 'bad_response' });
  });

  it('fails with network_error when nothing listens, and never throws', async () => {
    const dead = createOpenAiChatAnswerer({ baseUrl: 'http://127.0.0.1:1', apiKey: API_KEY, model: 'm', timeoutMs: 500 });
    const result = await dead.answer({ question: 'q', passages, language: 'ru' });
    expect(result).toMatchObject({ ok: false, failure: 'network_error' });
    expect(JSON.stringify(result)).not.toContain(API_KEY);
  });

  it('does not call the endpoint without passages', async () => {
    const before = seen.length;
    expect(await answerer().answer({ question: 'q', passages: [], language: 'en' })).toMatchObject({ ok: false, failure: 'no_passages' });
    expect(seen.length).toBe(before);
  });
});

// The same local endpoint, read by the request reader (extractive skills with LLM_READS_REQUESTS).
describe('OpenAI-compatible request reader', () => {
  const reader = (): ReturnType<typeof createOpenAiRequestReader> =>
    createOpenAiRequestReader({ baseUrl, apiKey: API_KEY, model: 'test-model', timeoutMs: 300 });
  const read = (reply: Reply, message = 'Пусть мастер, что ставил окно, сам мне наберёт') => {
    nextReply = reply;
    return reader().read(message);
  };

  it('reads HANDOFF as a request for a person and QUESTION as none', async () => {
    expect(await read({ content: 'HANDOFF' })).toEqual({ ok: true, personRequested: true });
    expect(await read({ content: ' QUESTION.' })).toEqual({ ok: true, personRequested: false });
  });

  it('sends only the message, with the key in the header and a short reply asked for', async () => {
    await read({ content: 'QUESTION' }, 'Сколько стоит доставка?');
    const req = seen[seen.length - 1];
    expect(req?.url).toBe('/v1/chat/completions');
    expect(req?.auth).toBe(`Bearer ${API_KEY}`);
    const prompt = req?.body.messages.map((m) => m.content).join('\n') ?? '';
    expect(prompt).toContain("Customer's message:\nСколько стоит доставка?");
    expect(prompt).toContain('reply with exactly HANDOFF');
    expect(prompt).not.toContain(API_KEY);
    expect((req?.body as { max_tokens?: number }).max_tokens).toBe(5);
  });

  it('fails, and never throws, on any other reply, an HTTP error or a timeout', async () => {
    expect(await read({ content: 'Yes, they want an operator' })).toMatchObject({ ok: false, failure: 'bad_response' });
    expect(await read({ status: 503, content: '' })).toMatchObject({ ok: false, failure: 'http_error', status: 503 });
    expect(await read({ content: 'HANDOFF', delayMs: 600 })).toMatchObject({ ok: false, failure: 'timeout' });
  });
});
