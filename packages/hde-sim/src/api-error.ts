import type { HdeErrorItem } from './wire-types';

/**
 * An error the simulated HDE API answers with, in HDE's `{"errors":[{code,title,details}]}` envelope.
 * Codes follow HDE's `e-<status>` pattern seen in the wild (`e-401`); the titles are guesses.
 */
export class HdeApiError extends Error {
  readonly status: number;
  readonly item: HdeErrorItem;

  constructor(status: number, title: string, details: string, code = `e-${status}`) {
    super(`${code} ${title}: ${details}`);
    this.name = 'HdeApiError';
    this.status = status;
    this.item = { code, title, details };
  }

  /** The response body for this error. */
  get body(): { errors: HdeErrorItem[] } {
    return { errors: [this.item] };
  }
}

/** 400 for a request HDE would refuse (missing field, unknown id in the body, closed ticket…). */
export const badRequest = (details: string): HdeApiError => new HdeApiError(400, 'Bad request', details);

/** 404 for an unknown entity or route. */
export const notFound = (details: string): HdeApiError => new HdeApiError(404, 'Not found', details);

/** 401 for missing or wrong Basic credentials. */
export const unauthorized = (): HdeApiError => new HdeApiError(401, 'Unauthorized', 'Wrong email or API key');

/** The body HDE answers with while an account is banned for exceeding its request limit. */
export const bannedError = (): HdeApiError => new HdeApiError(403, 'Access denied', 'API limit exceeded, access banned', 'e-401');
