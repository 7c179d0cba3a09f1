import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the fake chat model does with the next requests. */
export type FakeChatMode = 'grounded' | 'no_citation' | 'made_up_price' | 'http_500' | 'hang' | 'person' | 'no_person' | 'scripted';

/** One request the fake received. */
export type SeenChatRequest = {
  method: string;
  url: string;
  authorization: string | undefined;
  body: { model?: string; messages?: Array<{ role: string; content: string }> };
};

/** A local OpenAI-compatible `POST /chat/completions` whose answers the test chooses per case. */
export type FakeChatModel = {
  /** Base URL to configure as `LLM_BASE_URL` (no `/v1`: requests go to `${url}/chat/completions`). */
  url: string;
  /** What the next requests get; tests change it between cases. */
  mode: FakeChatMode;
  /** In `scripted` mode: the reply to a request, from its user message. */
  script?: (user: string) => string;
  /** Every request received, in order. */
  requests: SeenChatRequest[];
  /** Every reply content sent, in order. */
  answers: string[];
  /** Stops the server, ending hanging requests. */
  close(): Promise<void>;
};

/** The passage numbered [1] in the prompt's user message. */
function firstPassage(user: string): string {
  const m = /Passages:\n\[1\] [^\n]*\n([\s\S]*?)(?:\n\n\[2\] |\n\nDialog so far:|\n\nCustomer's message:)/.exec(user);
  return m?.[1] ?? '';
}

/** A plain sentence of the passage (letters, digits, commas), to answer with verbatim. */
function plainSentence(passage: string): string {
  const sentences = passage
    .replace(/\s+/g, ' ')
    .split(/(?<=\.)\s+/)
    .map((s) => s.trim());
  const plain = sentences.find((s) => /^\p{Lu}[\p{L}\p{N} ,]+\.$/u.test(s) && s.split(' ').length >= 5);
  if (!plain) throw new Error(`no plain sentence in passage: ${passage}`);
  return plain;
}

/**
 * Starts a local OpenAI-compatible chat endpoint (the one thing in the tests with no real thing to
 * run). `grounded` answers with a plain sentence of passage [1] and cites it; the other modes fail in
 * the ways a real provider can, or answer the request reader's tokens; `scripted` replies with
 * `script(user message)`.
 */
export async function startFakeChatModel(): Promise<FakeChatModel> {
  const sockets = new Set<Socket>();
  const hanging = new Set<ServerResponse>();
  const fake: FakeChatModel = { url: '', mode: 'grounded', requests: [], answers: [], close: async () => undefined };

  const reply = (res: ServerResponse, content: string) => {
    fake.answers.push(content);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        id: 'chatcmpl-fake',
        object: 'chat.completion',
        model: 'fake',
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
      }),
    );
  };

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    let body: SeenChatRequest['body'] = {};
    try {
      body = JSON.parse(raw) as SeenChatRequest['body'];
    } catch {
      // Recorded as an empty body; the assertions on the request will fail.
    }
    fake.requests.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, body });
    if (req.method !== 'POST' || req.url !== '/chat/completions') {
      res.writeHead(404).end();
      return;
    }
    const user = body.messages?.find((m) => m.role === 'user')?.content ?? '';
    switch (fake.mode) {
      case 'grounded':
        return reply(res, plainSentence(firstPassage(user)) + ' [1]');
      case 'no_citation':
        return reply(res, plainSentence(firstPassage(user)));
      case 'made_up_price':
        // The passage's own words, cited, with a price the passages do not hold.
        return reply(res, `${plainSentence(firstPassage(user)).replace(/\.$/, '')} за 4990 рублей [1].`);
      case 'http_500':
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'internal error', type: 'server_error' } }));
        return;
      case 'person':
        // The model's token for "the customer asks for a person" (PERSON_REQUESTED).
        return reply(res, 'HANDOFF');
      case 'no_person':
        // The request reader's token for "no request for a person".
        return reply(res, 'QUESTION');
      case 'scripted':
        return reply(res, fake.script ? fake.script(user) : '');
      case 'hang':
        // Never answers; the client's timeout (LLM_TIMEOUT_MS) must cut it off. Ended in close().
        hanging.add(res);
        return;
    }
  };

  const server: Server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => handle(req, res, raw));
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = async () => {
    for (const res of hanging) res.destroy();
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return fake;
}
