import type { ParseStatus } from '@repo/domain';

/** The result of reading a webhook body. */
export type ParsedBody = { status: ParseStatus; body: Record<string, unknown> | null };

/** Keys the salvage looks for in a broken body: the product's template and the documented aliases. */
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
  'post_id',
  'last_post_id',
  'last_post_user_id',
  'user_id',
  'message_id',
  // The ticket, in rules that send it as `id` and no `ticket_id` (maxdev's «new ticket»).
  'id',
] as const;
const ID_KEYS = KNOWN_KEYS.filter((k) => k !== 'message');
/** Keys of files fields a rule may send after the message (their links carry quotes of their own). */
const FILE_KEYS = ['files', 'attachments', 'last_answer_attachments_links'] as const;
/**
 * Other field names public rule templates use (hde-api.md §6): a text field ends at the first of any
 * of these, so a rule that puts `"files"` or `"project"` after the message does not lose them into it.
 */
const TEMPLATE_KEYS = [
  ...FILE_KEYS,
  'text',
  'project',
  'product',
  'status',
  'unique_id',
  'ticket_name',
  'user_email',
  'owner_id',
  'owner_name',
  'owner_email',
  'creator_group',
  'creator_group_name',
  'answer_last_without_html',
  'date_update',
  'created_at',
  'message_created_at',
  'updated_at',
  'subject',
  'event',
  'event_type',
  'link',
];
/** Built once: a text field ends at the next field name the salvage knows (or the end of the object). */
const FIELD_END = new RegExp(`"\\s*,\\s*"(?:${[...ID_KEYS, ...TEMPLATE_KEYS].join('|')})"\\s*:`);
const KEY_PATTERNS = ID_KEYS.map((key) => [key, new RegExp(`"${key}"\\s*:\\s*"?([^",}\\n]{0,200})"?`)] as const);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Keys that must never become properties of a parsed object (prototype pollution). */
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * JSON.parse makes `__proto__` an ordinary own key (it never sets a prototype); the keys are
 * removed from the objects the intake reads so no later copy can turn them into one. Cheaper than
 * a reviver, which costs a call per value.
 */
function safeJsonParse(text: string): unknown {
  const value: unknown = JSON.parse(text);
  if (isObject(value)) {
    stripForbidden(value);
    for (const inner of Object.values(value)) if (isObject(inner)) stripForbidden(inner);
  }
  return value;
}

function stripForbidden(object: Record<string, unknown>): void {
  for (const key of FORBIDDEN) if (Object.prototype.hasOwnProperty.call(object, key)) delete object[key];
}

function fromForm(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    if (FORBIDDEN.has(key)) continue;
    // `message[text]=…` (a rule body with a nested object sent as a form) becomes `message.text`.
    const nested = /^([a-z_]{1,40})\[([a-z_]{1,40})\]$/i.exec(key);
    if (nested && !FORBIDDEN.has(nested[1]!) && !FORBIDDEN.has(nested[2]!)) {
      const outer = (out[nested[1]!] ??= {}) as Record<string, unknown>;
      if (typeof outer === 'object') outer[nested[2]!] = value;
    } else out[key] = value;
  }
  return out;
}

/** Where each salvaged text field starts, built once. */
const FIELD_START = new Map(['message', ...FILE_KEYS].map((key) => [key, new RegExp(`"${key}"\\s*:\\s*"`)] as const));

/** The raw text of a string field of a broken body: from its key to the next known field name. */
function textField(text: string, key: 'message' | (typeof FILE_KEYS)[number]): string | undefined {
  const start = FIELD_START.get(key)!.exec(text);
  if (!start) return undefined;
  const rest = text.slice(start.index + start[0].length);
  const end = FIELD_END.exec(rest) ?? /"\s*}\s*$/.exec(rest);
  return end ? rest.slice(0, end.index) : undefined;
}

/**
 * Salvages the fields of the known template from a body that is not valid JSON, which happens
 * when HDE puts `{answer_last}` into the JSON without escaping quotes or newlines. Ids are taken
 * with strict, bounded patterns; the message is whatever lies between its key and the next known key.
 */
export function salvage(text: string): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  for (const [key, pattern] of KEY_PATTERNS) {
    const match = pattern.exec(text);
    if (match?.[1] !== undefined) out[key] = match[1].trim();
  }
  const message = textField(text, 'message');
  if (message !== undefined) out.message = message;
  for (const key of FILE_KEYS) {
    const files = textField(text, key);
    if (files !== undefined) out[key] = files;
  }
  // The ticket: `ticket_id`, or `id` in a rule without one (the same rule as for valid JSON).
  const ticket = out.ticket_id ?? (text.includes('"ticket_id"') ? undefined : out.id);
  if (!/^\d+$/.test(String(ticket ?? ''))) return null;
  return out;
}

/**
 * Reads a webhook body as JSON or form data, leniently: any object is accepted (the intake decides
 * what it means), broken JSON is salvaged, and nothing here throws.
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
    if (asForm && (asForm.ticket_id || asForm.id)) return { status: 'ok', body: asForm };
    const salvaged = salvage(text);
    return salvaged ? { status: 'salvaged', body: salvaged } : { status: 'unparseable', body: null };
  }
  if (isObject(candidate)) return { status: 'ok', body: candidate };
  const salvaged = salvage(text);
  return salvaged ? { status: 'salvaged', body: salvaged } : { status: 'unparseable', body: null };
}
