import { HdeApiError, type HdeErrorReason, type HdeMethod } from './hde-api.error';
import { parseRetryAfterMs } from './retry';

/**
 * Practitioners report ~20 minute account bans (hde-api.md §2): callers' default pause when a ban
 * carries no Retry-After (the error's `retryAfterMs` is then unset, so a configured pause can apply).
 */
export const DEFAULT_BAN_PAUSE_MS = 20 * 60_000;

const BAN_WORDING = /\bban|limit|блок|лимит/i;
const CLOSED_TICKET_ENDPOINT = 'POST /tickets/:id/posts/';
/** Routes of one ticket (`GET /tickets/:id/`, `POST /tickets/:id/posts/`…), not the ticket list. */
const ONE_TICKET_ENDPOINT = /^[A-Z]+ \/tickets\/:id\//;

/** How HDE writes its error codes: a letter, a dash and a number (`e-401`, `s-204`). */
const HDE_CODE_SHAPE = /^[a-z]-\d{1,4}$/i;

/** HDE's error envelope, `{"errors":[{"code","title","details"}]}`, read leniently. */
export type HdeErrorEntry = { code?: string; title?: string; details?: string };

/** Extracts HDE's error entries from a parsed body; anything else gives `[]`. */
export function readHdeErrors(body: unknown): HdeErrorEntry[] {
  if (!body || typeof body !== 'object') return [];
  const errors = (body as { errors?: unknown }).errors;
  const list = Array.isArray(errors) ? errors : errors && typeof errors === 'object' ? Object.values(errors) : [];
  const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
  return list
    .filter((e): e is Record<string, unknown> => !!e && typeof e === 'object')
    .map((e) => {
      const entry: HdeErrorEntry = {};
      const code = text(e.code);
      const title = text(e.title);
      const details = text(e.details);
      if (code !== undefined) entry.code = code;
      if (title !== undefined) entry.title = title;
      if (details !== undefined) entry.details = details;
      return entry;
    });
}

/** Whether an error response says the account is banned for exceeding the API limit. */
export function isBanResponse(status: number, errors: HdeErrorEntry[]): boolean {
  if (status !== 401 && status !== 403 && status !== 429) return false;
  return errors.some(
    (e) =>
      ((status === 403 || status === 429) && e.code?.toLowerCase() === 'e-401') || BAN_WORDING.test(`${e.title ?? ''} ${e.details ?? ''}`),
  );
}

const isMutating = (method: HdeMethod): boolean => method !== 'GET';

/** Input of {@link classifyHttpFailure}. */
export type HttpFailure = {
  method: HdeMethod;
  endpoint: string;
  status: number;
  /** The parsed response body, if it was JSON. Only HDE's error code is kept from it. */
  body: unknown;
  retryAfterHeader?: unknown;
  attempts?: number;
  now?: number;
};

/** Turns a non-2xx HTTP response into an {@link HdeApiError}. */
export function classifyHttpFailure(f: HttpFailure): HdeApiError {
  const errors = readHdeErrors(f.body);
  // Only a code shaped as HDE writes them (`e-401`, `s-204`) is kept on the error, which is logged and
  // stored with failed jobs: a server in front of HDE or a misbehaving one may put anything there,
  // the request's text or credentials included.
  const hdeCode = errors.map((e) => e.code).find((code) => code !== undefined && HDE_CODE_SHAPE.test(code));
  const retryAfterMs = parseRetryAfterMs(f.retryAfterHeader, f.now);
  const base = { method: f.method, endpoint: f.endpoint, status: f.status, attempts: f.attempts, hdeCode };
  const make = (reason: HdeErrorReason, retryable: boolean, mayHaveLanded: boolean, after?: number): HdeApiError =>
    new HdeApiError({ ...base, reason, retryable, mayHaveLanded, ...(after === undefined ? {} : { retryAfterMs: after }) });

  if (isBanResponse(f.status, errors)) return make('banned', true, false, retryAfterMs);
  if (f.status === 429) return make('rate_limited', true, false, retryAfterMs);
  if (f.status === 401 || f.status === 403) return make('auth', false, false);
  // A 404 on a ticket's own routes is the ticket, not the route: an agent deleted it or merged it
  // into another. Asking again cannot help, and the caller ends its work on that ticket.
  if (f.status === 404 && ONE_TICKET_ENDPOINT.test(f.endpoint)) return make('ticket_gone', false, false);
  if (f.status === 404) return make('not_found', false, false);
  if (f.status === 400 && f.endpoint === CLOSED_TICKET_ENDPOINT) return make('closed_ticket', false, false);
  // 408: the server gave up waiting for our request, so it did not act on it.
  if (f.status === 408) return make('timeout', true, false);
  if (f.status >= 500) return make('server', true, isMutating(f.method), retryAfterMs);
  return make('bad_request', false, false);
}

/** What the transport saw of a request that got no HTTP response. */
export type TransportFailure = {
  method: HdeMethod;
  endpoint: string;
  /** Node/axios error code, e.g. `ECONNREFUSED`. */
  code?: string;
  /** The connection (TLS included) was up, so request bytes may have reached HDE. */
  connected: boolean;
  /** Our total timeout fired. */
  timedOut: boolean;
  /** Our connect timeout fired. */
  connectTimedOut: boolean;
  /** A response had started arriving (e.g. a slow body was cut). */
  responseStarted?: boolean;
  /** The response body passed the client's `maxResponseBytes` and was cut off. */
  responseTooLarge?: boolean;
  attempts?: number;
};

/**
 * Turns a failure without an HTTP status into an {@link HdeApiError}. A mutating request "may have
 * landed" as soon as the connection was established: from here on we cannot tell whether HDE read
 * and applied it, and guessing "no" would risk a duplicate post.
 */
export function classifyTransportFailure(f: TransportFailure): HdeApiError {
  const landed = isMutating(f.method) && (f.connected || f.responseStarted === true) && !f.connectTimedOut;
  // HDE answered, at a size no answer of its API has: asking again downloads as much again.
  if (f.responseTooLarge) {
    return new HdeApiError({
      reason: 'invalid_response',
      retryable: false,
      method: f.method,
      endpoint: f.endpoint,
      mayHaveLanded: landed,
      attempts: f.attempts,
      cause: { name: 'ResponseTooLarge' },
    });
  }
  const reason: HdeErrorReason = f.timedOut || f.connectTimedOut ? 'timeout' : 'network';
  return new HdeApiError({
    reason,
    // A host that resolves to a private address will do so again: refused for good, not retried.
    retryable: f.code !== 'EPRIVATEADDR',
    method: f.method,
    endpoint: f.endpoint,
    mayHaveLanded: landed,
    attempts: f.attempts,
    cause: { name: reason === 'timeout' ? 'TimeoutError' : 'NetworkError', ...(f.code ? { code: f.code } : {}) },
  });
}

/** Turns a 2xx with an unreadable body into an {@link HdeApiError}: HDE did act on a mutating call. */
export function invalidResponseError(method: HdeMethod, endpoint: string, status: number, attempts?: number): HdeApiError {
  return new HdeApiError({
    reason: 'invalid_response',
    retryable: false,
    method,
    endpoint,
    status,
    mayHaveLanded: isMutating(method),
    attempts,
  });
}
