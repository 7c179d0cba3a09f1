import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosRequestConfig } from 'axios';

/**
 * How soon after sending a reset still reads as a kept-alive connection the server had just closed.
 * Such a reset comes as the request is written, within milliseconds; a reset after a model has been
 * working on the request for seconds is a provider's failure and is not sent again.
 */
export const STALE_RESET_WINDOW_MS = 1_000;

/**
 * Agents that open a connection for each request and close it after: the retry goes out on one, since
 * the pool's other idle connections went quiet at the same time as the one that was reset and may be
 * just as stale.
 */
const NEW_CONNECTION: Pick<AxiosRequestConfig, 'httpAgent' | 'httpsAgent'> = Object.freeze({
  httpAgent: new http.Agent({ keepAlive: false }),
  httpsAgent: new https.Agent({ keepAlive: false }),
});

/**
 * True for a request that failed with the connection reset (or its pipe broken) before any answer
 * came: what a kept-alive socket that the server or a load balancer closed as it idled looks like
 * when the next request goes out on it at that moment (a race Node's agent does not settle itself).
 */
export function isConnectionReset(err: unknown): boolean {
  return axios.isAxiosError(err) && !err.response && (err.code === 'ECONNRESET' || err.code === 'EPIPE');
}

/**
 * Sends a side-effect-free request (a completion, an embedding) and sends it once more, on a
 * connection opened for it, when the first attempt was reset within {@link STALE_RESET_WINDOW_MS}:
 * without it, a bot that was quiet for longer than its provider keeps idle connections open would
 * drop its next generated answer or request reading to the offline fallback. `send` gets the
 * axios settings of its attempt (none for the first, the new-connection agents for the retry). Any
 * other failure, and a second reset, is the caller's to describe.
 */
export async function sendRetryingStaleConnection<T>(
  send: (connection: Pick<AxiosRequestConfig, 'httpAgent' | 'httpsAgent'>) => Promise<T>,
  now: () => number = Date.now,
): Promise<T> {
  const started = now();
  try {
    return await send({});
  } catch (err) {
    if (!isConnectionReset(err) || now() - started > STALE_RESET_WINDOW_MS) throw err;
    return send(NEW_CONNECTION);
  }
}
