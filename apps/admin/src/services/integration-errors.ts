import { HttpError } from '../errors';
import type { MessageKey } from '../i18n/messages';
import type { HdeDirectory } from './hde-directory.service';

/** What is wrong with a field of the integration forms (the code is also the API's `error`). */
export type IntegrationFieldProblem =
  | 'handoff_agent_missing'
  | 'handoff_department_missing'
  | 'handoff_department_unknown'
  | 'api_key_empty'
  | 'api_key_rejected'
  | 'hde_unreachable'
  | 'rate_limit_out_of_range'
  | 'stale_after_out_of_range'
  | 'kb_category_ids_invalid'
  | 'kb_access_empty'
  | 'kb_access_unknown';

/** The words of each problem (placeholders filled from the error's details). */
export const PROBLEM_MESSAGES: Record<IntegrationFieldProblem, MessageKey> = {
  handoff_agent_missing: 'integration.handoff_agent_missing',
  handoff_department_missing: 'integration.handoff_department_missing',
  handoff_department_unknown: 'integration.handoff_department_unknown',
  api_key_empty: 'integration.keyEmpty',
  api_key_rejected: 'integration.keyRejected',
  hde_unreachable: 'integration.keyUnreachable',
  rate_limit_out_of_range: 'integration.rateLimitOutOfRange',
  stale_after_out_of_range: 'integration.staleAfterOutOfRange',
  kb_category_ids_invalid: 'integration.kbCategoryIdsInvalid',
  kb_access_empty: 'integration.kbAccessEmpty',
  kb_access_unknown: 'integration.kbAccessUnknown',
};

/**
 * A 400 naming the form field and the problem: the pages show it beside the field, the API returns
 * the problem as its error code. Retrying the same input never helps, except `hde_unreachable`.
 */
export class IntegrationFieldError extends HttpError {
  constructor(
    readonly field: string,
    readonly problem: IntegrationFieldProblem,
    readonly details: Record<string, string | number> = {},
    /** What the form may offer instead (setup: HDE's departments and agents, read with the checked key). */
    readonly choices?: HdeDirectory,
  ) {
    // The API's `message` says what is wrong with the field, as the pages do beside it.
    super(400, problem, PROBLEM_MESSAGES[problem], details);
    this.name = 'IntegrationFieldError';
  }

  /** Whether the same input may succeed later (HDE did not answer). */
  get retryable(): boolean {
    return this.problem === 'hde_unreachable';
  }
}
