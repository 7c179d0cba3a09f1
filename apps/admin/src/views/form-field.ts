import type { MessageKey } from '../i18n/messages';
import { html, raw, type Html } from './html';
import type { PageContext } from './layout';

/** What a form showed wrong: a message key per field name; empty when the form is fine. */
export type FieldErrors = Partial<Record<string, MessageKey>>;

/** What a re-rendered form shows: the values typed (never passwords) and the error per field. */
export type FormState = { values: Record<string, string>; errors: FieldErrors };

/** An empty form state (first render). */
export const EMPTY_FORM: FormState = { values: {}, errors: {} };

/** The id of a field's error element, for `aria-describedby`. */
export function errorIdOf(id: string): string {
  return `${id}-error`;
}

/**
 * Attributes that tie an input to its error: `aria-invalid` and `aria-describedby`. Empty when the
 * field is fine, so a screen reader announces the message together with the field.
 */
export function fieldAria(errors: FieldErrors, name: string, id: string): Html {
  return errors[name] ? raw(` aria-invalid="true" aria-describedby="${errorIdOf(id)}"`) : raw('');
}

/** The error message shown beside a field, or nothing. */
export function fieldError(p: PageContext, errors: FieldErrors, name: string, id: string): Html {
  const key = errors[name];
  return key ? html`<span class="field-error" id="${errorIdOf(id)}" data-testid="field-error-${name}">${p.t(key)}</span>` : html``;
}

/** The value typed into a field, else the stored one. */
export function valueOf(state: FormState, name: string, stored: string | number | null | undefined = ''): string {
  return state.values[name] ?? (stored === null || stored === undefined ? '' : String(stored));
}

/** The string fields of a posted form (repeated fields keep their last value), passwords left out. */
export function typedValues(body: unknown, omit: string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((body ?? {}) as Record<string, unknown>)) {
    if (k === '_csrf' || omit.includes(k)) continue;
    if (typeof v === 'string') out[k] = v;
    else if (Array.isArray(v) && typeof v[v.length - 1] === 'string') out[k] = v[v.length - 1] as string;
  }
  return out;
}

/**
 * A required one-line name field (consultant, skill, API token) with its label, the value typed
 * and its error beside it.
 */
export function nameField(p: PageContext, input: { id: string; label: MessageKey; form: FormState }): Html {
  const { id, form } = input;
  return html`<div>
    <label for="${id}">${p.t(input.label)}</label
    ><input
      id="${id}"
      name="name"
      type="text"
      required
      maxlength="100"
      value="${valueOf(form, 'name')}"
      ${fieldAria(form.errors, 'name', id)}
    />${fieldError(p, form.errors, 'name', id)}
  </div>`;
}
