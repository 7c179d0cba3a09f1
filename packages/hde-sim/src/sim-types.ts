import type { AccountVariant } from './variant';
import type { LocalizedInput } from './localize';

/** Options of {@link startHdeSim}. */
export type HdeSimOptions = {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Interface to bind; default `127.0.0.1`. */
  host?: string;
  /** Real-time length of one simulated minute (rate window and ban); default 60 000. */
  minuteMs?: number;
  /** Print one line per API request to stderr. */
  logRequests?: boolean;
  /** Per-attempt timeout of dispatcher webhooks; default 10 000 ms. */
  dispatchTimeoutMs?: number;
};

/** Options of `createAccount`. */
export type CreateAccountOptions = {
  /** URL-safe account name: the account lives at `/a/<slug>`. */
  slug: string;
  /** Default `admin@<slug>.example`. */
  adminEmail?: string;
  /** Default a random UUID, like HDE's keys. */
  apiKey?: string;
  /** Default 300, HDE's documented limit. */
  rateLimitPerMinute?: number;
  /** Default 1200 (20 min, what practitioners report); scaled by `minuteMs / 60000`. */
  banSeconds?: number;
  /** Timezone of every date the account renders; default 180 (Moscow). */
  timezoneOffsetMinutes?: number;
  /** Behaviours HDE's documentation leaves open (ban form, tags on update, list order…); see `AccountVariant`. */
  variant?: Partial<AccountVariant>;
};

/** Credentials and addresses of a created account. */
export type AccountInfo = {
  slug: string;
  /** `${sim.url}/a/<slug>`: what a user would type as the HDE domain. */
  baseUrl: string;
  /** `${baseUrl}/api/v2`. */
  apiUrl: string;
  adminEmail: string;
  apiKey: string;
  adminUserId: number;
};

/** Options of `createAgent`. */
export type CreateAgentOptions = {
  name: string;
  lastname?: string;
  email: string;
  departmentIds?: number[];
  /** Default a random UUID. */
  apiKey?: string;
  /** A staff group made with `addUserGroup`; default the built-in agents' group (3). */
  groupId?: number;
};

/** Options of `addUserGroup`: a group beside HDE's built-in ones, e.g. «Вторая линия». */
export type AddUserGroupOptions = { name: string; type?: 'staff' | 'user' };

/** Options of `createCustomer`. */
export type CreateCustomerOptions = { name: string; lastname?: string; email: string; phone?: string };

/** Options of `openTicket`: a client opening a ticket through a channel. */
export type OpenTicketOptions = {
  customerId: number;
  title: string;
  /** HTML of the first message. */
  text: string;
  /** Default `telegram` when `chatId` is given, else `email`. */
  source?: string;
  departmentId?: number;
  /** Messenger chat id; becomes the dispatcher's `{meta_chat_id}`. */
  chatId?: string;
};

/** Options of `addCustomField`. */
export type AddCustomFieldOptions = {
  name: LocalizedInput;
  /** `text`, `textarea`, `checkbox`, `date` or `select`. */
  fieldType: string;
  /** Options of a select field. */
  options?: { id: number; name: LocalizedInput }[];
};
