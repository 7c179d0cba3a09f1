/** A name in HDE's three interface languages, as dictionaries return it. */
export type Localized = { ru: string; en: string; ua: string };

/** Pagination block of HDE list responses. */
export type HdePagination = {
  total: number;
  per_page: number;
  current_page: number;
  total_pages: number;
};

/** One entry of a ticket's `custom_fields` array. */
export type HdeTicketCustomField = {
  id: number;
  field_type: string;
  /** Scalar for text/checkbox fields, `{ id, name }` for select fields. */
  field_value: string | number | { id: number; name: Localized };
};

/** A ticket as `GET /tickets/{id}/` returns it (hde-api.md §4.2). */
export type HdeTicket = {
  id: number;
  pid: number;
  unique_id: string;
  date_created: string;
  date_updated: string;
  title: string;
  source: string;
  status_id: string;
  priority_id: number;
  type_id: number;
  department_id: number;
  department_name: string;
  owner_id: number;
  owner_name: string;
  owner_lastname: string;
  owner_email: string;
  user_id: number;
  user_name: string;
  user_lastname: string;
  user_email: string;
  cc: string[];
  bcc: string[];
  followers: number[];
  ticket_lock: number;
  sla_date: string;
  sla_flag: number;
  freeze_date: string;
  freeze: number;
  deleted: number;
  viewed_by_staff: number;
  viewed_by_client: number;
  rate: string;
  rate_comment: string;
  rate_date: string;
  custom_fields: HdeTicketCustomField[];
  tags: string[];
  jira_issues: unknown[];
};

/** A public reply ("post") as `GET /tickets/{id}/posts/` returns it. */
export type HdePost = {
  ticket_id: number;
  id: number;
  user_id: number;
  text: string;
  date_created: string;
  date_updated: string;
  files: unknown[];
};

/** An internal note ("comment") as `GET /tickets/{id}/comments/` returns it. */
export type HdeComment = {
  ticket_id: number;
  id: number;
  user_id: number;
  text: string;
  date_created: string;
  visible: 'staff';
  files: unknown[];
};

/** A user group as embedded in a user object. */
export type HdeUserGroup = { id: number; type: 'staff' | 'user'; name: Localized; disable: number };

/** A user (staff or client) as `GET /users/{id}/` returns it. */
export type HdeUser = {
  id: number;
  date_created: string;
  date_updated: string;
  name: string;
  lastname: string;
  email: string;
  phone: string;
  skype: string;
  website: string;
  organization: string;
  status: 'active';
  language: string;
  notifications: number;
  api_key: string;
  group: HdeUserGroup;
  department: number[];
  ldap_username: string;
  custom_fields: unknown[];
};

/** An entry of `/departments/`, `/priorities/` or `/types/`. */
export type HdeNamedEntry<Id extends string | number = number> = { id: Id; name: Localized };

/** A ticket custom field definition as `GET /custom_fields/` returns it. */
export type HdeCustomField = {
  id: number;
  name: Localized;
  field_type: string;
  permissions: Record<'staff' | 'user', Record<string, boolean>>;
};

/** A knowledge-base category as `GET /knowledge_base/categories/` returns it. */
export type HdeKbCategory = {
  id: number;
  parent_id: number;
  position: number;
  date_created: string;
  date_updated: string;
  access: string;
  access_by_groups: number[];
  title: Localized;
};

/** A knowledge-base article, in the shape of the published `ArticlesListGet` sample. */
export type HdeKbArticle = {
  id: number;
  date_created: string;
  date_updated: string;
  show_me_only: boolean;
  access: string;
  pin: boolean;
  views_count: number;
  categories: number[];
  title: Localized;
  tags: { ru: string[]; en: string[]; ua: string[] };
  body: Localized;
  files: unknown[];
};

/** One item of HDE's error envelope `{"errors":[…]}`. */
export type HdeErrorItem = { code: string; title: string; details: string };
