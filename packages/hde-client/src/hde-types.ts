/**
 * A name HDE gives per interface language (`{"ru": "…", "en": "…", "ua": "…"}`). A bare string
 * from HDE is kept under `default`.
 */
export type HdeLocalised = Readonly<Record<string, string>>;

/** HDE list pagination. Filled with single-page values when HDE sends none. */
export type HdePagination = {
  total: number;
  perPage: number;
  currentPage: number;
  totalPages: number;
};

/** One page of a list call. */
export type HdePage<T> = {
  items: T[];
  pagination: HdePagination;
  /** Entries that did not parse (e.g. no id) and were left out. */
  skipped: number;
};

/** A custom field value on a ticket or user; `value` is HDE's raw `field_value` (scalar, or an object for selects). */
export type HdeCustomFieldValue = {
  id: number;
  fieldType: string;
  value: unknown;
};

/** A file attached to a post or comment (its URL needs the same Basic auth). */
export type HdeFile = { name: string; url: string; dataType: string };

/** A ticket (`GET /tickets/:id/`, list items, update responses). Dates are instants. */
export type HdeTicket = {
  id: number;
  /** Human ticket number, e.g. `IQV-84397`. */
  uniqueId: string;
  title: string;
  source: string;
  /** Status ids are strings: `open`, `process`, `closed`, or custom (`v-processe`, `6`). */
  statusId: string;
  priorityId: number | null;
  typeId: number | null;
  departmentId: number | null;
  departmentName: string;
  /** Assignee; `null` when unassigned (HDE sends 0). */
  ownerId: number | null;
  ownerName: string;
  ownerLastname: string;
  ownerEmail: string;
  /** The client. */
  userId: number | null;
  userName: string;
  userLastname: string;
  userEmail: string;
  dateCreated: Date | null;
  dateUpdated: Date | null;
  slaDate: Date | null;
  freezeDate: Date | null;
  freeze: boolean;
  deleted: boolean;
  ticketLock: boolean;
  viewedByStaff: boolean;
  viewedByClient: boolean;
  customFields: HdeCustomFieldValue[];
  /** `undefined` when HDE's ticket object has no `tags` key (unknown, not none). */
  tags: string[] | undefined;
};

/** A public reply ("ответ"); `text` is HTML. */
export type HdePost = {
  id: number;
  ticketId: number | null;
  userId: number | null;
  text: string;
  dateCreated: Date | null;
  dateUpdated: Date | null;
  files: HdeFile[];
};

/** An internal note ("комментарий"), visible to staff; `text` is HTML. */
export type HdeComment = {
  id: number;
  ticketId: number | null;
  userId: number | null;
  text: string;
  dateCreated: Date | null;
  dateUpdated: Date | null;
  visible: string;
  files: HdeFile[];
};

/** A user's group; `type` is `staff` for agents and `user` for clients. */
export type HdeUserGroup = {
  id: number;
  type: string;
  name: HdeLocalised;
  disabled: boolean;
};

/** A user (staff or client). HDE also returns the user's API key: it is dropped on purpose. */
export type HdeUser = {
  id: number;
  name: string;
  lastname: string;
  email: string;
  phone: string;
  /** `active`, `inactive`, `disabled`, `fired`. */
  status: string;
  language: string;
  group: HdeUserGroup | null;
  isStaff: boolean;
  departmentIds: number[];
  dateCreated: Date | null;
  dateUpdated: Date | null;
};

/** A department. */
export type HdeDepartment = { id: number; name: HdeLocalised };

/** A ticket status; its id is a string. */
export type HdeStatus = { id: string; name: HdeLocalised };

/** A ticket custom field definition. Hierarchical fields have one name per level in `levelNames`. */
export type HdeCustomField = {
  id: number;
  name: HdeLocalised;
  fieldType: string;
  levelNames: HdeLocalised[];
};

/** A knowledge-base category (`access`: `public`, `user`, `staff`). */
export type HdeKbCategory = {
  id: number;
  parentId: number | null;
  position: number | null;
  access: string;
  title: HdeLocalised;
  dateCreated: Date | null;
  dateUpdated: Date | null;
};

/** A knowledge-base article; `body` is HTML per language. */
export type HdeKbArticle = {
  id: number;
  title: HdeLocalised;
  body: HdeLocalised;
  /** Tags per language. */
  tags: Readonly<Record<string, string[]>>;
  categoryIds: number[];
  /** `public`, `user` (signed-in clients) or `staff`. */
  access: string;
  /** A draft visible only to its author. */
  showMeOnly: boolean;
  pinned: boolean;
  viewsCount: number | null;
  dateCreated: Date | null;
  dateUpdated: Date | null;
};

/** `owner_list`-style filters take ids; `status_list` takes status ids. */
export type HdeTicketListFilter = {
  page?: number;
  statusList?: readonly string[];
  ownerList?: readonly number[];
  userList?: readonly number[];
  fromDateUpdated?: Date;
  toDateUpdated?: Date;
  fromDateCreated?: Date;
  toDateCreated?: Date;
  /** e.g. `date_updated{desc}`; HDE's default is `date_created{desc}`. */
  orderBy?: string;
};

/** Fields `updateTicket` may change; only the given ones are sent. */
export type HdeTicketUpdate = {
  statusId?: string;
  ownerId?: number;
  departmentId?: number;
  priorityId?: number;
  typeId?: number;
  /** Keyed by field id; values are option ids for selects. */
  customFields?: Readonly<Record<string, string | number | boolean | null | readonly (string | number)[]>>;
  /** Shape and replace-vs-append semantics are unconfirmed on live HDE (hde-api.md §4.1). */
  tags?: readonly string[];
};

/** Input of `createPost` / `createComment`. */
export type HdeMessageInput = {
  /** HTML. */
  text: string;
  /** Author; when omitted HDE uses the API user. */
  userId?: number;
};

/** `GET /users/` filters. */
export type HdeUserListFilter = {
  page?: number;
  search?: string;
  groupList?: readonly number[];
};

/** The rate-limit headers of the latest response. */
export type HdeRateLimitInfo = {
  limit?: number;
  remaining?: number;
  status: number;
  /** Epoch ms when the response arrived. */
  at: number;
};
