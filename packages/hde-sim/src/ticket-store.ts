import type { Directory } from './directory';
import type { CommentRecord, FieldValue, PostRecord, TicketRecord } from './records';
import { HdeSimError } from './sim-error';

/** Fields a ticket update (API `PUT` or a UI action) may change; every one is optional. */
export type TicketPatch = {
  title?: string;
  statusId?: string;
  ownerId?: number;
  departmentId?: number;
  priorityId?: number;
  typeId?: number;
  userId?: number;
  /** Keyed by field id; `null` or `''` clears a field. */
  customFields?: Record<string, unknown>;
  /** Replaces all tags. */
  tags?: string[];
};

/** A new ticket: the client, subject, first message and optional initial fields. */
export type NewTicket = TicketPatch & {
  customerId: number;
  title: string;
  text: string;
  source: string;
  /** Author of the first post; defaults to the client. */
  authorId?: number;
  chatId?: string;
};

/** What happens when a post is added to a closed ticket. */
export type ClosedTicketPolicy = 'reject' | 'reopen' | 'allow';

/** Something the dispatcher reacts to. */
export type TicketActivity = {
  kind: 'ticket_created' | 'post_created';
  ticket: TicketRecord;
  post: PostRecord;
  /** Where a post came from: the REST API, an agent in the UI, or the client's channel. */
  via?: PostOrigin;
};

/** Where a post came from (see {@link TicketActivity}). */
export type PostOrigin = 'api' | 'ui' | 'channel';

/** How {@link TicketStore.addPost} treats a post. */
export type NewPostOptions = {
  onClosed: ClosedTicketPolicy;
  /** The status an `open` ticket moves to with this reply (a staff reply on an account that switches status on it). */
  openTo?: string;
  via: PostOrigin;
  /** Files attached to the post (names); a post with files may have no text, as a photo sent from a messenger. */
  files?: ReadonlyArray<{ name: string }>;
};

/** Tickets of one account with their posts and internal notes. */
export class TicketStore {
  readonly tickets = new Map<number, TicketRecord>();
  private readonly posts = new Map<number, PostRecord[]>();
  private readonly comments = new Map<number, CommentRecord[]>();
  // Distinct id ranges make a ticket id passed where a post id belongs fail loudly in tests.
  private nextTicketId = 100;
  private nextPostId = 1000;
  private nextCommentId = 500;

  constructor(
    private readonly directory: Directory,
    private readonly uniquePrefix: string,
    private readonly now: () => number,
    private readonly onActivity: (activity: TicketActivity) => void,
  ) {}

  /** A ticket by id, or NOT_FOUND. */
  ticket(id: number): TicketRecord {
    const ticket = this.tickets.get(id);
    if (!ticket) throw new HdeSimError('NOT_FOUND', `ticket ${id} not found`);
    return ticket;
  }

  /** Posts of a ticket, oldest first. */
  postsOf(ticketId: number): readonly PostRecord[] {
    this.ticket(ticketId);
    return this.posts.get(ticketId) ?? [];
  }

  /** Internal notes of a ticket, oldest first. */
  commentsOf(ticketId: number): readonly CommentRecord[] {
    this.ticket(ticketId);
    return this.comments.get(ticketId) ?? [];
  }

  /** Creates a ticket with its first post and reports it to the dispatcher. */
  create(input: NewTicket): TicketRecord {
    if (typeof input.title !== 'string' || typeof input.text !== 'string') {
      throw new HdeSimError('INVALID', 'title and text must be strings');
    }
    const customer = this.directory.requireUser(input.customerId);
    const authorId = input.authorId ?? customer.id;
    this.directory.requireUser(authorId, 'author');
    if (!input.title.trim()) throw new HdeSimError('INVALID', 'title is required');
    if (!input.text.trim()) throw new HdeSimError('INVALID', 'description is required');
    const firstDepartment = this.directory.departments.keys().next().value ?? 0;
    const at = this.now();
    const id = this.nextTicketId++;
    const ticket: TicketRecord = {
      id,
      uniqueId: `${this.uniquePrefix}-${String(10_000 + id)}`,
      title: input.title,
      source: input.source,
      statusId: 'open',
      priorityId: 2,
      typeId: 0,
      departmentId: firstDepartment,
      ownerId: 0,
      userId: customer.id,
      createdAt: at,
      updatedAt: at,
      customFields: new Map(),
      tags: [],
      ...(input.chatId ? { chatId: input.chatId } : {}),
    };
    this.applyPatch(ticket, { ...input, userId: undefined });
    this.tickets.set(id, ticket);
    const post = this.storePost(ticket, authorId, input.text);
    this.onActivity({ kind: 'ticket_created', ticket, post });
    return ticket;
  }

  /** Adds a public reply and reports it to the dispatcher. */
  addPost(ticketId: number, userId: number, text: string, { onClosed, openTo, via, files = [] }: NewPostOptions): PostRecord {
    const ticket = this.ticket(ticketId);
    this.directory.requireUser(userId);
    if (typeof text !== 'string' || (!text.trim() && files.length === 0)) throw new HdeSimError('INVALID', 'text is required');
    if (ticket.statusId === 'closed') {
      if (onClosed === 'reject') throw new HdeSimError('CONFLICT', `ticket ${ticketId} is closed`);
      if (onClosed === 'reopen') ticket.statusId = 'open';
    } else if (openTo !== undefined && ticket.statusId === 'open') {
      ticket.statusId = openTo;
    }
    const post = this.storePost(ticket, userId, text, files);
    this.onActivity({ kind: 'post_created', ticket, post, via });
    return post;
  }

  /** Adds an internal note; notes never fire the dispatcher rule. */
  addComment(ticketId: number, userId: number, text: string): CommentRecord {
    const ticket = this.ticket(ticketId);
    this.directory.requireUser(userId);
    if (typeof text !== 'string' || !text.trim()) throw new HdeSimError('INVALID', 'text is required');
    const comment = { id: this.nextCommentId++, ticketId, userId, text, createdAt: this.now() };
    const list = this.comments.get(ticketId) ?? [];
    list.push(comment);
    this.comments.set(ticketId, list);
    ticket.updatedAt = comment.createdAt;
    return comment;
  }

  /**
   * Moves a ticket to HDE's trash, as its default delete does (`DELETE /tickets/{id}/` without
   * `delete=true`, documented): the ticket stays readable and listed, with `deleted: 1`; what else
   * HDE refuses on a trashed ticket is not documented, so nothing else changes. Fires nothing.
   */
  trash(ticketId: number): TicketRecord {
    const ticket = this.ticket(ticketId);
    ticket.trashed = true;
    ticket.updatedAt = this.now();
    return ticket;
  }

  /**
   * Takes a ticket out of HDE's trash, as an agent restoring it does (guessed: HDE's interface
   * offers it, its API documents no call for it): `deleted` is 0 again. Fires nothing.
   */
  restore(ticketId: number): TicketRecord {
    const ticket = this.ticket(ticketId);
    ticket.trashed = false;
    ticket.updatedAt = this.now();
    return ticket;
  }

  /**
   * Removes a ticket with its posts and notes, as an agent deleting it does: later API calls on it
   * answer as for a ticket that never existed (404). Fires nothing.
   */
  delete(ticketId: number): void {
    this.ticket(ticketId);
    this.tickets.delete(ticketId);
    this.posts.delete(ticketId);
    this.comments.delete(ticketId);
  }

  /**
   * Merges ticket `fromId` into `intoId`: its posts and notes move into the target keeping their ids
   * and dates (the target's lists stay in date order), the target's `date_updated` moves, and `from`
   * is removed (`gone`) or left readable, empty and closed (`closed`). Fires nothing: a merge is
   * neither a new ticket nor a new post.
   */
  merge(fromId: number, intoId: number, fromAfter: 'gone' | 'closed'): TicketRecord {
    if (fromId === intoId) throw new HdeSimError('INVALID', `ticket ${fromId} cannot be merged into itself`);
    const from = this.ticket(fromId);
    const into = this.ticket(intoId);
    const byDate = (a: PostRecord, b: PostRecord): number => a.createdAt - b.createdAt || a.id - b.id;
    for (const store of [this.posts, this.comments]) {
      const moved = store.get(fromId) ?? [];
      for (const record of moved) record.ticketId = intoId;
      store.set(intoId, [...(store.get(intoId) ?? []), ...moved].sort(byDate));
    }
    const at = this.now();
    into.updatedAt = at;
    if (fromAfter === 'gone') {
      this.tickets.delete(fromId);
      this.posts.delete(fromId);
      this.comments.delete(fromId);
    } else {
      this.posts.set(fromId, []);
      this.comments.set(fromId, []);
      from.statusId = 'closed';
      from.updatedAt = at;
    }
    return into;
  }

  /** Removes one public reply of a ticket, as an agent deleting it in the UI does; fires nothing. */
  deletePost(ticketId: number, postId: number): void {
    const ticket = this.ticket(ticketId);
    const list = this.posts.get(ticketId) ?? [];
    const index = list.findIndex((p) => p.id === postId);
    if (index < 0) throw new HdeSimError('NOT_FOUND', `post ${postId} not found in ticket ${ticketId}`);
    list.splice(index, 1);
    ticket.updatedAt = this.now();
  }

  /** Applies a partial update after validating all of it, so a bad field changes nothing. */
  update(ticketId: number, patch: TicketPatch): TicketRecord {
    const ticket = this.ticket(ticketId);
    this.applyPatch(ticket, patch);
    ticket.updatedAt = this.now();
    return ticket;
  }

  private storePost(ticket: TicketRecord, userId: number, text: string, files: ReadonlyArray<{ name: string }> = []): PostRecord {
    const id = this.nextPostId++;
    const post: PostRecord = { id, ticketId: ticket.id, userId, text, createdAt: this.now() };
    if (files.length > 0)
      post.files = files.map((f, i) => ({
        name: f.name,
        // HDE's download links look like https://<domain>/ru/file/download/<hash>.
        url: `https://${this.uniquePrefix.toLowerCase()}.helpdeskeddy.test/ru/file/download/${id}-${i}`,
        dataType: f.name.includes('.') ? f.name.slice(f.name.lastIndexOf('.') + 1).toLowerCase() : '',
      }));
    const list = this.posts.get(ticket.id) ?? [];
    list.push(post);
    this.posts.set(ticket.id, list);
    ticket.updatedAt = post.createdAt;
    return post;
  }

  private applyPatch(ticket: TicketRecord, patch: TicketPatch): void {
    const d = this.directory;
    if (patch.statusId !== undefined) d.requireStatus(patch.statusId);
    if (patch.ownerId !== undefined) d.requireOwner(patch.ownerId);
    if (patch.departmentId !== undefined) d.requireDepartment(patch.departmentId);
    if (patch.priorityId !== undefined) d.requirePriority(patch.priorityId);
    if (patch.typeId !== undefined) d.requireType(patch.typeId);
    if (patch.userId !== undefined) d.requireUser(patch.userId);
    if (patch.title !== undefined && !patch.title.trim()) {
      throw new HdeSimError('INVALID', 'title must not be empty');
    }
    const fields = patch.customFields ? this.resolveFields(ticket, patch.customFields) : undefined;

    if (patch.title !== undefined) ticket.title = patch.title;
    if (patch.statusId !== undefined) ticket.statusId = patch.statusId;
    if (patch.ownerId !== undefined) ticket.ownerId = patch.ownerId;
    if (patch.departmentId !== undefined) ticket.departmentId = patch.departmentId;
    if (patch.priorityId !== undefined) ticket.priorityId = patch.priorityId;
    if (patch.typeId !== undefined) ticket.typeId = patch.typeId;
    if (patch.userId !== undefined) ticket.userId = patch.userId;
    if (patch.tags !== undefined) ticket.tags = [...new Set(patch.tags.map((t) => t.trim()).filter(Boolean))];
    if (fields) ticket.customFields = fields;
  }

  private resolveFields(ticket: TicketRecord, input: Record<string, unknown>): Map<number, FieldValue> {
    const next = new Map(ticket.customFields);
    for (const [key, raw] of Object.entries(input)) {
      const field = this.directory.customFields.get(Number(key));
      if (!field) throw new HdeSimError('INVALID', `custom_fields: field ${key} not found`);
      if (raw === null || raw === undefined || raw === '') {
        next.delete(field.id);
        continue;
      }
      if (typeof raw === 'object') {
        throw new HdeSimError('INVALID', `custom_fields: field ${key}: nested values are not supported`);
      }
      if (field.fieldType === 'select') {
        const optionId = Number(raw);
        if (!field.options.some((o) => o.id === optionId)) {
          throw new HdeSimError('INVALID', `custom_fields: field ${key} has no option ${String(raw)}`);
        }
        next.set(field.id, optionId);
      } else if (field.fieldType === 'checkbox') {
        next.set(field.id, Number(raw) ? 1 : 0);
      } else {
        next.set(field.id, String(raw));
      }
    }
    return next;
  }
}
