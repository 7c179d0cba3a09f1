import type { Account } from '../account';
import type { UserRecord } from '../records';

/** What an API handler sees: plain data, no express objects. */
export type ApiContext = {
  account: Account;
  /** The authenticated staff user. */
  user: UserRecord;
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: Record<string, unknown>;
};

/** What an API handler produces; the runner decides how (and whether) it reaches the client. */
export type ApiResult = { status: number; body: unknown };

/** One API route. Handlers are synchronous so a fault can run them and discard the answer. */
export type RouteDef = {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Express path under `/api/v2`; trailing slashes are optional. */
  path: string;
  handler: (ctx: ApiContext) => ApiResult;
};

/** A 200 answer with `data` (and `pagination` for lists). */
export function ok(data: unknown, pagination?: unknown): ApiResult {
  return { status: 200, body: pagination === undefined ? { data } : { data, pagination } };
}
