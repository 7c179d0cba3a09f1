/**
 * The most requests per minute an integration may be given: HDE's documented limit for a whole
 * account. Over it HDE answers 429 and then bans the account for a while.
 */
export const HDE_ACCOUNT_LIMIT_PER_MINUTE = 300;
