import { badRequest } from './api-error';
import type { TicketPatch } from './ticket-store';

// Query strings and form bodies carry every value as a string; JSON bodies may carry numbers. These
// readers accept both and answer 400 in HDE's envelope for values that cannot be meant.

const first = (value: unknown): unknown => (Array.isArray(value) ? value[0] : value);

/** An optional integer field. */
export function optionalInt(value: unknown, field: string): number | undefined {
  const v = first(value);
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : Number(String(v).trim());
  if (!Number.isInteger(n)) throw badRequest(`${field} must be an integer`);
  return n;
}

/** An optional string field. */
export function optionalString(value: unknown, field: string): string | undefined {
  const v = first(value);
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' && typeof v !== 'number') throw badRequest(`${field} must be a string`);
  return String(v);
}

/** A comma-separated list (`open,process`) or a repeated/array parameter. */
export function stringList(value: unknown): string[] | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const parts = Array.isArray(value) ? value.map(String) : String(value).split(',');
  return parts.map((s) => s.trim()).filter(Boolean);
}

/** A list of integer ids. */
export function intList(value: unknown, field: string): number[] | undefined {
  return stringList(value)?.map((s) => {
    const n = Number(s);
    if (!Number.isInteger(n)) throw badRequest(`${field} must list integer ids`);
    return n;
  });
}

function customFields(value: unknown): Record<string, unknown> | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw badRequest('custom_fields must be an object keyed by field id');
  }
  return value as Record<string, unknown>;
}

/** Reads the ticket fields HDE's create and update calls accept. */
export function ticketPatchFromBody(body: Record<string, unknown>): TicketPatch {
  const patch: TicketPatch = {
    title: optionalString(body.title, 'title'),
    statusId: optionalString(body.status_id, 'status_id'),
    ownerId: optionalInt(body.owner_id, 'owner_id'),
    departmentId: optionalInt(body.department_id, 'department_id'),
    priorityId: optionalInt(body.priority_id, 'priority_id'),
    typeId: optionalInt(body.type_id, 'type_id'),
    userId: optionalInt(body.user_id, 'user_id'),
    customFields: customFields(body.custom_fields),
    tags: body.tags === undefined ? undefined : (stringList(body.tags) ?? []),
  };
  for (const key of Object.keys(patch) as (keyof TicketPatch)[]) {
    if (patch[key] === undefined) delete patch[key];
  }
  return patch;
}
