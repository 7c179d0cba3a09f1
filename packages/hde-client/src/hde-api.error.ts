import { AppError } from '@repo/domain';

/**
 * Why an HDE call failed.
 *
 * - `network`: connection refused/reset, DNS failure, socket hang-up.
 * - `timeout`: connect timeout or total request timeout.
 * - `rate_limited`: HTTP 429 without a ban marker; wait `retryAfterMs`.
 * - `banned`: the account is blocked for exceeding the API limit (403/429 with `e-401` or ban wording).
 * - `auth`: 401/403 — wrong e-mail/key or no permission.
 * - `closed_ticket`: 400 on `POST /tickets/:id/posts/` (MAXDEV's observation: the ticket is closed).
 * - `ticket_gone`: 404 on one ticket's own routes (`/tickets/:id/…`): HDE has no such ticket (any
 *   more): deleted, merged into another, or hidden from this user. Nothing on it will succeed later.
 * - `not_found`: any other 404.
 * - `bad_request`: any other 4xx.
 * - `server`: 5xx.
 * - `invalid_response`: a 2xx whose body is not the JSON envelope we expect.
 * - `send_window_closed`: a write whose turn came after its `startBy` (see `HdeWriteOptions`): it was
 *   never sent, so it may be planned again.
 */
export type HdeErrorReason =
  | 'network'
  | 'timeout'
  | 'rate_limited'
  | 'banned'
  | 'auth'
  | 'closed_ticket'
  | 'ticket_gone'
  | 'not_found'
  | 'bad_request'
  | 'server'
  | 'invalid_response'
  | 'send_window_closed';

/** The `code` of every {@link HdeApiError}. */
export const HDE_API_ERROR_CODE = 'hde_api_error';

/** HTTP methods the client uses. */
export type HdeMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** Fields of an {@link HdeApiError}. */
export type HdeApiErrorInit = {
  reason: HdeErrorReason;
  retryable: boolean;
  method: HdeMethod;
  /** Route pattern, e.g. `POST /tickets/:id/posts/`. */
  endpoint: string;
  mayHaveLanded: boolean;
  status?: number;
  retryAfterMs?: number;
  /** HDE's own error code from `{"errors":[{"code":"e-401"}]}`, when present. */
  hdeCode?: string;
  /** HTTP attempts made for this call (GETs may be retried). */
  attempts?: number;
  /** A scrubbed description of the low-level failure: never the axios error itself. */
  cause?: { name: string; code?: string };
};

/**
 * A failed HDE API call. Safe to log and serialise as it is: it carries the route pattern, never the
 * URL, headers, credentials, request body or HDE's response text.
 *
 * `retryable` says whether the same call can succeed later; for a mutating call also check
 * `mayHaveLanded`: when true HDE may already have applied it (no idempotency key exists), so the
 * caller must reconcile (e.g. read the posts) instead of sending again.
 */
export class HdeApiError extends AppError<typeof HDE_API_ERROR_CODE> {
  readonly reason: HdeErrorReason;
  readonly method: HdeMethod;
  readonly endpoint: string;
  readonly mayHaveLanded: boolean;
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly hdeCode?: string;
  readonly attempts: number;

  constructor(init: HdeApiErrorInit) {
    const status = init.status === undefined ? '' : ` (HTTP ${init.status})`;
    super(HDE_API_ERROR_CODE, `HDE ${init.endpoint} failed: ${init.reason}${status}`, {
      retryable: init.retryable,
      cause: init.cause,
    });
    this.name = 'HdeApiError';
    this.reason = init.reason;
    this.method = init.method;
    this.endpoint = init.endpoint;
    this.mayHaveLanded = init.mayHaveLanded;
    if (init.status !== undefined) this.status = init.status;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.hdeCode !== undefined) this.hdeCode = init.hdeCode;
    this.attempts = init.attempts ?? 1;
  }

  /** Plain data for logs and job failure reasons. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      reason: this.reason,
      retryable: this.retryable,
      method: this.method,
      endpoint: this.endpoint,
      mayHaveLanded: this.mayHaveLanded,
      status: this.status,
      retryAfterMs: this.retryAfterMs,
      hdeCode: this.hdeCode,
      attempts: this.attempts,
    };
  }
}

/** Whether `value` is an {@link HdeApiError}. */
export function isHdeApiError(value: unknown): value is HdeApiError {
  return value instanceof HdeApiError;
}

/** Whether HDE answered that it no longer has the ticket (deleted, merged into another): `ticket_gone`. */
export function isTicketGone(value: unknown): value is HdeApiError {
  return value instanceof HdeApiError && value.reason === 'ticket_gone';
}
