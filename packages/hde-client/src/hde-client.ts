import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import { guardedLookup, isPrivateAddress, privateNetworkError } from './network-guard';
import axios, { type AxiosResponse } from 'axios';
import { AppError, trimTrailingSlashes } from '@repo/domain';
import { createAttemptTransport, type AttemptState } from './attempt-transport';
import { readRateLimitHeaders, type HdeBudget } from './budget';
import { HdeApiError, type HdeMethod } from './hde-api.error';
import { DEFAULT_HDE_TZ_OFFSET_MINUTES, formatHdeDate } from './hde-dates';
import { classifyHttpFailure, classifyTransportFailure, invalidResponseError } from './hde-error-classify';
import type {
  HdeComment,
  HdeCustomField,
  HdeDepartment,
  HdeKbArticle,
  HdeKbCategory,
  HdeMessageInput,
  HdePage,
  HdePost,
  HdeRateLimitInfo,
  HdeStatus,
  HdeTicket,
  HdeTicketListFilter,
  HdeTicketUpdate,
  HdeUser,
  HdeUserGroup,
  HdeUserListFilter,
} from './hde-types';
import { backoffDelayMs, DEFAULT_RETRY_POLICY, sleep, type RetryPolicy } from './retry';
import { customFieldSchema, departmentSchema, statusSchema } from './schemas/dictionary.schema';
import { EnvelopeError, readOne, readPage } from './schemas/envelope';
import { kbArticleSchema, kbCategorySchema } from './schemas/kb.schema';
import { commentSchema, postSchema } from './schemas/message.schema';
import { ticketSchema } from './schemas/ticket.schema';
import { userGroupSchema, userSchema } from './schemas/user.schema';
import { sortTicketsAsListed } from './ticket-order';
import { offsetMinutesAt, type HdeZone } from './time-zone';

/** The logging the client needs; a `@repo/logger` (winston) logger fits. Messages are static. */
export type HdeClientLogger = {
  debug(message: string, meta?: Record<string, unknown>): unknown;
  info(message: string, meta?: Record<string, unknown>): unknown;
  warn(message: string, meta?: Record<string, unknown>): unknown;
};

/** Options of {@link createHdeClient}. */
export type HdeClientOptions = {
  /** Account root, e.g. `https://acme.helpdeskeddy.com`; calls go to `${baseUrl}/api/v2/…`. http(s) only. */
  baseUrl: string;
  email: string;
  apiKey: string;
  /** Time allowed for DNS + TCP (+ TLS) per attempt. Default 5 s. */
  connectTimeoutMs?: number;
  /** Total time per attempt, body download included (a trickled body is cut). Default 30 s. */
  timeoutMs?: number;
  /** Retries of a failed GET (network, timeout, 5xx, 429). POST/PUT are never retried. Default 2. */
  getRetries?: number;
  /** Backoff tuning; `retries` comes from `getRetries`. */
  retryPolicy?: Partial<Omit<RetryPolicy, 'retries'>>;
  budget?: HdeBudget;
  logger?: HdeClientLogger;
  /**
   * The account's IANA time zone (e.g. `Europe/Moscow`): HDE sends and expects local times without
   * an offset. Wins over `tzOffsetMinutes`.
   */
  timeZone?: string;
  /** A fixed offset from UTC in minutes, when no `timeZone` is known. Default +180 (Moscow). */
  tzOffsetMinutes?: number;
  /** Largest response body accepted. Default 20 MB. */
  maxResponseBytes?: number;
  /**
   * Allow plain http and private, loopback and link-local addresses (a simulator, a test, an
   * on-premises HDE). Off by default: a tenant-typed base URL must not reach internal services.
   */
  allowPrivateNetwork?: boolean;
};

/** Request counters of one client, for benchmarks and budget checks. */
export type HdeClientStats = {
  /** HTTP requests started (retries included). */
  requests: number;
  retries: number;
  failures: number;
  /** Requests per route pattern, e.g. `GET /tickets/:id/posts/`. */
  byEndpoint: Record<string, number>;
};

/** Options of a mutating call. */
export type HdeWriteOptions = {
  /**
   * The latest moment (`performance.now()` of this process) at which the request may still be sent.
   * It is checked after the budget is acquired, right before the request is written; a write whose
   * turn comes later fails with reason `send_window_closed` and is not sent. The send ledger uses it
   * so that a call it has marked `sending` either starts within a bounded time or never: another
   * worker that finds the row later knows when the call surely ended.
   */
  startBy?: number;
};

/** A typed HDE API v2 client for one account and one API user. */
export type HdeClient = {
  getTicket(ticketId: number): Promise<HdeTicket>;
  /** One page (30 tickets). HDE keys tickets by id; they are returned as an array in HDE's list order. */
  listTickets(filter?: HdeTicketListFilter): Promise<HdePage<HdeTicket>>;
  updateTicket(ticketId: number, update: HdeTicketUpdate): Promise<HdeTicket>;
  /** One page of public replies, newest first. */
  listPosts(ticketId: number, options?: { page?: number }): Promise<HdePage<HdePost>>;
  /**
   * Posts created at or after `since`, newest first, reading pages until an older post appears
   * (posts without a date are kept). Costs one request per page, at most `maxPages` (default 5).
   */
  listAllPostsSince(ticketId: number, since: Date, options?: { maxPages?: number }): Promise<HdePost[]>;
  /** Never retried: on a failure with `mayHaveLanded`, read the posts before sending again. */
  createPost(ticketId: number, input: HdeMessageInput, options?: HdeWriteOptions): Promise<HdePost>;
  listComments(ticketId: number, options?: { page?: number }): Promise<HdePage<HdeComment>>;
  /** Never retried, like {@link HdeClient.createPost}. */
  createComment(ticketId: number, input: HdeMessageInput, options?: HdeWriteOptions): Promise<HdeComment>;
  getUser(userId: number): Promise<HdeUser>;
  listUsers(filter?: HdeUserListFilter): Promise<HdePage<HdeUser>>;
  /** User groups (`GET /groups/`, seen in a public SDK, not in HDE's docs): `type` tells staff from clients. */
  listUserGroups(): Promise<HdeUserGroup[]>;
  /** Searches users and returns the one whose e-mail matches exactly (case-insensitive), or `null`. */
  findUserByEmail(email: string): Promise<HdeUser | null>;
  listDepartments(): Promise<HdeDepartment[]>;
  listStatuses(): Promise<HdeStatus[]>;
  listCustomFields(): Promise<HdeCustomField[]>;
  listKbCategories(): Promise<HdeKbCategory[]>;
  listKbArticles(options?: { page?: number }): Promise<HdePage<HdeKbArticle>>;
  getKbArticle(articleId: number): Promise<HdeKbArticle>;
  /** Counters since creation (or the last reset). */
  getStats(): HdeClientStats;
  resetStats(): void;
  /** `X-Rate-Limit` / `X-Rate-Limit-Remaining` of the latest response, if any arrived. */
  getRateLimit(): HdeRateLimitInfo | undefined;
  /** Closes pooled keep-alive connections. */
  close(): void;
};

type Query = Record<string, string | number | undefined>;

type CallSpec<T> = {
  method: HdeMethod;
  /** Route pattern for logs, errors and stats. */
  endpoint: string;
  path: string;
  query?: Query;
  body?: Record<string, unknown>;
  read: (body: unknown) => T;
  /** A write's latest start (see {@link HdeWriteOptions}). */
  startBy?: number;
};

type AttemptOutcome<T> = { ok: true; value: T } | { ok: false; error: HdeApiError };

const DEFAULTS = { connectTimeoutMs: 5_000, timeoutMs: 30_000, getRetries: 2, maxResponseBytes: 20 * 1024 * 1024 };
const TRANSPORT_CODE = /^[A-Z][A-Z0-9_]{1,40}$/;

function configError(message: string): AppError<'hde_client_config'> {
  return new AppError('hde_client_config', message, { retryable: false });
}

/** Validates the account root: http(s), no credentials, query or fragment; trailing slash dropped. */
function normaliseBaseUrl(baseUrl: string, allowPrivateNetwork: boolean): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw configError('HDE base URL is not a valid URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw configError(`HDE base URL must use http or https, not ${url.protocol.replace(/[^a-z0-9+.-]/gi, '')}`);
  }
  if (url.username || url.password) throw configError('HDE base URL must not contain credentials');
  if (url.search || url.hash) throw configError('HDE base URL must not contain a query or fragment');
  if (!allowPrivateNetwork) {
    if (url.protocol !== 'https:') throw privateNetworkError('HDE base URL must use https');
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isPrivateAddress(host) || host === 'localhost' || host.endsWith('.localhost')) {
      throw privateNetworkError('HDE base URL must not point at a private, loopback or link-local address');
    }
  }
  return `${url.origin}${trimTrailingSlashes(url.pathname)}`;
}

function lenientJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // HDE's published samples carry trailing commas; accept them rather than fail the call.
    try {
      return JSON.parse(text.replace(/,(\s*[}\]])/g, '$1'));
    } catch {
      return undefined;
    }
  }
}

function toQueryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, String(value));
  const qs = params.toString();
  return qs ? `?${qs}` : '';
}

/** HDE sometimes answers 200 with only an error envelope; its `e-NNN` code is the real status. */
function statusFromErrorEnvelope(body: unknown): number | undefined {
  if (!body || typeof body !== 'object' || 'data' in body) return undefined;
  const errors = (body as { errors?: unknown }).errors;
  const first: unknown = Array.isArray(errors) ? errors[0] : undefined;
  const code = first && typeof first === 'object' ? (first as { code?: unknown }).code : undefined;
  const m = typeof code === 'string' ? /^e-([45]\d\d)$/.exec(code) : null;
  return m ? Number(m[1]) : undefined;
}

/**
 * Creates an HDE API v2 client. Credentials live only in this closure; errors and logs carry the
 * route pattern, status and timing, never the key, headers, URLs or bodies.
 *
 * @throws AppError `hde_client_config` when the base URL is not http(s) or credentials are missing;
 *   `hde_private_network` when it is http or a private host without `allowPrivateNetwork`
 */
export function createHdeClient(options: HdeClientOptions): HdeClient {
  const root = normaliseBaseUrl(options.baseUrl, options.allowPrivateNetwork === true);
  if (!options.email || !options.apiKey) throw configError('HDE e-mail and API key are required');
  if (/[\r\n:]/.test(options.email) || /[\r\n]/.test(options.apiKey)) throw configError('HDE credentials contain invalid characters');
  const authorization = `Basic ${Buffer.from(`${options.email}:${options.apiKey}`).toString('base64')}`;

  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs;
  const timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
  const policy: RetryPolicy = {
    ...DEFAULT_RETRY_POLICY,
    ...options.retryPolicy,
    retries: Math.max(0, options.getRetries ?? DEFAULTS.getRetries),
  };
  const tz: HdeZone = options.timeZone ?? options.tzOffsetMinutes ?? DEFAULT_HDE_TZ_OFFSET_MINUTES;
  if (typeof tz === 'string') {
    try {
      offsetMinutesAt(tz, Date.now());
    } catch {
      throw configError('HDE time zone is not a known IANA time zone');
    }
  }
  const { budget, logger } = options;

  const schemas = {
    ticket: ticketSchema(tz),
    post: postSchema(tz),
    comment: commentSchema(tz),
    user: userSchema(tz),
    kbCategory: kbCategorySchema(tz),
    kbArticle: kbArticleSchema(tz),
  };

  // Reads share keep-alive sockets. Writes get a fresh connection: a keep-alive socket the server
  // has just closed fails with ECONNRESET, which would make a POST needlessly ambiguous.
  // Names are checked where the socket connects, so a host re-pointed at a private address is refused too.
  const guard = options.allowPrivateNetwork ? {} : { lookup: guardedLookup as unknown as net.LookupFunction };
  const pooled = {
    http: new http.Agent({ keepAlive: true, maxSockets: 8, ...guard }),
    https: new https.Agent({ keepAlive: true, maxSockets: 8, ...guard }),
  };
  const fresh = { http: new http.Agent({ keepAlive: false, ...guard }), https: new https.Agent({ keepAlive: false, ...guard }) };
  const transportClient = axios.create({
    maxRedirects: 0,
    proxy: false,
    validateStatus: () => true,
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    maxContentLength: options.maxResponseBytes ?? DEFAULTS.maxResponseBytes,
  });

  let stats: HdeClientStats = { requests: 0, retries: 0, failures: 0, byEndpoint: {} };
  let rateLimit: HdeRateLimitInfo | undefined;

  async function observe(response: AxiosResponse, endpoint: string): Promise<void> {
    const info = readRateLimitHeaders(response.headers as Record<string, unknown>, response.status);
    rateLimit = { ...info, at: Date.now() };
    if (!budget) return;
    try {
      await budget.observe(info);
    } catch {
      logger?.warn('hde budget observe failed', { endpoint });
    }
  }

  function transportFailure(spec: CallSpec<unknown>, err: unknown, state: AttemptState, timedOut: boolean, attempt: number): HdeApiError {
    const code = err && typeof err === 'object' ? (err as { code?: unknown }).code : undefined;
    return classifyTransportFailure({
      method: spec.method,
      endpoint: spec.endpoint,
      code: typeof code === 'string' && TRANSPORT_CODE.test(code) ? code : undefined,
      // axios reports an over-long body and an aborted stream with one code; only its message differs.
      responseTooLarge: err instanceof Error && err.message.startsWith('maxContentLength size'),
      connected: state.connected,
      responseStarted: state.responseStarted,
      timedOut,
      connectTimedOut: state.connectTimedOut,
      attempts: attempt,
    });
  }

  async function attemptOnce<T>(spec: CallSpec<T>, attempt: number): Promise<AttemptOutcome<T>> {
    const { transport, state } = createAttemptTransport(connectTimeoutMs);
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const agents = spec.method === 'GET' ? pooled : fresh;
    const headers: Record<string, string> = { Authorization: authorization, Accept: 'application/json' };
    if (spec.body) headers['Content-Type'] = 'application/json; charset=utf-8';

    let response: AxiosResponse<unknown>;
    try {
      response = await transportClient.request<unknown>({
        method: spec.method,
        url: `${root}/api/v2${spec.path}${toQueryString(spec.query)}`,
        headers,
        data: spec.body === undefined ? undefined : JSON.stringify(spec.body),
        signal: controller.signal,
        transport,
        httpAgent: agents.http,
        httpsAgent: agents.https,
      });
    } catch (err) {
      // The axios error holds the request config, Authorization included: only its code survives.
      return { ok: false, error: transportFailure(spec, err, state, timedOut, attempt) };
    } finally {
      clearTimeout(timer);
    }

    await observe(response, spec.endpoint);
    const body = typeof response.data === 'string' ? lenientJson(response.data) : response.data;
    const status = response.status >= 200 && response.status < 300 ? (statusFromErrorEnvelope(body) ?? response.status) : response.status;
    if (status >= 200 && status < 300) {
      if (body === undefined) return { ok: false, error: invalidResponseError(spec.method, spec.endpoint, status, attempt) };
      try {
        return { ok: true, value: spec.read(body) };
      } catch (err) {
        if (err instanceof EnvelopeError) return { ok: false, error: invalidResponseError(spec.method, spec.endpoint, status, attempt) };
        throw err;
      }
    }
    return {
      ok: false,
      error: classifyHttpFailure({
        method: spec.method,
        endpoint: spec.endpoint,
        status,
        body,
        retryAfterHeader: response.headers['retry-after'],
        attempts: attempt,
      }),
    };
  }

  /** The delay before retrying `error`, or `undefined` when it must not be retried. */
  function retryDelay(spec: CallSpec<unknown>, error: HdeApiError, retry: number): number | undefined {
    if (spec.method !== 'GET' || retry >= policy.retries) return undefined;
    if (!['network', 'timeout', 'server', 'rate_limited'].includes(error.reason)) return undefined;
    // A 429 that names no wait may be a ban in another form: knocking again at once would only
    // prolong it, so the caller pauses the account instead (the worker, see pauseUntimed429).
    if (error.reason === 'rate_limited' && error.retryAfterMs === undefined) return undefined;
    if (error.retryAfterMs !== undefined) return error.retryAfterMs <= policy.maxRetryAfterMs ? error.retryAfterMs : undefined;
    return backoffDelayMs(retry, policy);
  }

  async function call<T>(spec: CallSpec<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      if (budget) await budget.acquire();
      // Checked after the budget, whose Redis calls may hang through an outage: a write that gets
      // its turn too late is not sent at all (see HdeWriteOptions).
      if (spec.startBy !== undefined && performance.now() > spec.startBy) {
        throw new HdeApiError({
          reason: 'send_window_closed',
          retryable: true,
          method: spec.method,
          endpoint: spec.endpoint,
          mayHaveLanded: false,
          attempts: attempt - 1,
        });
      }
      stats.requests += 1;
      stats.byEndpoint[spec.endpoint] = (stats.byEndpoint[spec.endpoint] ?? 0) + 1;
      const started = Date.now();
      const outcome = await attemptOnce(spec, attempt);
      const durationMs = Date.now() - started;
      if (outcome.ok) {
        logger?.debug('hde request ok', { endpoint: spec.endpoint, attempt, durationMs });
        return outcome.value;
      }
      const { error } = outcome;
      const meta = { endpoint: spec.endpoint, attempt, durationMs, status: error.status, reason: error.reason };
      const delay = retryDelay(spec as CallSpec<unknown>, error, attempt - 1);
      if (delay === undefined) {
        stats.failures += 1;
        logger?.warn('hde request failed', { ...meta, mayHaveLanded: error.mayHaveLanded });
        throw error;
      }
      stats.retries += 1;
      logger?.info('hde request retry scheduled', { ...meta, delayMs: delay });
      await sleep(delay);
    }
  }

  // Callers always get a rejected promise, never a synchronous throw: the call methods are async.
  function idInPath(method: HdeMethod, endpoint: string, id: number): number {
    if (Number.isSafeInteger(id) && id > 0) return id;
    throw new HdeApiError({ reason: 'bad_request', retryable: false, method, endpoint, mayHaveLanded: false, attempts: 0 });
  }

  const list = <T>(body: unknown, schema: Parameters<typeof readPage<T>>[1]): T[] => readPage(body, schema).items;

  async function listPosts(ticketId: number, opts: { page?: number } = {}): Promise<HdePage<HdePost>> {
    const endpoint = 'GET /tickets/:id/posts/';
    const id = idInPath('GET', endpoint, ticketId);
    const page = opts.page ?? 1;
    return call({ method: 'GET', endpoint, path: `/tickets/${id}/posts/`, query: { page }, read: (b) => readPage(b, schemas.post, page) });
  }

  async function listUsers(filter: HdeUserListFilter = {}): Promise<HdePage<HdeUser>> {
    const page = filter.page ?? 1;
    return call({
      method: 'GET',
      endpoint: 'GET /users/',
      path: '/users/',
      query: { page, search: filter.search, group_list: filter.groupList?.join(',') },
      read: (b) => readPage(b, schemas.user, page),
    });
  }

  const messageBody = (input: HdeMessageInput): Record<string, unknown> =>
    input.userId === undefined ? { text: input.text } : { text: input.text, user_id: input.userId };

  return {
    async getTicket(ticketId) {
      const endpoint = 'GET /tickets/:id/';
      const id = idInPath('GET', endpoint, ticketId);
      return call({ method: 'GET', endpoint, path: `/tickets/${id}/`, read: (b) => readOne(b, schemas.ticket) });
    },

    async listTickets(filter = {}) {
      const page = filter.page ?? 1;
      const date = (d: Date | undefined): string | undefined => (d ? formatHdeDate(d, tz) : undefined);
      return call({
        method: 'GET',
        endpoint: 'GET /tickets/',
        path: '/tickets/',
        query: {
          page,
          status_list: filter.statusList?.join(','),
          owner_list: filter.ownerList?.join(','),
          user_list: filter.userList?.join(','),
          from_date_updated: date(filter.fromDateUpdated),
          to_date_updated: date(filter.toDateUpdated),
          from_date_created: date(filter.fromDateCreated),
          to_date_created: date(filter.toDateCreated),
          order_by: filter.orderBy,
        },
        read: (b) => {
          const result = readPage(b, schemas.ticket, page);
          const keyed = !Array.isArray((b as { data?: unknown }).data);
          return keyed ? { ...result, items: sortTicketsAsListed(result.items, filter.orderBy) } : result;
        },
      });
    },

    async updateTicket(ticketId, update) {
      const endpoint = 'PUT /tickets/:id/';
      const id = idInPath('PUT', endpoint, ticketId);
      const body: Record<string, unknown> = {};
      if (update.statusId !== undefined) body.status_id = update.statusId;
      if (update.ownerId !== undefined) body.owner_id = update.ownerId;
      if (update.departmentId !== undefined) body.department_id = update.departmentId;
      if (update.priorityId !== undefined) body.priority_id = update.priorityId;
      if (update.typeId !== undefined) body.type_id = update.typeId;
      if (update.customFields !== undefined) body.custom_fields = update.customFields;
      if (update.tags !== undefined) body.tags = update.tags;
      return call({
        method: 'PUT',
        endpoint,
        path: `/tickets/${id}/`,
        body,
        read: (b) => readOne(b, schemas.ticket),
      });
    },

    listPosts,

    async listAllPostsSince(ticketId, since, opts = {}) {
      const maxPages = opts.maxPages ?? 5;
      const out: HdePost[] = [];
      for (let page = 1; page <= maxPages; page += 1) {
        const { items, pagination } = await listPosts(ticketId, { page });
        let reachedOlder = false;
        for (const post of items) {
          if (post.dateCreated && post.dateCreated.getTime() < since.getTime()) reachedOlder = true;
          else out.push(post);
        }
        if (reachedOlder || items.length === 0 || page >= pagination.totalPages) break;
      }
      return out;
    },

    async createPost(ticketId, input, options = {}) {
      const endpoint = 'POST /tickets/:id/posts/';
      const id = idInPath('POST', endpoint, ticketId);
      return call({
        method: 'POST',
        endpoint,
        path: `/tickets/${id}/posts/`,
        body: messageBody(input),
        read: (b) => readOne(b, schemas.post),
        startBy: options.startBy,
      });
    },

    async listComments(ticketId, opts = {}) {
      const endpoint = 'GET /tickets/:id/comments/';
      const id = idInPath('GET', endpoint, ticketId);
      const page = opts.page ?? 1;
      return call({
        method: 'GET',
        endpoint,
        path: `/tickets/${id}/comments/`,
        query: { page },
        read: (b) => readPage(b, schemas.comment, page),
      });
    },

    async createComment(ticketId, input, options = {}) {
      const endpoint = 'POST /tickets/:id/comments/';
      const id = idInPath('POST', endpoint, ticketId);
      return call({
        method: 'POST',
        endpoint,
        path: `/tickets/${id}/comments/`,
        body: messageBody(input),
        read: (b) => readOne(b, schemas.comment),
        startBy: options.startBy,
      });
    },

    async getUser(userId) {
      const endpoint = 'GET /users/:id/';
      const id = idInPath('GET', endpoint, userId);
      return call({ method: 'GET', endpoint, path: `/users/${id}/`, read: (b) => readOne(b, schemas.user) });
    },

    listUsers,

    async findUserByEmail(email) {
      const wanted = email.trim().toLowerCase();
      if (!wanted) return null;
      // A search by e-mail matches few users; three pages bound the cost if it matches many.
      for (let page = 1; page <= 3; page += 1) {
        const { items, pagination } = await listUsers({ search: wanted, page });
        const match = items.find((u) => u.email.trim().toLowerCase() === wanted);
        if (match) return match;
        if (page >= pagination.totalPages || items.length === 0) break;
      }
      return null;
    },

    async listUserGroups() {
      return call({ method: 'GET', endpoint: 'GET /groups/', path: '/groups/', read: (b) => list(b, userGroupSchema) });
    },

    async listDepartments() {
      return call({ method: 'GET', endpoint: 'GET /departments/', path: '/departments/', read: (b) => list(b, departmentSchema) });
    },

    async listStatuses() {
      return call({ method: 'GET', endpoint: 'GET /statuses/', path: '/statuses/', read: (b) => list(b, statusSchema) });
    },

    async listCustomFields() {
      return call({ method: 'GET', endpoint: 'GET /custom_fields/', path: '/custom_fields/', read: (b) => list(b, customFieldSchema) });
    },

    async listKbCategories() {
      return call({
        method: 'GET',
        endpoint: 'GET /knowledge_base/categories/',
        path: '/knowledge_base/categories/',
        read: (b) => list(b, schemas.kbCategory),
      });
    },

    async listKbArticles(opts = {}) {
      const page = opts.page ?? 1;
      return call({
        method: 'GET',
        endpoint: 'GET /knowledge_base/articles/',
        path: '/knowledge_base/articles/',
        query: { page },
        read: (b) => readPage(b, schemas.kbArticle, page),
      });
    },

    async getKbArticle(articleId) {
      const endpoint = 'GET /knowledge_base/articles/:id/';
      const id = idInPath('GET', endpoint, articleId);
      return call({ method: 'GET', endpoint, path: `/knowledge_base/articles/${id}/`, read: (b) => readOne(b, schemas.kbArticle) });
    },

    getStats() {
      return { ...stats, byEndpoint: { ...stats.byEndpoint } };
    },

    resetStats() {
      stats = { requests: 0, retries: 0, failures: 0, byEndpoint: {} };
    },

    getRateLimit() {
      return rateLimit ? { ...rateLimit } : undefined;
    },

    close() {
      pooled.http.destroy();
      pooled.https.destroy();
      fresh.http.destroy();
      fresh.https.destroy();
    },
  };
}
