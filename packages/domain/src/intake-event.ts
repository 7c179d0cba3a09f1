import { z } from 'zod';
import { eventIdOf, postEventIdOf } from './ids';
import type { ParseStatus, WebhookEvent } from './webhook';

/** Where an event came from. */
export type IntakeSource = 'webhook' | 'sweep' | 'spool' | 'manual';

/**
 * One customer-visible post of a ticket as the product understands it, whatever delivered it: the
 * dispatcher's webhook (any rule body), a spool replay, or the sweep reading HDE's API. Ids are
 * numbers, text is normalised once ({@link normaliseMessageText}), dates are real instants.
 */
export type IntakeEvent = {
  integrationId: string;
  /** `null` only for an event whose body could not be understood (kept for admins, never processed). */
  ticketId: number | null;
  source: IntakeSource;
  parseStatus: ParseStatus;
  postId?: number;
  authorId?: number;
  customerId?: number;
  statusId?: string;
  userName?: string;
  /** The post's text as HDE gave it (HTML or plain), normalised. */
  messageHtml?: string;
  /**
   * Whether the post carried files: `true`/`false` when the body or the API said, `undefined` when
   * nothing did (the product's own template sends no files; the worker asks HDE when the text is empty).
   */
  hasAttachments?: boolean;
  postedAt: Date | null;
  /** The post date exactly as HDE wrote it (local time without a zone), kept so it can be re-read. */
  postedAtText?: string;
  lastCustomerMessageAt: Date | null;
  chatId?: string;
  /** Fields of the product's body that were absent (canonical names, e.g. `post_id`). */
  missing: string[];
  /** Keys whose value was a tag HDE left unexpanded, e.g. `chat_id` for `"{meta_chat_id}"`. */
  unexpanded: string[];
  /** Keys read under a documented alias, e.g. `message.text` or `id` (ticket). */
  aliases: string[];
  /** Why the body could not be used, for the webhook log (no customer text). */
  problem?: string;
  receivedAt: Date;
};

/** Longest text kept of one post (characters); the webhook body limit bounds it already. */
const MAX_TEXT_CHARS = 200_000;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Makes any string storable: lone UTF-16 surrogates (which PostgreSQL's jsonb and text refuse)
 * become U+FFFD and NUL characters are dropped. Linear in the input.
 */
export function sanitiseString(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(LONE_SURROGATE, '\uFFFD').replace(/\u0000/g, '');
}

/**
 * The first `max` UTF-16 units of a string, one fewer when the cut would split a surrogate pair (an
 * emoji), so the result never ends with half a character: storage would turn it into U+FFFD.
 */
export function cutText(value: string, max: number): string {
  if (value.length <= max) return value;
  const code = value.charCodeAt(max - 1);
  return value.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/**
 * The one normalisation of a post's text, on every path (webhook, spool, sweep): sanitised,
 * `\r\n` as `\n`, trimmed (a trailing newline never makes a second message), bounded.
 */
export function normaliseMessageText(value: string): string {
  return cutText(sanitiseString(value).replace(/\r\n?/g, '\n').trim(), MAX_TEXT_CHARS);
}

/** A tag HDE did not expand: `{meta_chat_id}` or a template function around one. */
const UNEXPANDED = /^(?:\$[a-z_]+\()?\{[A-Za-z0-9_]+\}\)?$/;

/** Whether a raw value is a tag HDE left unexpanded. */
export function isUnexpandedTag(value: unknown): boolean {
  return typeof value === 'string' && value.length <= 80 && UNEXPANDED.test(value.trim());
}

function idOf(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (!/^\d{1,15}$/.test(text)) return undefined;
  const id = Number(text);
  return id > 0 ? id : undefined;
}

/**
 * Whether a files field names any file: a non-empty list, or a non-empty string (HDE's
 * `{last_answer_attachments_links}` expands to links, or to nothing). An unexpanded tag or another
 * type says nothing.
 */
function attachmentsOf(value: unknown): boolean | undefined {
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value !== 'string' || isUnexpandedTag(value)) return undefined;
  return value.trim() !== '';
}

function textOf(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string' || isUnexpandedTag(value)) return undefined;
  const text = sanitiseString(value).trim();
  return text === '' ? undefined : cutText(text, 1000);
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Inputs of {@link eventFromWebhookBody}. */
export type WebhookBodyInput = {
  integrationId: string;
  body: Obj | null;
  parseStatus: ParseStatus;
  source: IntakeSource;
  receivedAt: Date;
  /** Reads an HDE date (local time of the account) into an instant. */
  parseDate: (text: string) => Date | null;
};

/**
 * Reads a dispatcher body — the product's template or a foreign rule's — into an {@link IntakeEvent}.
 * Documented aliases are accepted where their meaning is clear (`last_post_user_id`, `user_id`,
 * `answer_last_without_html`, `message` as an object with `id`/`text`, the ticket id under `id` when
 * there is no `ticket_id`); unexpanded tags count as missing. A body whose ticket is unclear gets
 * parse status `unparseable` and a `problem`: it is stored and shown, never guessed at.
 */
export function eventFromWebhookBody(input: WebhookBodyInput): IntakeEvent {
  const body = input.body ?? {};
  const unexpanded: string[] = [];
  const aliases: string[] = [];
  const message = body.message;
  const messageObj = isObj(message) ? message : undefined;
  const visitor = isObj(body.visitor) ? body.visitor : undefined;

  // Bounded: a body of ten thousand keys yields at most 50 names, each cut and made storable.
  const noteUnexpanded = (key: string) => {
    if (unexpanded.length < 50) unexpanded.push(cutText(sanitiseString(key), 80));
  };
  for (const [key, value] of Object.entries(body)) if (isUnexpandedTag(value)) noteUnexpanded(key);
  if (messageObj) for (const [key, value] of Object.entries(messageObj)) if (isUnexpandedTag(value)) noteUnexpanded(`message.${key}`);

  /** The first present key of `keys`, noting an alias when it is not the first. */
  const pick = <T>(read: (v: unknown) => T | undefined, keys: Array<[string, unknown]>): T | undefined => {
    for (let i = 0; i < keys.length; i += 1) {
      const [name, raw] = keys[i]!;
      const value = read(raw);
      if (value !== undefined) {
        if (i > 0) aliases.push(name);
        return value;
      }
    }
    return undefined;
  };

  let problem: string | undefined;
  let ticketId = idOf(body.ticket_id);
  if (ticketId === undefined && body.ticket_id === undefined) {
    ticketId = pick(idOf, [
      ['ticket_id', undefined],
      ['id', body.id],
    ]);
    // rosmol's rule sends the ticket as `chat_id` beside a `message` object and a `visitor`.
    if (ticketId === undefined && messageObj && visitor)
      ticketId = pick(idOf, [
        ['ticket_id', undefined],
        ['chat_id', body.chat_id],
      ]);
  }
  if (ticketId === undefined) {
    problem =
      body.ticket_id !== undefined
        ? isUnexpandedTag(body.ticket_id)
          ? 'ticket_id_unexpanded'
          : 'ticket_id_not_numeric'
        : 'ticket_id_missing';
  }
  const rosmol = Boolean(messageObj && visitor && ticketId !== undefined && aliases.includes('chat_id'));

  const rawText = pick(
    (v) => (typeof v === 'string' && !isUnexpandedTag(v) ? v : undefined),
    [
      ['message', message],
      ['message.text', messageObj?.text],
      ['answer_last', body.answer_last],
      ['answer_last_without_html', body.answer_last_without_html],
      ['text', body.text],
    ],
  );
  const messageHtml = rawText === undefined ? undefined : normaliseMessageText(rawText) || undefined;
  const hasAttachments = pick(attachmentsOf, [
    ['files', body.files],
    ['attachments', body.attachments],
    ['last_answer_attachments_links', body.last_answer_attachments_links],
    ['message.files', messageObj?.files],
  ]);
  const postId = pick(idOf, [
    ['post_id', body.post_id],
    ['last_post_id', body.last_post_id],
    ['message_id', body.message_id],
    ['message.id', messageObj?.id],
  ]);
  const authorId = pick(idOf, [
    ['message_author_id', body.message_author_id],
    ['last_post_user_id', body.last_post_user_id],
    ['author_id', body.author_id],
  ]);
  const customerId = pick(idOf, [
    ['customer_id', body.customer_id],
    ['user_id', body.user_id],
    ['visitor.id', visitor?.id],
  ]);
  const userName = pick(textOf, [
    ['user_name', body.user_name],
    ['visitor.fields.name', isObj(visitor?.fields) ? visitor.fields.name : undefined],
  ]);
  const postedAtText = pick(textOf, [
    ['last_answer_date', body.last_answer_date],
    ['last_post_date', body.last_post_date],
    ['posted_at', body.posted_at],
    ['message_created_at', body.message_created_at],
    ['created_at', body.created_at],
  ]);
  const lastCustomerText = textOf(body.last_customer_message_date);

  const missing: string[] = [];
  if (ticketId === undefined) missing.push('ticket_id');
  if (messageHtml === undefined) missing.push('message');
  if (authorId === undefined) missing.push('message_author_id');
  if (customerId === undefined) missing.push('customer_id');
  if (postId === undefined) missing.push('post_id');

  return {
    integrationId: input.integrationId,
    ticketId: ticketId ?? null,
    source: input.source,
    parseStatus: ticketId === undefined ? 'unparseable' : input.parseStatus,
    postId,
    authorId,
    customerId,
    statusId: textOf(body.status_id),
    userName,
    messageHtml,
    hasAttachments,
    postedAt: postedAtText ? input.parseDate(postedAtText) : null,
    postedAtText,
    lastCustomerMessageAt: lastCustomerText ? input.parseDate(lastCustomerText) : null,
    chatId: rosmol ? undefined : textOf(body.chat_id),
    missing,
    unexpanded,
    aliases,
    problem,
    receivedAt: input.receivedAt,
  };
}

/**
 * The one event id rule. With HDE's post id: (integration, ticket, post id), the same on the
 * webhook and the sweep path, so two identical short texts are two messages. Without one (a rule
 * pasted from an older guide): the hash of (integration, ticket, author, date text, text).
 */
export function intakeEventId(
  event: Pick<IntakeEvent, 'integrationId' | 'ticketId' | 'postId' | 'authorId' | 'postedAtText' | 'messageHtml'>,
): string {
  if (event.ticketId === null) throw new Error('An event without a ticket has no intake id');
  if (event.postId !== undefined)
    return postEventIdOf({ integrationId: event.integrationId, ticketId: event.ticketId, postId: event.postId });
  return eventIdOf({
    integrationId: event.integrationId,
    ticketId: event.ticketId,
    authorId: event.authorId,
    lastAnswerDate: event.postedAtText,
    message: event.messageHtml,
  });
}

const OptionalDate = z.iso.datetime({ offset: true }).nullable();

/**
 * What `webhook_events.payload` holds for an event stored by the intake (version 2): the event
 * without the columns stored beside it. Read back with {@link readStoredEvent}.
 */
export const StoredEventPayloadSchema = z.object({
  v: z.literal(2),
  postId: z.number().int().positive().optional(),
  authorId: z.number().int().positive().optional(),
  customerId: z.number().int().positive().optional(),
  statusId: z.string().optional(),
  userName: z.string().optional(),
  messageHtml: z.string().optional(),
  hasAttachments: z.boolean().optional(),
  postedAt: OptionalDate,
  postedAtText: z.string().optional(),
  lastCustomerMessageAt: OptionalDate,
  chatId: z.string().optional(),
  missing: z.array(z.string()),
  unexpanded: z.array(z.string()),
  aliases: z.array(z.string()),
  problem: z.string().optional(),
});
/** See {@link StoredEventPayloadSchema}. */
export type StoredEventPayload = z.infer<typeof StoredEventPayloadSchema>;

/** The payload stored for an event (strings sanitised, dates as ISO strings). */
export function toStoredPayload(event: IntakeEvent): StoredEventPayload {
  return {
    v: 2,
    postId: event.postId,
    authorId: event.authorId,
    customerId: event.customerId,
    statusId: event.statusId,
    userName: event.userName,
    messageHtml: event.messageHtml,
    hasAttachments: event.hasAttachments,
    postedAt: event.postedAt ? event.postedAt.toISOString() : null,
    postedAtText: event.postedAtText,
    lastCustomerMessageAt: event.lastCustomerMessageAt ? event.lastCustomerMessageAt.toISOString() : null,
    chatId: event.chatId,
    missing: event.missing,
    unexpanded: event.unexpanded,
    aliases: event.aliases,
    problem: event.problem,
  };
}

/** A stored event as the pipeline reads it. */
export type TypedEvent = WebhookEvent & { postId?: number; postedAt: Date | null };

/**
 * Reads a stored event back into a typed event, validating it (no cast). Payloads stored before
 * the intake existed (the raw dispatcher body) are read through the same body mapping. Returns
 * `undefined` when there is no usable ticket.
 */
export function readStoredEvent(
  stored: { integrationId: string; ticketId: number | null; payload: unknown; receivedAt: Date },
  parseDateIn: (text: string) => Date | null,
): TypedEvent | undefined {
  if (stored.ticketId === null) return undefined;
  const parseDate = (text: string): Date | null => {
    try {
      return parseDateIn(text);
    } catch {
      return null; // an unreadable date never stops an event
    }
  };
  const v2 = StoredEventPayloadSchema.safeParse(stored.payload);
  if (v2.success) {
    const p = v2.data;
    return {
      ticketId: stored.ticketId,
      postId: p.postId,
      authorId: p.authorId,
      customerId: p.customerId,
      statusId: p.statusId,
      userName: p.userName,
      messageHtml: p.messageHtml,
      hasAttachments: p.hasAttachments,
      lastAnswerDate: p.postedAtText,
      lastCustomerMessageDate: undefined,
      chatId: p.chatId,
      // The text is re-read with the caller's (the integration's) time zone when there is one.
      postedAt: (p.postedAtText ? parseDate(p.postedAtText) : null) ?? (p.postedAt ? new Date(p.postedAt) : null),
    };
  }
  if (!isObj(stored.payload)) return undefined;
  const legacy = eventFromWebhookBody({
    integrationId: stored.integrationId,
    body: stored.payload,
    parseStatus: 'ok',
    source: 'webhook',
    receivedAt: stored.receivedAt,
    parseDate,
  });
  if (legacy.ticketId === null) return undefined;
  return {
    ticketId: legacy.ticketId,
    postId: legacy.postId,
    authorId: legacy.authorId,
    customerId: legacy.customerId,
    statusId: legacy.statusId,
    userName: legacy.userName,
    messageHtml: legacy.messageHtml,
    hasAttachments: legacy.hasAttachments,
    lastAnswerDate: legacy.postedAtText,
    chatId: legacy.chatId,
    postedAt: legacy.postedAt,
  };
}

/**
 * The event of a post read from HDE's API (the sweep): the same shape, text normalisation and id
 * rule as a webhook's, with the post id always known.
 */
export function eventFromPost(input: {
  integrationId: string;
  ticketId: number;
  post: { id: number; userId: number | null; text: string; dateCreated: Date | null; files?: readonly unknown[] };
  customerId?: number | null;
  statusId?: string | null;
  userName?: string | null;
  /** The post date as HDE writes it in webhooks, so an id computed without a post id could match. */
  postedAtText?: string;
  /**
   * Whether the integration's webhooks carry the post id. When they do not (a rule pasted from an
   * older guide), the event leaves it out so its id is the one that rule's webhook gets.
   */
  webhooksHavePostId?: boolean;
  receivedAt: Date;
}): IntakeEvent {
  const text = normaliseMessageText(input.post.text);
  return {
    integrationId: input.integrationId,
    ticketId: input.ticketId,
    source: 'sweep',
    parseStatus: 'ok',
    postId: input.post.id > 0 && input.webhooksHavePostId !== false ? input.post.id : undefined,
    authorId: input.post.userId ?? undefined,
    customerId: input.customerId ?? undefined,
    statusId: input.statusId ? sanitiseString(input.statusId) : undefined,
    userName: input.userName ? sanitiseString(input.userName) : undefined,
    messageHtml: text === '' ? undefined : text,
    ...(input.post.files ? { hasAttachments: input.post.files.length > 0 } : {}),
    postedAt: input.post.dateCreated,
    postedAtText: input.postedAtText,
    lastCustomerMessageAt: null,
    missing: [],
    unexpanded: [],
    aliases: [],
    receivedAt: input.receivedAt,
  };
}
