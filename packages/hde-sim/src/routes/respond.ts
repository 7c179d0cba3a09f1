import type { Response } from 'express';
import { HdeApiError } from '../api-error';
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
      error.code === 'NOT_FOUND'
        ? new HdeApiError(404, 'Not found', error.message)
        : new HdeApiError(400, 'Bad request', error.message);
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
