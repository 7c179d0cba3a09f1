import { z } from 'zod';

/**
 * One tag value as HDE's dispatcher sends it. HDE substitutes tags into a user-written template, so
 * every value arrives as a string; numbers are accepted too because other templates send them bare.
 * An unexpanded tag such as `"{meta_chat_id}"` is normalised to `undefined` by {@link normaliseTag}.
 */
const TagValue = z.union([z.string(), z.number(), z.null()]).optional();

/**
 * The dispatcher body described in the setup guide (DESIGN.md §1). Lenient on purpose: unknown keys
 * are kept, every field is optional, and ids are normalised later.
 */
export const WebhookBodySchema = z.looseObject({
  message: TagValue,
  message_author_id: TagValue,
  customer_id: TagValue,
  ticket_id: TagValue,
  status_id: TagValue,
  user_name: TagValue,
  last_answer_date: TagValue,
  last_customer_message_date: TagValue,
  chat_id: TagValue,
});
/** A parsed, not yet normalised dispatcher body. */
export type WebhookBody = z.infer<typeof WebhookBodySchema>;

/** How a webhook body was understood by the ingress. */
export type ParseStatus = 'ok' | 'salvaged' | 'unparseable';

/**
 * A webhook event after normalisation: ids are numbers, empty or unexpanded tags are `undefined`.
 * This is what the worker reads from PostgreSQL; it never travels in job data because it holds
 * the customer's text.
 */
export type WebhookEvent = {
  ticketId: number;
  authorId?: number;
  customerId?: number;
  statusId?: string;
  userName?: string;
  /** `{answer_last}`: HTML, possibly cut by HDE or by a broken template. */
  messageHtml?: string;
  /** Whether the post carried files, when the body or HDE said (see `IntakeEvent.hasAttachments`). */
  hasAttachments?: boolean;
  lastAnswerDate?: string;
  lastCustomerMessageDate?: string;
  chatId?: string;
};

const UNEXPANDED_TAG = /^\{[a-z0-9_]+\}$/i;

/** Returns a tag value as a trimmed string, or `undefined` when it is empty or an unexpanded `{tag}`. */
export function normaliseTag(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  const text = String(value).trim();
  if (text === '' || UNEXPANDED_TAG.test(text)) return undefined;
  return text;
}

/** Returns a positive integer id from a tag value, or `undefined`. */
export function normaliseId(value: unknown): number | undefined {
  const text = normaliseTag(value);
  if (text === undefined || !/^\d{1,15}$/.test(text)) return undefined;
  const id = Number(text);
  return id > 0 ? id : undefined;
}
