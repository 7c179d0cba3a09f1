import { renderDispatchBody, type DispatchFormat, type DispatchTemplate } from './dispatch-body';

/** An account's dispatcher rule «Отправить вебхук» (async, POST, retries off). */
export type DispatcherConfig = {
  url: string;
  format: DispatchFormat;
  /** `false` pastes tag values into the JSON unescaped, as a naive template engine would. */
  escapeJson: boolean;
  enabled: boolean;
  /** Body template: key → text with `{tags}` (or nested objects of such). */
  template: DispatchTemplate;
  /** Tags left unexpanded in the body, as written in the rule. */
  unexpandedTags: string[];
  /** Message tags HTML-escaped (`&lt;p&gt;`). */
  htmlEntities: boolean;
};

/** Which event fired the rule. */
export type DispatchEvent = 'ticket_created' | 'post_created';

/** One webhook attempt; `status`/`error` stay `null` until it finishes. */
export type DispatchLogEntry = {
  id: number;
  /** Epoch ms when the attempt was scheduled. */
  at: number;
  event: DispatchEvent;
  ticketId: number;
  postId: number;
  url: string;
  format: DispatchFormat;
  contentType: string;
  /** The exact body sent. */
  body: string;
  /** HTTP status of the receiver's answer. */
  status: number | null;
  /** Network error, timeout or shutdown, when there was no answer. */
  error: string | null;
  durationMs: number | null;
};

/** What to send: the rule, the event and its tag values. */
export type DispatchRequest = {
  config: DispatcherConfig;
  event: DispatchEvent;
  ticketId: number;
  postId: number;
  tags: Readonly<Record<string, string>>;
};

/**
 * Sends webhooks in the background: one attempt each, never awaited by the API request that caused
 * it, logged into the account's dispatch log.
 */
export class Dispatcher {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly closing = new AbortController();
  private nextId = 1;

  constructor(private readonly timeoutMs: number) {}

  /** Schedules one attempt and returns its log entry (already appended to `log`). */
  send(request: DispatchRequest, log: DispatchLogEntry[]): DispatchLogEntry {
    const { config } = request;
    const rendered = renderDispatchBody(config.template, request.tags, config.format, config.escapeJson, {
      unexpandedTags: config.unexpandedTags,
      htmlEntities: config.htmlEntities,
    });
    const entry: DispatchLogEntry = {
      id: this.nextId++,
      at: Date.now(),
      event: request.event,
      ticketId: request.ticketId,
      postId: request.postId,
      url: config.url,
      format: config.format,
      contentType: rendered.contentType,
      body: rendered.body,
      status: null,
      error: null,
      durationMs: null,
    };
    log.push(entry);
    const attempt = this.attempt(entry).finally(() => this.inFlight.delete(attempt));
    this.inFlight.add(attempt);
    return entry;
  }

  /** Resolves once no attempt is in flight, including ones scheduled while waiting. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Aborts every attempt still in flight. */
  async close(): Promise<void> {
    this.closing.abort(new Error('simulator closed'));
    await this.idle();
  }

  private async attempt(entry: DispatchLogEntry): Promise<void> {
    // Let the API response that caused the event go out first, as HDE's async mode does.
    await new Promise((resolve) => setImmediate(resolve));
    const started = Date.now();
    try {
      if (this.closing.signal.aborted) throw new Error('simulator closed');
      const res = await fetch(entry.url, {
        method: 'POST',
        headers: { 'content-type': entry.contentType, 'user-agent': 'HelpDeskEddy-Sim' },
        body: entry.body,
        signal: AbortSignal.any([this.closing.signal, AbortSignal.timeout(this.timeoutMs)]),
      });
      await res.arrayBuffer();
      entry.status = res.status;
    } catch (error) {
      entry.error = describe(error);
    } finally {
      entry.durationMs = Date.now() - started;
    }
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.name}: ${error.message}${cause}`;
}
