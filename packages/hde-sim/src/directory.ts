import { randomUUID } from 'node:crypto';
import { localize, type LocalizedInput } from './localize';
import type { CustomFieldRecord, DepartmentRecord, StatusRecord, UserGroupRecord, UserRecord, UserRole } from './records';
import { HdeSimError } from './sim-error';
import type { HdeNamedEntry } from './wire-types';

/** Priorities and types are fixed, copied from the published HDE samples. */
export const PRIORITIES: readonly HdeNamedEntry[] = [
  { id: 2, name: { ru: 'Стандартно', en: 'Standard', ua: 'Стандартно' } },
  { id: 3, name: { ru: 'Средний', en: 'Medium', ua: 'Средний' } },
  { id: 1, name: { ru: 'Срочно', en: 'Very urgent', ua: 'Срочно' } },
];

/** Ticket types; `0` («Без типа») is a valid type id, as on live systems. */
export const TICKET_TYPES: readonly HdeNamedEntry[] = [
  { id: 0, name: { ru: 'Без типа', en: 'Without type', ua: 'Без типа' } },
  { id: 1, name: { ru: 'Проблема', en: 'Problem', ua: 'Проблема' } },
  { id: 2, name: { ru: 'Задание', en: 'Task', ua: 'Задание' } },
  { id: 3, name: { ru: 'Ошибка', en: 'Bug', ua: 'Ошибка' } },
];

const SYSTEM_STATUSES: readonly StatusRecord[] = [
  { id: 'open', name: { ru: 'Открыто', en: 'Open', ua: 'Открыто' } },
  { id: 'process', name: { ru: 'В процессе', en: 'In progress', ua: 'В процессе' } },
  { id: 'closed', name: { ru: 'Выполнено', en: 'Closed', ua: 'Выполнено' } },
];

/** What a new user is made of. */
export type NewUser = {
  name: string;
  lastname?: string;
  email: string;
  phone?: string;
  apiKey?: string;
  departmentIds?: number[];
  /** A staff group of {@link Directory.groups} (staff users only). */
  groupId?: number;
};

/** Ids of the built-in groups (1 clients, 2 administrators, 3 agents); created groups follow. */
const FIRST_CREATED_GROUP_ID = 4;

/** Users, departments, statuses and custom fields of one account, with lookups that validate. */
export class Directory {
  readonly users = new Map<number, UserRecord>();
  readonly departments = new Map<number, DepartmentRecord>();
  readonly statuses = new Map<string, StatusRecord>(SYSTEM_STATUSES.map((s) => [s.id, { ...s }]));
  readonly customFields = new Map<number, CustomFieldRecord>();
  /** Groups the account created; the built-in three are not stored here (see serialize.ts). */
  readonly groups = new Map<number, UserGroupRecord>();
  private nextUserId = 1;
  private nextGroupId = FIRST_CREATED_GROUP_ID;
  private nextDepartmentId = 1;
  private nextFieldId = 1;

  constructor(private readonly now: () => number) {}

  /** Adds a user; e-mails are unique per account, case-insensitively. */
  addUser(role: UserRole, input: NewUser): UserRecord {
    if (typeof input.name !== 'string' || typeof input.email !== 'string') {
      throw new HdeSimError('INVALID', 'name and email must be strings');
    }
    const email = input.email.trim();
    if (!email) throw new HdeSimError('INVALID', 'email is required');
    if (this.findByEmail(email)) throw new HdeSimError('CONFLICT', `user ${email} already exists`);
    for (const id of input.departmentIds ?? []) this.requireDepartment(id);
    if (input.groupId !== undefined) {
      const group = this.groups.get(input.groupId);
      if (!group) throw new HdeSimError('INVALID', `group ${input.groupId} not found`);
      if ((group.type === 'staff') !== (role !== 'customer')) {
        throw new HdeSimError('INVALID', `group ${input.groupId} is not a ${role === 'customer' ? 'client' : 'staff'} group`);
      }
    }
    const at = this.now();
    const user: UserRecord = {
      id: this.nextUserId++,
      role,
      name: input.name,
      lastname: input.lastname ?? '',
      email,
      phone: input.phone ?? '',
      apiKey: input.apiKey ?? randomUUID(),
      departmentIds: [...(input.departmentIds ?? [])],
      ...(input.groupId !== undefined ? { groupId: input.groupId } : {}),
      createdAt: at,
      updatedAt: at,
    };
    this.users.set(user.id, user);
    return user;
  }

  /** Finds a user by e-mail, case-insensitively. */
  findByEmail(email: string): UserRecord | undefined {
    const wanted = email.trim().toLowerCase();
    for (const user of this.users.values()) if (user.email.toLowerCase() === wanted) return user;
    return undefined;
  }

  /** The staff user these Basic credentials belong to, if any; clients' keys are refused. */
  authenticate(email: string, apiKey: string): UserRecord | undefined {
    const user = this.findByEmail(email);
    if (!user || user.role === 'customer' || user.apiKey !== apiKey) return undefined;
    return user;
  }

  /** A user by id, or NOT_FOUND. */
  user(id: number): UserRecord {
    const user = this.users.get(id);
    if (!user) throw new HdeSimError('NOT_FOUND', `user ${id} not found`);
    return user;
  }

  /** A user referenced from a request body, or INVALID. */
  requireUser(id: number, field = 'user_id'): UserRecord {
    const user = this.users.get(id);
    if (!user) throw new HdeSimError('INVALID', `${field}: user ${id} not found`);
    return user;
  }

  /** Checks an assignee: a staff user, or 0 for none. */
  requireOwner(id: number): void {
    if (id === 0) return;
    const user = this.users.get(id);
    if (!user || user.role === 'customer') {
      throw new HdeSimError('INVALID', `owner_id: ${id} is not a staff user`);
    }
  }

  /** Adds a user group beside the built-in ones (staff by default). */
  addUserGroup(name: LocalizedInput, type: 'staff' | 'user' = 'staff'): UserGroupRecord {
    const group: UserGroupRecord = { id: this.nextGroupId++, type, name: localize(name) };
    this.groups.set(group.id, group);
    return group;
  }

  /** Adds a department. */
  addDepartment(name: LocalizedInput): DepartmentRecord {
    const department = { id: this.nextDepartmentId++, name: localize(name) };
    this.departments.set(department.id, department);
    return department;
  }

  /** Checks a department id (0 means none). */
  requireDepartment(id: number): void {
    if (id !== 0 && !this.departments.has(id)) {
      throw new HdeSimError('INVALID', `department_id: department ${id} not found`);
    }
  }

  /** Adds a custom status, e.g. `v-processe` or `6` as live systems generate them. */
  addStatus(id: string, name: LocalizedInput): StatusRecord {
    if (!id) throw new HdeSimError('INVALID', 'status id is required');
    if (this.statuses.has(id)) throw new HdeSimError('CONFLICT', `status ${id} already exists`);
    const status = { id, name: localize(name) };
    this.statuses.set(id, status);
    return status;
  }

  /** Checks a status id. */
  requireStatus(id: string): void {
    if (!this.statuses.has(id)) throw new HdeSimError('INVALID', `status_id: unknown status ${id}`);
  }

  /** Checks a priority id. */
  requirePriority(id: number): void {
    if (!PRIORITIES.some((p) => p.id === id)) {
      throw new HdeSimError('INVALID', `priority_id: unknown priority ${id}`);
    }
  }

  /** Checks a ticket type id. */
  requireType(id: number): void {
    if (!TICKET_TYPES.some((t) => t.id === id)) {
      throw new HdeSimError('INVALID', `type_id: unknown type ${id}`);
    }
  }

  /** Adds a ticket custom field; select fields list their options. */
  addCustomField(input: { name: LocalizedInput; fieldType: string; options?: { id: number; name: LocalizedInput }[] }): CustomFieldRecord {
    const field: CustomFieldRecord = {
      id: this.nextFieldId++,
      name: localize(input.name),
      fieldType: input.fieldType,
      options: (input.options ?? []).map((o) => ({ id: o.id, name: localize(o.name) })),
    };
    this.customFields.set(field.id, field);
    return field;
  }
}
