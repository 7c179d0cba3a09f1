import { HdeSimError } from './sim-error';

/**
 * How one simulated account behaves where HDE's documentation is silent or where live systems were
 * seen to differ. Each field is one guess (or observation) about real HDE, so the product can be
 * tested on every variant; the package README lists them with their sources.
 */
export type AccountVariant = {
  /**
   * How a ban (request limit exceeded) is answered: `json_e401` — 403 with HDE's `e-401` envelope
   * (what practitioners report), `json_e403` — 403 with an `e-403` envelope and neutral wording,
   * `html_403` — a 403 HTML page from the proxy in front of HDE, `plain_429` — a 429 with a neutral
   * envelope and no Retry-After (ROSMOL reads a 429 as a ban), `json_401` — a 401 with the `e-401`
   * envelope and neutral wording (the status the `e-401` code names; no public source rules it out).
   */
  banForm: 'json_e401' | 'json_e403' | 'html_403' | 'plain_429' | 'json_401';
  /**
   * What `PUT /tickets/{id}/` does with `tags` (not among the documented update fields):
   * `replace` — the ticket's tags become the list sent; `refuse` — the whole PUT is refused with 400
   * and nothing changes; `ignore` — the other fields apply and `tags` is dropped.
   */
  putTags: 'replace' | 'refuse' | 'ignore';
  /** Order of `GET /tickets/{id}/posts/` and `/comments/` pages: `newest_first` or `oldest_first`. */
  listOrder: 'newest_first' | 'oldest_first';
  /**
   * Who authors a post or comment created through the API with `user_id`: `user_id` — that user
   * (documented); `key_owner` — the API key's owner, `user_id` ignored.
   */
  postAuthor: 'user_id' | 'key_owner';
  /**
   * What `POST /tickets/{id}/posts/` does on a closed ticket (undocumented): `refuse` — 400 `e-400`
   * "ticket N is closed", nothing posted (MAXDEV maps a 400 on posting to "ticket closed");
   * `reopen` — the post is made and the ticket goes back to `open`, as a client's reply does;
   * `accept` — the post is made and the ticket stays closed.
   */
  closedTicketPost: 'refuse' | 'reopen' | 'accept';
  /**
   * Whether a staff member's public reply (through the API or the UI) moves an `open` ticket to
   * `process` (undocumented; help desks often switch a ticket to "in progress" on an agent's first
   * answer): `unchanged` or `process`.
   */
  staffPostStatus: 'unchanged' | 'process';
  /**
   * Whether a reply created through the API fires the dispatcher's «Новый ответ» rule like one
   * written in the UI (hde-api.md §9: unconfirmed): `fires` or `silent`.
   */
  apiPostDispatch: 'fires' | 'silent';
  /**
   * Whether the API's ticket objects carry `tags` (hde-api.md §4.1: the key is absent from every
   * documented ticket sample): `listed` — `tags` is there; `absent` — the key is left out, whatever
   * tags the ticket has.
   */
  ticketTags: 'listed' | 'absent';
  /**
   * Whether `GET /tickets/` honours `owner_list` (hde-api.md §4.1: "not consistently honoured" was
   * reported): `honoured`, or `ignored` — the list (and its `pagination.total`) is as without it.
   */
  ownerFilter: 'honoured' | 'ignored';
  /**
   * Whether responses carry `X-Rate-Limit` and `X-Rate-Limit-Remaining` (the first is in HDE's new
   * documentation, the second only read by public integrations): `sent` or `absent`.
   */
  rateHeaders: 'sent' | 'absent';
  /**
   * When the dispatcher's webhook goes out relative to the API answer of the request that fired it
   * (hde-api.md §6: a rule may be synchronous): `async` — after the answer; `sync` — the answer
   * waits until the webhook was delivered, so our own reply's webhook arrives before we learn the
   * post's id.
   */
  dispatchMode: 'async' | 'sync';
  /**
   * What HDE stores of a post's text created through the API (undocumented): `verbatim`, or
   * `signature` — the account's signature appended, as help desks add an agent's signature to replies.
   */
  postText: 'verbatim' | 'signature';
  /**
   * What is left of a ticket merged into another («объединение заявок»; its posts move into the
   * target either way; undocumented): `gone` — every API call on it answers 404, as for a deleted
   * ticket; `closed` — it stays readable, closed and without posts, and a post to it is treated as
   * one to any closed ticket (`closedTicketPost`).
   */
  mergedTicket: 'gone' | 'closed';
  /**
   * Whether the account answers `GET /groups/` (seen only in a public SDK, not in HDE's
   * documentation): `listed` — every group, the built-in ones and those the account created;
   * `absent` — 404, as for a path HDE does not know.
   */
  groupsEndpoint: 'listed' | 'absent';
};

/** The signature the `signature` variant of {@link AccountVariant.postText} appends. */
export const POST_SIGNATURE_HTML = '<p>--<br>С уважением, служба поддержки</p>';

/** The documented (or most commonly reported) behaviour. */
export const DEFAULT_VARIANT: Readonly<AccountVariant> = {
  banForm: 'json_e401',
  putTags: 'replace',
  listOrder: 'newest_first',
  postAuthor: 'user_id',
  closedTicketPost: 'refuse',
  staffPostStatus: 'unchanged',
  apiPostDispatch: 'fires',
  ticketTags: 'listed',
  ownerFilter: 'honoured',
  rateHeaders: 'sent',
  dispatchMode: 'async',
  postText: 'verbatim',
  mergedTicket: 'gone',
  groupsEndpoint: 'listed',
};

const CHOICES: { [K in keyof AccountVariant]: readonly AccountVariant[K][] } = {
  banForm: ['json_e401', 'json_e403', 'html_403', 'plain_429', 'json_401'],
  putTags: ['replace', 'refuse', 'ignore'],
  listOrder: ['newest_first', 'oldest_first'],
  postAuthor: ['user_id', 'key_owner'],
  closedTicketPost: ['refuse', 'reopen', 'accept'],
  staffPostStatus: ['unchanged', 'process'],
  apiPostDispatch: ['fires', 'silent'],
  ticketTags: ['listed', 'absent'],
  ownerFilter: ['honoured', 'ignored'],
  rateHeaders: ['sent', 'absent'],
  dispatchMode: ['async', 'sync'],
  postText: ['verbatim', 'signature'],
  mergedTicket: ['gone', 'closed'],
  groupsEndpoint: ['listed', 'absent'],
};

/** The status a public reply moves an `open` ticket to on an account of this variant, if any (a staff member's, see `staffPostStatus`). */
export function statusAfterReply(variant: Readonly<AccountVariant>, byStaff: boolean): string | undefined {
  return byStaff && variant.staffPostStatus === 'process' ? 'process' : undefined;
}

/** Validates a partial variant and applies it over `base`. */
export function mergeVariant(base: Readonly<AccountVariant>, patch: Partial<AccountVariant> | undefined): AccountVariant {
  const out: AccountVariant = { ...base };
  for (const [key, value] of Object.entries(patch ?? {})) {
    const choices = (CHOICES as Record<string, readonly string[]>)[key];
    if (!choices) throw new HdeSimError('INVALID', `unknown variant option ${key}`);
    if (value === undefined) continue;
    if (typeof value !== 'string' || !choices.includes(value)) {
      throw new HdeSimError('INVALID', `variant ${key} must be one of ${choices.join(', ')}`);
    }
    (out as Record<string, string>)[key] = value;
  }
  return out;
}
