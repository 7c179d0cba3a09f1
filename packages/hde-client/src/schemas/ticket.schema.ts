import type { HdeZone } from '../time-zone';
import { z } from 'zod';
import type { HdeCustomFieldValue, HdeTicket } from '../hde-types';
import { dateField, flag, lenientInt, refId, requiredId, text, toList, toLocalised } from './common';

const customFieldValues = z
  .unknown()
  .optional()
  .transform((v): HdeCustomFieldValue[] =>
    toList(v).flatMap((f) => {
      if (!f || typeof f !== 'object') return [];
      const r = f as Record<string, unknown>;
      const id = lenientInt.parse(r.id);
      return id === null ? [] : [{ id, fieldType: text.parse(r.field_type), value: r.field_value ?? null }];
    }),
  );

/**
 * Tag shape is unconfirmed (hde-api.md §4.1): strings, numbers or `{name}` objects are accepted. A
 * ticket object without the key (as in every documented sample) has tags we do not know: `undefined`,
 * never an empty list, so nothing treats "not said" as "none".
 */
const tags = z
  .unknown()
  .optional()
  .transform((v): string[] | undefined =>
    v === undefined || v === null
      ? undefined
      : toList(v).flatMap((t) => {
          if (typeof t === 'string') return t === '' ? [] : [t];
          if (typeof t === 'number') return [String(t)];
          if (t && typeof t === 'object' && 'name' in t) {
            const name = (t as { name: unknown }).name;
            if (typeof name === 'string') return [name];
            const first = Object.values(toLocalised(name))[0];
            return first ? [first] : [];
          }
          return [];
        }),
  );

/** Builds the ticket schema for an account timezone. */
export function ticketSchema(tz: HdeZone): z.ZodType<HdeTicket> {
  const date = dateField(tz);
  return z
    .object({
      id: requiredId,
      unique_id: text,
      title: text,
      source: text,
      status_id: text,
      priority_id: lenientInt,
      type_id: lenientInt,
      department_id: refId,
      department_name: text,
      owner_id: refId,
      owner_name: text,
      owner_lastname: text,
      owner_email: text,
      user_id: refId,
      user_name: text,
      user_lastname: text,
      user_email: text,
      date_created: date,
      date_updated: date,
      sla_date: date,
      freeze_date: date,
      freeze: flag,
      deleted: flag,
      ticket_lock: flag,
      viewed_by_staff: flag,
      viewed_by_client: flag,
      custom_fields: customFieldValues,
      tags,
    })
    .transform((r): HdeTicket => ({
      id: r.id,
      uniqueId: r.unique_id,
      title: r.title,
      source: r.source,
      statusId: r.status_id,
      priorityId: r.priority_id,
      typeId: r.type_id,
      departmentId: r.department_id,
      departmentName: r.department_name,
      ownerId: r.owner_id,
      ownerName: r.owner_name,
      ownerLastname: r.owner_lastname,
      ownerEmail: r.owner_email,
      userId: r.user_id,
      userName: r.user_name,
      userLastname: r.user_lastname,
      userEmail: r.user_email,
      dateCreated: r.date_created,
      dateUpdated: r.date_updated,
      slaDate: r.sla_date,
      freezeDate: r.freeze_date,
      freeze: r.freeze,
      deleted: r.deleted,
      ticketLock: r.ticket_lock,
      viewedByStaff: r.viewed_by_staff,
      viewedByClient: r.viewed_by_client,
      customFields: r.custom_fields,
      tags: r.tags,
    }));
}
