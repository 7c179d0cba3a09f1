// The bound the CLI's setup checks too: one place.
export { HDE_ACCOUNT_LIMIT_PER_MINUTE, MAX_RATE_LIMIT_PER_MINUTE } from '@repo/domain';

/** The longest the bot may trust what webhooks told it of a ticket before reading it again (a day). */
export const MAX_STALE_AFTER_MS = 24 * 3600_000;
