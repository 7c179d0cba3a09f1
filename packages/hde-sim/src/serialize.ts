import type { Directory } from './directory';
import { formatPostDate, formatSlaDate, formatTicketDate } from './format-dates';
import type { CommentRecord, CustomFieldRecord, KbArticleRecord, KbCategoryRecord, PostRecord, TicketRecord, UserRecord } from './records';
import type {
  HdeComment,
  HdeCustomField,
  HdeKbArticle,
  HdeKbCategory,
  HdePost,
  HdeTicket,
  HdeTicketCustomField,
  HdeUser,
  HdeUserGroup,
} from './wire-types';

/** Turns stored records into HDE's wire shapes for one account's directory and timezone. */
export type Serializer = ReturnType<typeof createSerializer>;

const GROUPS: Record<UserRecord['role'], HdeUserGroup> = {
  customer: { id: 1, type: 'user', name: { ru: 'Клиент', en: 'Client', ua: 'Клиент' }, disable: 0 },
  admin: {
    id: 2,
    type: 'staff',
    name: { ru: 'Администратор', en: 'Administrator', ua: 'Администратор' },
    disable: 0,
  },
  agent: { id: 3, type: 'staff', name: { ru: 'Сотрудник', en: 'Staff', ua: 'Співробітник' }, disable: 0 },
};

/** Group ids for `group_list`: 1 clients, 2 administrators, 3 agents. */
export const groupOf = (role: UserRecord['role']): HdeUserGroup => GROUPS[role];

/** The group a user belongs to: one the account created, else the role's built-in one. */
export function userGroup(directory: Directory, user: UserRecord): HdeUserGroup {
  const created = user.groupId === undefined ? undefined : directory.groups.get(user.groupId);
  return created ? { id: created.id, type: created.type, name: created.name, disable: 0 } : GROUPS[user.role];
}

/** Every group of the account: the built-in three, then those it created. */
export function accountGroups(directory: Directory): HdeUserGroup[] {
  const created = [...directory.groups.values()].map((g) => ({ id: g.id, type: g.type, name: g.name, disable: 0 }));
  return [GROUPS.customer, GROUPS.admin, GROUPS.agent, ...created];
}

// SLA is not simulated; a fixed first-response target gives clients a plausible sla_date to parse.
const SLA_MS = 24 * 3_600_000;

/** Builds the serializers bound to an account. */
export function createSerializer(directory: Directory, tz: number) {
  const fieldValue = (field: CustomFieldRecord | undefined, value: string | number): HdeTicketCustomField['field_value'] => {
    if (field?.fieldType !== 'select') return value;
    const option = field.options.find((o) => o.id === value);
    return { id: Number(value), name: option?.name ?? { ru: '', en: '', ua: '' } };
  };

  return {
    ticket(t: TicketRecord): HdeTicket {
      const owner = directory.users.get(t.ownerId);
      const client = directory.users.get(t.userId);
      return {
        id: t.id,
        pid: 0,
        unique_id: t.uniqueId,
        date_created: formatTicketDate(t.createdAt, tz),
        date_updated: formatTicketDate(t.updatedAt, tz),
        title: t.title,
        source: t.source,
        status_id: t.statusId,
        priority_id: t.priorityId,
        type_id: t.typeId,
        department_id: t.departmentId,
        department_name: directory.departments.get(t.departmentId)?.name.ru ?? '',
        owner_id: t.ownerId,
        owner_name: owner?.name ?? 'Неприсвоено',
        owner_lastname: owner?.lastname ?? '',
        owner_email: owner?.email ?? '',
        user_id: t.userId,
        user_name: client?.name ?? '',
        user_lastname: client?.lastname ?? '',
        user_email: client?.email ?? '',
        cc: [],
        bcc: [],
        followers: [],
        ticket_lock: 0,
        sla_date: formatSlaDate(t.createdAt + SLA_MS, tz),
        sla_flag: 0,
        freeze_date: 'null',
        freeze: 0,
        deleted: t.trashed ? 1 : 0,
        viewed_by_staff: 1,
        viewed_by_client: 1,
        rate: '',
        rate_comment: '',
        rate_date: '',
        custom_fields: [...t.customFields].map(([id, value]) => {
          const field = directory.customFields.get(id);
          return { id, field_type: field?.fieldType ?? 'text', field_value: fieldValue(field, value) };
        }),
        tags: [...t.tags],
        jira_issues: [],
      };
    },

    post(p: PostRecord): HdePost {
      const date = formatPostDate(p.createdAt, tz);
      const files = (p.files ?? []).map((f) => ({ name: f.name, url: f.url, data_type: f.dataType }));
      return { ticket_id: p.ticketId, id: p.id, user_id: p.userId, text: p.text, date_created: date, date_updated: date, files };
    },

    comment(c: CommentRecord): HdeComment {
      const date = formatPostDate(c.createdAt, tz);
      return { ticket_id: c.ticketId, id: c.id, user_id: c.userId, text: c.text, date_created: date, visible: 'staff', files: [] };
    },

    user(u: UserRecord): HdeUser {
      return {
        id: u.id,
        date_created: formatTicketDate(u.createdAt, tz),
        date_updated: formatTicketDate(u.updatedAt, tz),
        name: u.name,
        lastname: u.lastname,
        email: u.email,
        phone: u.phone,
        skype: '',
        website: '',
        organization: '',
        status: 'active',
        language: 'ru',
        notifications: 0,
        api_key: u.apiKey,
        group: userGroup(directory, u),
        department: [...u.departmentIds],
        ldap_username: '',
        custom_fields: [],
      };
    },

    customField(f: CustomFieldRecord): HdeCustomField {
      const rights = { view: true, edit: true, required_to_create_ticket: false, required_to_close_ticket: false };
      return { id: f.id, name: f.name, field_type: f.fieldType, permissions: { staff: { ...rights }, user: { ...rights } } };
    },

    kbCategory(c: KbCategoryRecord): HdeKbCategory {
      return {
        id: c.id,
        parent_id: c.parentId,
        position: c.position,
        date_created: formatTicketDate(c.createdAt, tz),
        date_updated: formatTicketDate(c.updatedAt, tz),
        access: c.access,
        access_by_groups: [1, 2, 3],
        title: c.title,
      };
    },

    kbArticle(a: KbArticleRecord): HdeKbArticle {
      return {
        id: a.id,
        date_created: formatTicketDate(a.createdAt, tz),
        date_updated: formatTicketDate(a.updatedAt, tz),
        show_me_only: a.showMeOnly,
        access: a.access,
        pin: false,
        views_count: 0,
        categories: [...a.categoryIds],
        title: a.title,
        tags: { ru: [...a.tags], en: [], ua: [] },
        body: a.body,
        files: [],
      };
    },
  };
}
