/**
 * The most requests per minute an integration may be given: HDE's documented limit for a whole
 * account. Over it HDE answers 429 and then bans the account for a while.
 */
export const HDE_ACCOUNT_LIMIT_PER_MINUTE = 300;

/** Whether `n` can be an integration's requests-per-minute limit: a whole number from 1 to HDE's. */
export const isValidRateLimit = (n: number): boolean => Number.isInteger(n) && n >= 1 && n <= HDE_ACCOUNT_LIMIT_PER_MINUTE;
