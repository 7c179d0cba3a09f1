import type { HdeZone } from '../time-zone';
import { z } from 'zod';
import type { HdeUser, HdeUserGroup } from '../hde-types';
import { dateField, flag, intList, localised, requiredId, text } from './common';

const GroupSchema = z.object({ id: requiredId, type: text, name: localised, disable: flag });

const group = z
  .unknown()
  .optional()
  .transform((v): HdeUserGroup | null => {
    const r = GroupSchema.safeParse(v);
    return r.success ? { id: r.data.id, type: r.data.type, name: r.data.name, disabled: r.data.disable } : null;
  });

/** A user group of `GET /groups/`: `{id, type: staff|user, name, disable}`. */
export const userGroupSchema: z.ZodType<HdeUserGroup> = GroupSchema.transform((r) => ({
  id: r.id,
  type: r.type,
  name: r.name,
  disabled: r.disable,
}));

/**
 * Builds the user schema for an account timezone. HDE returns each user's `api_key`; it is not in
 * the schema, so it never leaves this package.
 */
export function userSchema(tz: HdeZone): z.ZodType<HdeUser> {
  const date = dateField(tz);
  return z
    .object({
      id: requiredId,
      name: text,
      lastname: text,
      email: text,
      phone: text,
      status: text,
      language: text,
      group,
      department: intList,
      date_created: date,
      date_updated: date,
    })
    .transform((r): HdeUser => ({
      id: r.id,
      name: r.name,
      lastname: r.lastname,
      email: r.email,
      phone: r.phone,
      status: r.status,
      language: r.language,
      group: r.group,
      isStaff: r.group?.type === 'staff',
      departmentIds: r.department,
      dateCreated: r.date_created,
      dateUpdated: r.date_updated,
    }));
}
