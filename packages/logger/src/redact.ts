/**
 * Keys whose values never reach a log line: credentials, tokens and customer text. Matching is on
 * the key name, case-insensitive, anywhere in the metadata.
 */
const DENY = [
  'authorization',
  'token',
  'apikey',
  'api_key',
  'password',
  'secret',
  'cookie',
  'headers',
  'body',
  'payload',
  'text',
  'message_text',
  'html',
  'answer',
  'email',
];

const REDACTED = '[redacted]';
/** A webhook URL carries its token in the path; keep the route, drop the token. */
const TOKEN_IN_PATH = /(\/webhook\/)[^/?#\s"]+/g;
const BASIC_OR_BEARER = /\b(Basic|Bearer)\s+[A-Za-z0-9+/=._-]{8,}/g;

/** Whether a metadata key must be redacted. */
export function isDeniedKey(key: string): boolean {
  const k = key.toLowerCase();
  return DENY.some((d) => k === d || k.endsWith(d) || k.endsWith(`_${d}`));
}

/** Removes tokens from a string that may contain a webhook URL or an auth header. */
export function scrubString(value: string): string {
  return value.replace(TOKEN_IN_PATH, `$1${REDACTED}`).replace(BASIC_OR_BEARER, `$1 ${REDACTED}`);
}

/** Serialises an Error to plain data, scrubbed, with its cause chain. */
export function serialiseError(error: Error, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {
    name: error.name,
    message: scrubString(error.message),
  };
  const extra = error as Error & { code?: unknown; retryable?: unknown; reason?: unknown };
  if (extra.code !== undefined) out.code = extra.code;
  if (extra.retryable !== undefined) out.retryable = extra.retryable;
  if (extra.reason !== undefined) out.reason = extra.reason;
  if (error.stack) out.stack = scrubString(error.stack);
  if (error.cause instanceof Error && depth < 3) out.cause = serialiseError(error.cause, depth + 1);
  return out;
}

/** Returns a deep copy of log metadata with denied keys redacted and errors serialised. */
export function redactMeta(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[depth]';
  if (typeof value === 'string') return scrubString(value);
  if (value instanceof Error) return serialiseError(value);
  if (Array.isArray(value)) return value.map((v) => redactMeta(v, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      out[key] = isDeniedKey(key) ? REDACTED : redactMeta(v, depth + 1);
    }
    return out;
  }
  return value;
}
