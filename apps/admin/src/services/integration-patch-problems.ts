import type { z } from 'zod';
import { IntegrationFieldError, type IntegrationFieldProblem } from './integration-errors';
import { HDE_ACCOUNT_LIMIT_PER_MINUTE, MAX_STALE_AFTER_MS } from './integration-limits';

/** The problem of each patch field that has words of its own, by the zod issue met. */
const PROBLEM_OF: Record<string, (issue: z.core.$ZodIssue) => IntegrationFieldProblem> = {
  rateLimitPerMinute: () => 'rate_limit_out_of_range',
  staleAfterMs: () => 'stale_after_out_of_range',
  kbSyncCategoryIds: () => 'kb_category_ids_invalid',
  kbSyncAccess: (issue) => (issue.code === 'too_small' ? 'kb_access_empty' : 'kb_access_unknown'),
};

/** What the messages say the bounds are. */
const DETAILS = {
  min: 1,
  max: HDE_ACCOUNT_LIMIT_PER_MINUTE,
  maxSeconds: MAX_STALE_AFTER_MS / 1000,
  maxMs: MAX_STALE_AFTER_MS,
} as const;

/**
 * The refusal of an integration patch that failed on a field with words of its own, naming the field
 * and what is wrong (never the value typed); undefined for other fields, which stay a plain 400.
 */
export function patchProblem(error: z.ZodError): IntegrationFieldError | undefined {
  for (const issue of error.issues) {
    const field = issue.path[0];
    const problem = typeof field === 'string' ? PROBLEM_OF[field] : undefined;
    if (problem && typeof field === 'string') return new IntegrationFieldError(field, problem(issue), { ...DETAILS });
  }
  return undefined;
}

/** The refusal of a requests-per-minute limit above HDE's account limit (see `updateIntegrationSettings`). */
export function rateLimitProblem(): IntegrationFieldError {
  return new IntegrationFieldError('rateLimitPerMinute', 'rate_limit_out_of_range', { ...DETAILS });
}
