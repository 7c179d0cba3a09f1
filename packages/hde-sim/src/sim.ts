import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Account, type ApiLogEntry, type DispatcherInput } from './account';
import { createApp } from './app';
import type { DispatchLogEntry, DispatcherConfig } from './dispatcher';
import { Dispatcher } from './dispatcher';
import type { ActiveFault, FaultKind, FaultSpec } from './faults';
import type { KbArticlePatch, NewKbArticle, NewKbCategory } from './kb-store';
import { Lifecycle } from './lifecycle';
import type { LocalizedInput } from './localize';
import { HdeSimError } from './sim-error';
import { DEFAULT_VARIANT, mergeVariant, statusAfterReply, type AccountVariant } from './variant';
import type {
  AccountInfo,
  AddCustomFieldOptions,
  AddUserGroupOptions,
  CreateAccountOptions,
  CreateAgentOptions,
  CreateCustomerOptions,
  HdeSimOptions,
  OpenTicketOptions,
} from './sim-types';
import type {
  HdeComment,
  HdeCustomField,
  HdeKbArticle,
  HdeKbCategory,
  HdeNamedEntry,
  HdePost,
  HdeTicket,
  HdeUser,
  HdeUserGroup,
} from './wire-types';

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * A running HelpDeskEddy simulator: many accounts behind one HTTP server, plus the control functions
 * that play the customers, agents and admins of those accounts. Every control function is also
 * reachable over HTTP under `/_control` (see the README).
 */
export class HdeSim {
  /** `http://host:port` of the server. */
  url = '';
  private readonly accounts = new Map<string, Account>();
  private readonly lifecycle = new Lifecycle();
  private readonly dispatcher: Dispatcher;
  private server: Server | undefined;

  /** Use {@link startHdeSim}. */
  constructor(private readonly options: HdeSimOptions = {}) {
    this.dispatcher = new Dispatcher(options.dispatchTimeoutMs ?? 10_000);
  }

  /** Starts listening; called by {@link startHdeSim}. */
  async listen(): Promise<void> {
    const app = createApp({
      accounts: this.accounts,
      lifecycle: this.lifecycle,
      logRequests: this.options.logRequests ?? false,
      sim: this,
    });
    const host = this.options.host ?? '127.0.0.1';
    const server = app.listen(this.options.port ?? 0, host);
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    this.server = server;
    const { port } = server.address() as AddressInfo;
    this.url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  }

  /** Creates an account with its administrator (a staff user whose key is the API key). */
  createAccount(options: CreateAccountOptions): AccountInfo {
    const slug = options.slug;
    if (typeof slug !== 'string' || !SLUG.test(slug)) throw new HdeSimError('INVALID', `bad slug ${slug}: use a-z, 0-9 and -`);
    if (this.accounts.has(slug)) throw new HdeSimError('CONFLICT', `account ${slug} already exists`);
    const account = new Account(
      {
        slug,
        rateLimitPerMinute: options.rateLimitPerMinute ?? 300,
        banSeconds: options.banSeconds ?? 1200,
        timezoneOffsetMinutes: options.timezoneOffsetMinutes ?? 180,
        minuteMs: this.options.minuteMs ?? 60_000,
        variant: mergeVariant(DEFAULT_VARIANT, options.variant),
      },
      { name: 'Admin', email: options.adminEmail ?? `admin@${slug}.example`, ...(options.apiKey ? { apiKey: options.apiKey } : {}) },
      this.dispatcher,
    );
    this.accounts.set(slug, account);
    return this.accountInfo(slug);
  }

  /** Addresses and admin credentials of an account. */
  accountInfo(slug: string): AccountInfo {
    const { admin } = this.account(slug);
    const baseUrl = `${this.url}/a/${slug}`;
    return { slug, baseUrl, apiUrl: `${baseUrl}/api/v2`, adminEmail: admin.email, apiKey: admin.apiKey, adminUserId: admin.id };
  }

  /** Slugs of all accounts. */
  listAccounts(): string[] {
    return [...this.accounts.keys()];
  }

  /** Changes how an account behaves where HDE is undocumented (see `AccountVariant`); returns the whole variant. */
  setVariant(slug: string, patch: Partial<AccountVariant>): AccountVariant {
    const account = this.account(slug);
    account.settings.variant = mergeVariant(account.settings.variant, patch);
    return { ...account.settings.variant };
  }

  /** The account's current variant. */
  variant(slug: string): AccountVariant {
    return { ...this.account(slug).settings.variant };
  }

  /** Adds a department. */
  createDepartment(slug: string, options: { name: LocalizedInput }): HdeNamedEntry {
    const { id, name } = this.account(slug).directory.addDepartment(options.name);
    return { id, name };
  }

  /**
   * Adds a user group beside HDE's built-in three (clients 1, administrators 2, agents 3), as an
   * administrator grouping staff by their rights does («Вторая линия»); staff unless `type: 'user'`.
   */
  addUserGroup(slug: string, options: AddUserGroupOptions): HdeUserGroup {
    const group = this.account(slug).directory.addUserGroup(options.name, options.type ?? 'staff');
    return { id: group.id, type: group.type, name: group.name, disable: 0 };
  }

  /** Adds a staff user (group «Сотрудник», id 3, or `groupId`'s) with its own API key. */
  createAgent(slug: string, options: CreateAgentOptions): HdeUser {
    const account = this.account(slug);
    return account.serializer.user(account.directory.addUser('agent', options));
  }

  /**
   * Replaces a staff user's API key, as an HDE administrator regenerating it does: from now on only
   * the new key authenticates (what a key rotation in the product is tested against).
   */
  setApiKey(slug: string, email: string, apiKey: string): void {
    const user = this.account(slug).directory.findByEmail(email);
    if (!user) throw new Error(`No user ${email} in account ${slug}`);
    user.apiKey = apiKey;
  }

  /** Adds a client (group «Клиент», id 1). */
  createCustomer(slug: string, options: CreateCustomerOptions): HdeUser {
    const account = this.account(slug);
    return account.serializer.user(account.directory.addUser('customer', options));
  }

  /** Adds a ticket custom field, so `PUT /tickets/{id}/` can set it. */
  addCustomField(slug: string, options: AddCustomFieldOptions): HdeCustomField {
    const account = this.account(slug);
    return account.serializer.customField(account.directory.addCustomField(options));
  }

  /** Adds a custom ticket status (ids like `v-processe` or `6`, as live systems generate). */
  addStatus(slug: string, options: { id: string; name: LocalizedInput }): HdeNamedEntry<string> {
    return this.account(slug).directory.addStatus(options.id, options.name);
  }

  /** Sets the account's dispatcher rule that POSTs the webhook on new tickets and posts. */
  setDispatcher(slug: string, input: DispatcherInput): DispatcherConfig {
    if (!input.url) throw new HdeSimError('INVALID', 'dispatcher url is required');
    if (input.format !== undefined && input.format !== 'json' && input.format !== 'form') {
      throw new HdeSimError('INVALID', `bad dispatcher format ${String(input.format)}`);
    }
    return this.account(slug).setDispatcher(input);
  }

  /** A client opens a ticket through a channel (fires the dispatcher). */
  openTicket(slug: string, options: OpenTicketOptions): HdeTicket {
    const account = this.account(slug);
    const ticket = account.tickets.create({
      customerId: options.customerId,
      title: options.title,
      text: options.text,
      source: options.source ?? (options.chatId ? 'telegram' : 'email'),
      ...(options.departmentId !== undefined ? { departmentId: options.departmentId } : {}),
      ...(options.chatId !== undefined ? { chatId: options.chatId } : {}),
    });
    return account.serializer.ticket(ticket);
  }

  /**
   * The ticket's client replies (fires the dispatcher); a reply reopens a closed ticket. `files`
   * attaches files (names); with them the text may be empty, as for a photo sent from a messenger.
   * `authorId` makes another client the author: a contact in copy of the ticket's e-mails, or a
   * colleague of the client writing into the same ticket.
   */
  postAsCustomer(
    slug: string,
    ticketId: number,
    text: string,
    options: { files?: ReadonlyArray<{ name: string }>; authorId?: number } = {},
  ): HdePost {
    const account = this.account(slug);
    const customerId = options.authorId ?? account.tickets.ticket(ticketId).userId;
    if (options.authorId !== undefined && account.directory.user(customerId).role !== 'customer') {
      throw new HdeSimError('INVALID', `user ${customerId} is not a client`);
    }
    return account.serializer.post(
      account.tickets.addPost(ticketId, customerId, text, {
        onClosed: 'reopen',
        via: 'channel',
        ...(options.files ? { files: options.files } : {}),
      }),
    );
  }

  /** A staff user replies from the UI (fires the dispatcher); an `open` ticket moves to `process` when the account's variant says so. */
  postAsAgent(slug: string, ticketId: number, agentId: number, text: string): HdePost {
    const account = this.account(slug);
    if (account.directory.user(agentId).role === 'customer') {
      throw new HdeSimError('INVALID', `user ${agentId} is not staff`);
    }
    return account.serializer.post(
      account.tickets.addPost(ticketId, agentId, text, {
        onClosed: 'allow',
        openTo: statusAfterReply(account.settings.variant, true),
        via: 'ui',
      }),
    );
  }

  /** Changes a ticket's status from the UI (no webhook). */
  setStatus(slug: string, ticketId: number, status: string): HdeTicket {
    const account = this.account(slug);
    return account.serializer.ticket(account.tickets.update(ticketId, { statusId: status }));
  }

  /** Assigns a ticket from the UI (0 = nobody; no webhook). */
  assign(slug: string, ticketId: number, ownerId: number): HdeTicket {
    const account = this.account(slug);
    return account.serializer.ticket(account.tickets.update(ticketId, { ownerId }));
  }

  /**
   * An agent deletes a ticket (a guess at HDE: what its API then answers is undocumented): from now
   * on every API call on it answers 404 `e-404`, as for an id that never existed. Fires no webhook.
   */
  deleteTicket(slug: string, ticketId: number): void {
    this.account(slug).tickets.delete(ticketId);
  }

  /**
   * An agent moves a ticket to HDE's trash (its default delete; spam usually goes there): the ticket
   * stays readable with `deleted: 1` (see {@link deleteTicket} for a ticket deleted for good).
   */
  trashTicket(slug: string, ticketId: number): HdeTicket {
    const account = this.account(slug);
    return account.serializer.ticket(account.tickets.trash(ticketId));
  }

  /** An agent restores a ticket from HDE's trash (`deleted: 0` again); fires no webhook. */
  restoreTicket(slug: string, ticketId: number): HdeTicket {
    const account = this.account(slug);
    return account.serializer.ticket(account.tickets.restore(ticketId));
  }

  /**
   * An agent merges ticket `fromId` into `intoId` (a guess at HDE's «объединение заявок»): the posts
   * and notes of `from` move into `into` with their ids and dates, and `from` answers 404 afterwards,
   * or stays readable but closed and empty on an account whose `mergedTicket` variant is `closed`.
   * Fires no webhook. Returns the target ticket.
   */
  mergeTickets(slug: string, fromId: number, intoId: number): HdeTicket {
    const account = this.account(slug);
    return account.serializer.ticket(account.tickets.merge(fromId, intoId, account.settings.variant.mergedTicket));
  }

  /** An agent deletes one public reply of a ticket (the customer's or the bot's); fires no webhook. */
  deletePost(slug: string, ticketId: number, postId: number): void {
    this.account(slug).tickets.deletePost(ticketId, postId);
  }

  /** A ticket as the API would return it. */
  getTicket(slug: string, ticketId: number): HdeTicket {
    const account = this.account(slug);
    return account.serializer.ticket(account.tickets.ticket(ticketId));
  }

  /** A ticket's public replies, oldest first (unlike the API). */
  posts(slug: string, ticketId: number): HdePost[] {
    const account = this.account(slug);
    return account.tickets.postsOf(ticketId).map((p) => account.serializer.post(p));
  }

  /** A ticket's internal notes, oldest first. */
  comments(slug: string, ticketId: number): HdeComment[] {
    const account = this.account(slug);
    return account.tickets.commentsOf(ticketId).map((c) => account.serializer.comment(c));
  }

  /** Every API request of the account, oldest first (a copy). */
  apiLog(slug: string): ApiLogEntry[] {
    return this.account(slug).apiLog.map((e) => ({ ...e }));
  }

  /** Every webhook attempt of the account, oldest first (a copy; pending ones have `status: null`). */
  dispatchLog(slug: string): DispatchLogEntry[] {
    return this.account(slug).dispatchLog.map((e) => ({ ...e }));
  }

  /** Adds a knowledge-base category. */
  addKbCategory(slug: string, input: NewKbCategory): HdeKbCategory {
    const account = this.account(slug);
    return account.serializer.kbCategory(account.kb.addCategory(input));
  }

  /** Adds a knowledge-base article (body is HTML). */
  addKbArticle(slug: string, input: NewKbArticle): HdeKbArticle {
    const account = this.account(slug);
    return account.serializer.kbArticle(account.kb.addArticle(input));
  }

  /** Changes an article; its `date_updated` moves. */
  updateKbArticle(slug: string, articleId: number, patch: KbArticlePatch): HdeKbArticle {
    const account = this.account(slug);
    return account.serializer.kbArticle(account.kb.updateArticle(articleId, patch));
  }

  /** Deletes an article. */
  deleteKbArticle(slug: string, articleId: number): void {
    this.account(slug).kb.deleteArticle(articleId);
  }

  /** Ends the account's ban now, as its `banSeconds` running out would. */
  liftBan(slug: string): void {
    this.account(slug).limiter.lift();
  }

  /** Injects a fault into matching API requests of the account. */
  injectFault(slug: string, spec: FaultSpec): ActiveFault {
    return { ...this.account(slug).faults.add(spec) };
  }

  /** How many API requests of the account each kind of injected fault has affected so far. */
  faultHits(slug: string): Partial<Record<FaultKind, number>> {
    return this.account(slug).faults.hits();
  }

  /** Removes all faults of the account (a ban already in force stays). */
  clearFaults(slug: string): void {
    this.account(slug).faults.clear();
  }

  /** Resolves when every webhook attempt in flight, of every account, has finished. */
  waitForDispatches(): Promise<void> {
    return this.dispatcher.idle();
  }

  /** Stops the server: ends hanging and trickling requests and aborts webhook attempts. */
  async close(): Promise<void> {
    this.lifecycle.close();
    const server = this.server;
    this.server = undefined;
    const closed = server ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
    server?.closeAllConnections();
    await Promise.all([closed, this.dispatcher.close()]);
  }

  private account(slug: string): Account {
    const account = this.accounts.get(slug);
    if (!account) throw new HdeSimError('NOT_FOUND', `account ${slug} not found`);
    return account;
  }
}

/** Starts a simulator and resolves once it listens. */
export async function startHdeSim(options: HdeSimOptions = {}): Promise<HdeSim> {
  const sim = new HdeSim(options);
  await sim.listen();
  return sim;
}
