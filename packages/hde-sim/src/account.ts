import { DEFAULT_DISPATCH_TEMPLATE, type DispatchFormat, type DispatchTemplate } from './dispatch-body';
import { dispatchTagValues } from './dispatch-tags';
import type { DispatchLogEntry, Dispatcher, DispatcherConfig } from './dispatcher';
import { Directory, type NewUser } from './directory';
import type { FaultKind } from './faults';
import { FaultTable } from './faults';
import { KbStore } from './kb-store';
import { RateLimiter } from './rate-limit';
import type { UserRecord } from './records';
import { createSerializer, type Serializer } from './serialize';
import { TicketStore, type TicketActivity } from './ticket-store';
import type { AccountVariant } from './variant';

/** One API request as the simulator saw it. */
export type ApiLogEntry = {
  /** Epoch ms when the request arrived. */
  at: number;
  method: string;
  /** Path under `/api/v2`, e.g. `/tickets/101/posts/`. */
  path: string;
  /** Raw query string without `?`, or `''`. */
  query: string;
  /** Status sent; 0 when no response was sent (hang, reset, simulator closed). */
  status: number;
  /** The authenticated API user, or `null` (bad credentials, banned, unknown route before auth). */
  userId: number | null;
  fault: FaultKind | null;
  durationMs: number | null;
};

/** Settings of one simulated HDE account. */
export type AccountSettings = {
  slug: string;
  rateLimitPerMinute: number;
  banSeconds: number;
  timezoneOffsetMinutes: number;
  /** Real-time length of a "minute"; scales the rate window and the ban. */
  minuteMs: number;
  /** Behaviours HDE leaves open; changeable while the account runs. */
  variant: AccountVariant;
};

/** Rule settings as given to `setDispatcher`; omitted fields take defaults. */
export type DispatcherInput = {
  url: string;
  format?: DispatchFormat;
  escapeJson?: boolean;
  enabled?: boolean;
  template?: DispatchTemplate;
  unexpandedTags?: string[];
  htmlEntities?: boolean;
};

// Caps the API log so a long benchmark does not keep every request in memory.
const API_LOG_CAP = 100_000;

/** All state of one simulated HDE account (a "system" in HDE's terms). */
export class Account {
  readonly directory: Directory;
  readonly tickets: TicketStore;
  readonly kb: KbStore;
  readonly limiter: RateLimiter;
  readonly faults = new FaultTable();
  readonly serializer: Serializer;
  readonly apiLog: ApiLogEntry[] = [];
  readonly dispatchLog: DispatchLogEntry[] = [];
  dispatcherConfig: DispatcherConfig | undefined;
  /** The account's administrator: a staff user whose key is the account's API key. */
  readonly admin: UserRecord;

  constructor(
    readonly settings: AccountSettings,
    admin: NewUser,
    private readonly dispatcher: Dispatcher,
  ) {
    const now = (): number => Date.now();
    this.directory = new Directory(now);
    const prefix = (settings.slug.replace(/[^a-z]/gi, '').toUpperCase() + 'XXX').slice(0, 3);
    this.tickets = new TicketStore(this.directory, prefix, now, (a) => this.onActivity(a));
    this.kb = new KbStore(now);
    this.serializer = createSerializer(this.directory, settings.timezoneOffsetMinutes);
    const scale = settings.minuteMs / 60_000;
    this.limiter = new RateLimiter({
      limit: settings.rateLimitPerMinute,
      windowMs: settings.minuteMs,
      banMs: settings.banSeconds * 1000 * scale,
    });
    this.admin = this.directory.addUser('admin', admin);
  }

  /** Sets or replaces the dispatcher rule. */
  setDispatcher(input: DispatcherInput): DispatcherConfig {
    this.dispatcherConfig = {
      url: input.url,
      format: input.format ?? 'json',
      escapeJson: input.escapeJson ?? true,
      enabled: input.enabled ?? true,
      template: { ...(input.template ?? DEFAULT_DISPATCH_TEMPLATE) },
      unexpandedTags: [...(input.unexpandedTags ?? [])],
      htmlEntities: input.htmlEntities ?? false,
    };
    return this.dispatcherConfig;
  }

  /** Resolves once every webhook the dispatcher has sent so far was delivered (or failed). */
  dispatchesDelivered(): Promise<void> {
    return this.dispatcher.idle();
  }

  /** Records an API request; the returned entry is completed when the response ends. */
  logRequest(entry: ApiLogEntry): ApiLogEntry {
    this.apiLog.push(entry);
    if (this.apiLog.length > API_LOG_CAP * 1.5) this.apiLog.splice(0, this.apiLog.length - API_LOG_CAP);
    return entry;
  }

  private onActivity(activity: TicketActivity): void {
    const config = this.dispatcherConfig;
    if (!config?.enabled) return;
    // Whether a reply made through the API fires the rule is an account variant.
    if (activity.via === 'api' && this.settings.variant.apiPostDispatch === 'silent') return;
    const { ticket, post } = activity;
    const tags = dispatchTagValues({
      directory: this.directory,
      offsetMinutes: this.settings.timezoneOffsetMinutes,
      ticket,
      posts: this.tickets.postsOf(ticket.id),
      post,
    });
    this.dispatcher.send({ config, event: activity.kind, ticketId: ticket.id, postId: post.id, tags }, this.dispatchLog);
  }
}
