import type { Response } from 'express';
import type { Account } from '../account';
import { bannedError, HdeApiError } from '../api-error';
import { HdeSimError } from '../sim-error';
import { encodeWireJson } from '../wire-json';
import type { ApiContext, ApiResult, RouteDef } from './route-types';

/** Writes an API result as HDE-style JSON. */
export function send(res: Response, result: ApiResult): void {
  if (res.destroyed || res.headersSent) return;
  res.status(result.status);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.send(encodeWireJson(result.body));
}

/** Maps anything a handler throws to an HDE error result; store errors become 400/404. */
export function errorResult(error: unknown): ApiResult {
  if (error instanceof HdeApiError) return { status: error.status, body: error.body };
  if (error instanceof HdeSimError) {
    const apiError =
      error.code === 'NOT_FOUND' ? new HdeApiError(404, 'Not found', error.message) : new HdeApiError(400, 'Bad request', error.message);
    return { status: apiError.status, body: apiError.body };
  }
  throw error;
}

/** Runs a handler, turning expected failures into error results. */
export function execute(def: RouteDef, ctx: ApiContext): ApiResult {
  try {
    return def.handler(ctx);
  } catch (error) {
    return errorResult(error);
  }
}

/** Answers a banned request in the account's ban form (see `AccountVariant.banForm`). */
export function sendBanned(res: Response, account: Account): void {
  if (res.destroyed || res.headersSent) return;
  const form = account.settings.variant.banForm;
  if (form === 'html_403') {
    res.status(403);
    res.setHeader('Content-Type', 'text/html');
    res.send(
      '<html>\r\n<head><title>403 Forbidden</title></head>\r\n<body>\r\n<center><h1>403 Forbidden</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
    );
    return;
  }
  const error =
    form === 'json_e403'
      ? new HdeApiError(403, 'Forbidden', 'Access denied')
      : form === 'plain_429'
        ? new HdeApiError(429, 'Too Many Requests', 'Too many requests')
        : form === 'json_401'
          ? new HdeApiError(401, 'Unauthorized', 'Access denied')
          : bannedError();
  send(res, errorResult(error));
}
