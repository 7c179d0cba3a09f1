import axios from 'axios';

/**
 * How soon after sending a reset still reads as a kept-alive connection the server had just closed.
 * Such a reset comes as the request is written, within milliseconds; a reset after a model has been
 * working on the request for seconds is a provider's failure and is not sent again.
 */
export const STALE_RESET_WINDOW_MS = 1_000;

/**
 * True for a request that failed with the connection reset (or its pipe broken) before any answer
 * came: what a kept-alive socket that the server or a load balancer closed as it idled looks like
 * when the next request goes out on it at that moment (a race Node's agent does not settle itself).
 */
export function isConnectionReset(err: unknown): boolean {
  return axios.isAxiosError(err) && !err.response && (err.code === 'ECONNRESET' || err.code === 'EPIPE');
}

/**
 * Sends a side-effect-free request (a completion, an embedding) and sends it once more, on a new
 * connection from the pool, when the first attempt was reset within {@link STALE_RESET_WINDOW_MS}:
 * without it, a bot that was quiet for longer than its provider keeps idle connections open would
 * drop its next generated answer or request reading to the offline fallback. Any other failure,
 * and a second reset, is the caller's to describe.
 */
export async function sendRetryingStaleConnection<T>(send: () => Promise<T>, now: () => number = Date.now): Promise<T> {
  const started = now();
  try {
    return await send();
  } catch (err) {
    if (!isConnectionReset(err) || now() - started > STALE_RESET_WINDOW_MS) throw err;
    return send();
  }
}
