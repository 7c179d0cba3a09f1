import { WebhookBodySchema, type ParseStatus, type WebhookBody } from '@repo/domain';

/** The result of reading a webhook body. */
export type ParsedBody = { status: ParseStatus; body: WebhookBody | null };

const KNOWN_KEYS = [
  'message',
  'message_author_id',
  'customer_id',
  'ticket_id',
  'status_id',
  'user_name',
  'last_answer_date',
  'last_customer_message_date',
  'chat_id',
] as const;

/** Keys that must never become properties of a parsed object (prototype pollution). */
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

function safeJsonParse(text: string): unknown {
  return JSON.parse(text, (key, value: unknown) => (FORBIDDEN.has(key) ? undefined : value));
}

function fromForm(text: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [key, value] of new URLSearchParams(text)) {
    if (!FORBIDDEN.has(key)) out[key] = value;
  }
  return out;
}

/**
 * Salvages the fields of the known template from a body that is not valid JSON, which happens
 * when HDE puts `{answer_last}` into the JSON without escaping quotes or newlines. Ids are taken
 * with strict patterns; the message is whatever lies between its key and the next known key.
 */
export function salvage(text: string): WebhookBody | null {
  const out: Record<string, string> = {};
  for (const key of KNOWN_KEYS) {
    if (key === 'message') continue;
    const match = new RegExp(`"${key}"\\s*:\\s*"?([^",}\\n]*)"?`).exec(text);
    if (match?.[1] !== undefined) out[key] = match[1].trim();
  }
  const start = /"message"\s*:\s*"/.exec(text);
  if (start) {
    const rest = text.slice(start.index + start[0].length);
    const others = KNOWN_KEYS.filter((k) => k !== 'message').join('|');
    const end = new RegExp(`"\\s*,\\s*"(?:${others})"\\s*:`).exec(rest) ?? /"\s*}\s*$/.exec(rest);
    if (end) out.message = rest.slice(0, end.index);
  }
  if (!/^\d+$/.test(out.ticket_id ?? '')) return null;
  return out;
}

/**
 * Reads a webhook body as JSON or form data, leniently: unknown keys are kept, broken JSON is
 * salvaged, and nothing here throws.
 */
export function parseWebhookBody(raw: Buffer, contentType: string | undefined): ParsedBody {
  const text = raw.toString('utf8');
  const isForm = (contentType ?? '').includes('application/x-www-form-urlencoded');
  let candidate: unknown;
  try {
    candidate = isForm ? fromForm(text) : safeJsonParse(text);
  } catch {
    // A form body sent with a JSON content type, or broken JSON: try both ways of salvaging.
    const asForm = !isForm && /^[\w%.-]+=/.test(text) ? fromForm(text) : null;
    if (asForm && asForm.ticket_id) candidate = asForm;
    else {
      const salvaged = salvage(text);
      return salvaged ? { status: 'salvaged', body: salvaged } : { status: 'unparseable', body: null };
    }
  }
  const parsed = WebhookBodySchema.safeParse(candidate);
  if (parsed.success) return { status: 'ok', body: parsed.data };
  const salvaged = salvage(text);
  return salvaged ? { status: 'salvaged', body: salvaged } : { status: 'unparseable', body: null };
}
