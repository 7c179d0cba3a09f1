import { badRequest } from '../api-error';
import { parseTicketDate } from '../format-dates';
import { pageNumber, paginate } from '../pagination';
import type { TicketRecord } from '../records';
import { intList, optionalInt, optionalString, stringList, ticketPatchFromBody } from '../request-values';
import { keyById } from '../wire-json';
import type { HdeTicket } from '../wire-types';
import { pathId } from './ids';
import { ok, type ApiContext, type RouteDef } from './route-types';

const ORDER_FIELDS = ['date_created', 'date_updated', 'id'] as const;
type OrderField = (typeof ORDER_FIELDS)[number];
const ORDER = /^([a-z_]+)(?:\{(asc|desc)\})?$/;

function sortKeys(value: unknown): { field: OrderField; dir: 1 | -1 }[] {
  const specs = stringList(value) ?? ['date_created{desc}'];
  return specs.map((spec) => {
    const m = ORDER.exec(spec);
    const field = m?.[1] as OrderField | undefined;
    if (!m || !field || !ORDER_FIELDS.includes(field)) throw badRequest(`unsupported order_by ${spec}`);
    return { field, dir: m[2] === 'asc' ? 1 : -1 };
  });
}

function dateFilter(ctx: ApiContext, name: string): number | undefined {
  const text = optionalString(ctx.query[name], name);
  if (text === undefined || text === '') return undefined;
  const ms = parseTicketDate(text, ctx.account.settings.timezoneOffsetMinutes);
  if (ms === undefined) throw badRequest(`${name} must be YYYY-MM-DD HH:MM:SS`);
  return ms;
}

// Filters compare at whole seconds because that is all HDE shows of a date.
const seconds = (ms: number): number => Math.floor(ms / 1000) * 1000;

function listTickets(ctx: ApiContext) {
  const q = ctx.query;
  const statuses = stringList(q.status_list);
  // Read (and validated) either way; an account of the `ignored` variant then filters nothing by it.
  const ownerList = intList(q.owner_list, 'owner_list');
  const owners = ctx.account.settings.variant.ownerFilter === 'ignored' ? undefined : ownerList;
  const users = intList(q.user_list, 'user_list');
  const departments = intList(q.department_list, 'department_list');
  const priorities = intList(q.priority_list, 'priority_list');
  const types = intList(q.type_list, 'type_list');
  const search = optionalString(q.search, 'search')?.toLowerCase();
  const range = {
    fromCreated: dateFilter(ctx, 'from_date_created'),
    toCreated: dateFilter(ctx, 'to_date_created'),
    fromUpdated: dateFilter(ctx, 'from_date_updated'),
    toUpdated: dateFilter(ctx, 'to_date_updated'),
  };
  const inRange = (ms: number, from?: number, to?: number): boolean =>
    (from === undefined || seconds(ms) >= from) && (to === undefined || seconds(ms) <= to);
  const keep = (t: TicketRecord): boolean =>
    (!statuses || statuses.includes(t.statusId)) &&
    (!owners || owners.includes(t.ownerId)) &&
    (!users || users.includes(t.userId)) &&
    (!departments || departments.includes(t.departmentId)) &&
    (!priorities || priorities.includes(t.priorityId)) &&
    (!types || types.includes(t.typeId)) &&
    (!search || t.title.toLowerCase().includes(search) || t.uniqueId.toLowerCase() === search) &&
    inRange(t.createdAt, range.fromCreated, range.toCreated) &&
    inRange(t.updatedAt, range.fromUpdated, range.toUpdated);

  const keys = sortKeys(q.order_by);
  const value = (t: TicketRecord, f: OrderField): number => (f === 'id' ? t.id : seconds(f === 'date_created' ? t.createdAt : t.updatedAt));
  const sorted = [...ctx.account.tickets.tickets.values()].filter(keep).sort((a, b) => {
    for (const { field, dir } of keys) {
      const d = value(a, field) - value(b, field);
      if (d !== 0) return d * dir;
    }
    return b.id - a.id;
  });
  const page = paginate(sorted, pageNumber(q.page));
  return ok(keyById(page.items.map((t) => apiTicket(ctx.account, t))), page.pagination);
}

function createTicket(ctx: ApiContext) {
  const { account, body, user } = ctx;
  const description = optionalString(body.description, 'description') ?? '';
  let customerId = optionalInt(body.user_id, 'user_id');
  if (customerId === undefined) {
    const email = optionalString(body.user_email, 'user_email');
    if (!email) throw badRequest('user_id or user_email is required');
    const existing = account.directory.findByEmail(email);
    customerId = (existing ?? account.directory.addUser('customer', { name: email.split('@')[0] ?? email, email })).id;
  }
  const fromUser = optionalInt(body.create_from_user, 'create_from_user') ?? 1;
  const patch = ticketPatchFromBody(body);
  const ticket = account.tickets.create({
    ...patch,
    customerId,
    title: patch.title ?? '',
    text: description,
    source: 'api',
    authorId: fromUser === 0 ? user.id : customerId,
  });
  return ok(apiTicket(account, ticket));
}

/** A ticket as the API returns it: without `tags` on accounts whose ticket objects leave them out. */
function apiTicket(account: ApiContext['account'], ticket: TicketRecord): Omit<HdeTicket, 'tags'> & { tags?: string[] } {
  const { tags, ...rest } = account.serializer.ticket(ticket);
  return account.settings.variant.ticketTags === 'absent' ? rest : { ...rest, tags };
}

/** `/tickets/` routes: list with HDE's filters, get, create, update. */
export const ticketRoutes: RouteDef[] = [
  { method: 'GET', path: '/tickets', handler: listTickets },
  {
    method: 'GET',
    path: '/tickets/:id',
    handler: ({ account, params }) => ok(apiTicket(account, account.tickets.ticket(pathId(params.id, 'Ticket')))),
  },
  { method: 'POST', path: '/tickets', handler: createTicket },
  {
    method: 'PUT',
    path: '/tickets/:id',
    handler: ({ account, params, body }) => {
      const patch = ticketPatchFromBody(body);
      // `tags` is not a documented update field: what HDE does with it is an account variant.
      if (patch.tags !== undefined && account.settings.variant.putTags === 'refuse') throw badRequest('tags: unknown field');
      if (account.settings.variant.putTags === 'ignore') delete patch.tags;
      const ticket = account.tickets.update(pathId(params.id, 'Ticket'), patch);
      return ok(apiTicket(account, ticket));
    },
  },
];
