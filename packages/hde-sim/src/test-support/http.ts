import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AccountInfo } from '../sim-types';

/** A parsed response of the simulated API. */
export type ApiResponse = {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON body, or `undefined` if the body is not JSON. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read the JSON answers field by field
  json: any;
};

async function toResponse(res: Response): Promise<ApiResponse> {
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** Basic auth header for an e-mail and key. */
export const basic = (email: string, key: string): string => `Basic ${Buffer.from(`${email}:${key}`).toString('base64')}`;

/** A caller of the simulator's control API at `simUrl` (`/_control…`): status and parsed JSON. */
export function controlClient(simUrl: string) {
  return async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${simUrl}/_control${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read the JSON answers field by field
    return { status: res.status, json: (await res.json()) as any };
  };
}

/** A tiny API client for tests: paths are relative to `/api/v2`. */
export function apiClient(account: AccountInfo, credentials = { email: account.adminEmail, key: account.apiKey }) {
  const auth = basic(credentials.email, credentials.key);
  const call = async (method: string, path: string, body?: unknown, form = false): Promise<ApiResponse> => {
    const headers: Record<string, string> = { authorization: auth };
    let payload: string | undefined;
    if (body !== undefined && form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      payload = new URLSearchParams(body as Record<string, string>).toString();
    } else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    return toResponse(await fetch(`${account.apiUrl}${path}`, { method, headers, body: payload }));
  };
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body: unknown) => call('POST', path, body),
    postForm: (path: string, body: Record<string, string>) => call('POST', path, body, true),
    put: (path: string, body: unknown) => call('PUT', path, body),
  };
}

/** One request a {@link Receiver} got. */
export type Received = { headers: IncomingHttpHeaders; body: string };

/** A local webhook receiver standing in for the product's ingress. */
export type Receiver = {
  url: string;
  received: Received[];
  /** Status to answer with; default 200. */
  status: number;
  close: () => Promise<void>;
};

/** Starts a webhook receiver on a random port. */
export async function startReceiver(): Promise<Receiver> {
  const receiver: Receiver = { url: '', received: [], status: 200, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      receiver.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = receiver.status;
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}
