import type { MessageKey } from './i18n/messages';

/** An error with an HTTP status and a user-facing message key; details never contain secrets. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly messageKey: MessageKey,
    readonly vars?: Record<string, string | number>,
  ) {
    super(code);
    this.name = 'HttpError';
  }
}

/** 404: also what a user gets for things they may not see, so existence does not leak. */
export const notFound = () => new HttpError(404, 'not_found', 'error.notFound');
/** 403: the user is signed in but the action needs the admin role. */
export const forbidden = () => new HttpError(403, 'forbidden', 'error.forbidden');
/** 400 with a message key that says what to fix. */
export const invalid = (messageKey: MessageKey = 'error.invalid', vars?: Record<string, string | number>) =>
  new HttpError(400, 'invalid', messageKey, vars);
