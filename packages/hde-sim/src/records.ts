import type { Localized } from './wire-types';

// Internal state of one account, kept in camelCase; serialize.ts turns it into HDE's wire shapes.

/** Who a user is inside the simulator; `admin` and `agent` are staff. */
export type UserRole = 'admin' | 'agent' | 'customer';

/** A stored user. */
export type UserRecord = {
  id: number;
  role: UserRole;
  name: string;
  lastname: string;
  email: string;
  phone: string;
  apiKey: string;
  departmentIds: number[];
  /** A staff group the account created (`addUserGroup`) instead of the role's built-in one. */
  groupId?: number;
  createdAt: number;
  updatedAt: number;
};

/** A user group an account created beside the built-in ones (HDE lets admins group staff by rights). */
export type UserGroupRecord = { id: number; type: 'staff' | 'user'; name: Localized };

/** A stored value of a ticket custom field: a scalar, or an option id for select fields. */
export type FieldValue = string | number;

/** A stored ticket. */
export type TicketRecord = {
  id: number;
  uniqueId: string;
  title: string;
  source: string;
  statusId: string;
  priorityId: number;
  typeId: number;
  departmentId: number;
  ownerId: number;
  userId: number;
  createdAt: number;
  updatedAt: number;
  customFields: Map<number, FieldValue>;
  tags: string[];
  chatId?: string;
  /** In HDE's trash (its default delete): still readable, listed with `deleted: 1`. */
  trashed?: boolean;
};

/** A stored public reply. */
/** A file attached to a post (HDE lists it as `{name, url, data_type}`). */
export type FileRecord = { name: string; url: string; dataType: string };

/** A stored public reply; `files` only when the post carried attachments. */
export type PostRecord = { id: number; ticketId: number; userId: number; text: string; createdAt: number; files?: readonly FileRecord[] };

/** A stored internal note. */
export type CommentRecord = PostRecord;

/** A stored department. */
export type DepartmentRecord = { id: number; name: Localized };

/** A stored ticket status; ids are strings (`open`, `process`, `closed`, custom slugs). */
export type StatusRecord = { id: string; name: Localized };

/** A stored custom field definition. */
export type CustomFieldRecord = {
  id: number;
  name: Localized;
  fieldType: string;
  options: { id: number; name: Localized }[];
};

/** A stored knowledge-base category. */
export type KbCategoryRecord = {
  id: number;
  parentId: number;
  position: number;
  access: string;
  title: Localized;
  createdAt: number;
  updatedAt: number;
};

/** A stored knowledge-base article. */
export type KbArticleRecord = {
  id: number;
  categoryIds: number[];
  access: string;
  showMeOnly: boolean;
  title: Localized;
  body: Localized;
  tags: string[];
  createdAt: number;
  updatedAt: number;
};
