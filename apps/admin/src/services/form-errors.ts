import type { ZodError } from 'zod';
import type { MessageKey } from '../i18n/messages';
import { HttpError } from '../errors';
import type { FieldErrors } from '../views/form-field';

/**
 * The field errors of a failed zod parse: the first issue of each field (its path joined with `.`),
 * told with the message the form gives for that field, or a generic one.
 */
export function fieldErrorsOf(error: ZodError, messages: Partial<Record<string, MessageKey>> = {}): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    // An item of a list field (`tags.3`) is reported on the nearest field that has a message of its own.
    let field = issue.path.join('.');
    for (let k = issue.path.length; k > 0; k -= 1) {
      const candidate = issue.path.slice(0, k).join('.');
      if (messages[candidate]) {
        field = candidate;
        break;
      }
    }
    if (out[field]) continue;
    out[field] = messages[field] ?? 'error.invalid';
  }
  return out;
}

/**
 * Thrown by a form's service when what was typed does not pass: a page route re-renders the form
 * with the errors beside the fields; anywhere else (the JSON API) it is an ordinary 400.
 */
export class FormError extends HttpError {
  constructor(readonly errors: FieldErrors) {
    super(400, 'invalid', 'error.invalid');
    this.name = 'FormError';
  }
}
