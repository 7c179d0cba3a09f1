import { html, type Html } from './html';

/** A problem with one field of the integration's forms, as the page shows it. */
export type FieldProblem = { field: string; message: string };

/** The problem's message beside its field, or nothing when the problem is another field's. */
export function fieldError(problem: FieldProblem | undefined, field: string): Html | string {
  return problem?.field === field ? html`<span class="field-error" data-testid="field-error-${field}">${problem.message}</span>` : '';
}

/** `aria-invalid` for a field: whether the problem is this field's. */
export function invalidFlag(problem: FieldProblem | undefined, field: string): 'true' | 'false' {
  return problem?.field === field ? 'true' : 'false';
}
