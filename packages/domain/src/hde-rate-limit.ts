/**
 * The most requests per minute an integration may be given: HDE's documented limit for a whole
 * account. Over it HDE answers 429 and then bans the account for a while.
 */
export const HDE_ACCOUNT_LIMIT_PER_MINUTE = 300;

/**
 * The requests per minute a new integration gets unless set: a sixth of HDE's account limit left for
 * the account's other API users (its own integrations, scripts). The database column's default is
 * the same number; setup and the admin app obey it before an integration exists.
 */
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 250;

/**
 * A sanity bound on any stored limit: setup may set one above HDE's account limit for an
 * on-premises HDE (with a warning), never above a thousand requests a second.
 */
export const MAX_RATE_LIMIT_PER_MINUTE = 60_000;
