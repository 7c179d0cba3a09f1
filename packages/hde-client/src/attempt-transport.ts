import http from 'node:http';
import https from 'node:https';

/** What one HTTP attempt got to before it ended; read to classify a failure. */
export type AttemptState = {
  /** TCP (and TLS) connection established: request bytes may have reached HDE from here on. */
  connected: boolean;
  connectTimedOut: boolean;
  responseStarted: boolean;
};

/** The error a connect timeout destroys the request with. */
export class ConnectTimeoutError extends Error {
  readonly code = 'ECONNECTTIMEOUT';
  constructor() {
    super('connect timeout');
    this.name = 'ConnectTimeoutError';
  }
}

type RequestFn = (options: http.RequestOptions, callback?: (res: http.IncomingMessage) => void) => http.ClientRequest;

/**
 * An axios `transport` that wraps node:http(s) for one attempt, so the client can see whether the
 * connection was ever up (which decides `mayHaveLanded`) and enforce a connect timeout that axios
 * does not offer (its `timeout` is an idle timer, blind to slowly trickled bodies).
 */
export function createAttemptTransport(connectTimeoutMs: number): { transport: { request: RequestFn }; state: AttemptState } {
  const state: AttemptState = { connected: false, connectTimedOut: false, responseStarted: false };
  const request: RequestFn = (options, callback) => {
    const secure = options.protocol === 'https:';
    const req = (secure ? https : http).request(options, (res) => {
      state.responseStarted = true;
      callback?.(res);
    });
    req.once('socket', (socket) => {
      // A reused keep-alive socket is already connected.
      if (!socket.connecting) {
        state.connected = true;
        return;
      }
      const timer = setTimeout(() => {
        state.connectTimedOut = true;
        req.destroy(new ConnectTimeoutError());
      }, connectTimeoutMs);
      const onUp = (): void => {
        clearTimeout(timer);
        state.connected = true;
      };
      socket.once(secure ? 'secureConnect' : 'connect', onUp);
      socket.once('close', () => clearTimeout(timer));
    });
    return req;
  };
  return { transport: { request }, state };
}
