/**
 * Node socket error codes that mean our own PostgreSQL or Redis could not be reached or dropped the
 * connection. An HDE call's network failure never shows up here: the HDE client wraps it in its own
 * typed error (with a `code` of its own), which {@link isInfrastructureError} does not look into.
 */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND']);

/**
 * PostgreSQL SQLSTATEs of a server that is gone, going, not yet there, or up but refusing writes:
 * connection exceptions (class 08), admin/crash shutdown and "cannot connect now" (57P01–57P03), too
 * many connections (53300), and a server that answers but cannot take the write — read-only
 * (25006: a client that landed on a replica after a failover, or `default_transaction_read_only`),
 * disk full (53100), out of memory (53200), out of other resources (53000). None of these says
 * anything about the job: the same statement succeeds once the server takes writes again.
 */
const PG_STATES = /^(08...|57P0[1-3]|25006|53[0-3]00)$/;

/**
 * Redis error replies of a server that is up but refuses writes for now: a replica (its primary
 * failed over elsewhere), out of memory under `noeviction`, unable to persist (a full disk with
 * `stop-writes-on-bgsave-error`), still loading its data set, or a replica cut off from its primary.
 * Redis 7 gives a script's refused write its own code; Redis 6 wraps it (`ERR Error running script
 * … -READONLY …`).
 */
const REDIS_REFUSALS = /(?:^|: -)(?:READONLY|OOM|MISCONF|LOADING|MASTERDOWN) /;

/** Messages of pg and ioredis for a connection that ended or never came (they carry no code). */
const CONNECTION_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Connection is closed',
  'Reached the max retries per request limit',
  "Stream isn't writeable",
  'Cannot use a pool after calling end',
];

function looksLikeOutage(error: { code?: unknown; message?: unknown; syscall?: unknown; severity?: unknown; name?: unknown }): boolean {
  const code = typeof error.code === 'string' ? error.code : undefined;
  if (code && error.severity !== undefined && PG_STATES.test(code)) return true;
  if (code && typeof error.syscall === 'string' && SOCKET_CODES.has(code)) return true;
  if (error.name === 'MaxRetriesPerRequestError') return true;
  const message = typeof error.message === 'string' ? error.message : '';
  if (error.name === 'ReplyError' && REDIS_REFUSALS.test(message)) return true;
  return CONNECTION_MESSAGES.some((m) => message.includes(m));
}

/**
 * Whether an error means our own PostgreSQL or Redis is (briefly) unreachable or refusing writes
 * (read-only after a failover, a full disk or memory), as opposed to a failure of the work itself.
 * Such an error says nothing about the job: it waits for the outage to end without spending one of
 * its attempts. Typed application errors (anything with a `retryable` flag, e.g. HDE call failures)
 * are judged by their own flag, never here. Follows `cause` and `AggregateError` members a few
 * levels deep (pg and ioredis wrap socket errors).
 */
export function isInfrastructureError(thrown: unknown, depth = 0): boolean {
  if (depth > 4 || thrown === null || typeof thrown !== 'object') return false;
  const error = thrown as {
    code?: unknown;
    message?: unknown;
    syscall?: unknown;
    severity?: unknown;
    name?: unknown;
    retryable?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (typeof error.retryable === 'boolean') return false;
  if (looksLikeOutage(error)) return true;
  if (Array.isArray(error.errors) && error.errors.some((e) => isInfrastructureError(e, depth + 1))) return true;
  return error.cause !== undefined && isInfrastructureError(error.cause, depth + 1);
}
