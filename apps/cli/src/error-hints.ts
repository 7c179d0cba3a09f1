import { AppError } from '@repo/domain';

/** What to do about a refused HDE address, told to whoever runs the command (the operator). */
const PRIVATE_NETWORK_HINT =
  'An on-premises HDE on a private network, or the HDE simulator, needs HDE_ALLOW_PRIVATE_NETWORK=true in the environment; ' +
  'a cloud HDE account is reached at its https address (https://<account>.helpdeskeddy.com).';

/**
 * The advice that goes with a command's failure, if it has one: the HDE address refused for being
 * http, a private host, or one resolving to a private address (the guard the apps share), which only
 * `HDE_ALLOW_PRIVATE_NETWORK` changes. The admin app words the same refusals for its own users.
 */
export function hintFor(error: unknown): string | undefined {
  if (!(error instanceof AppError)) return undefined;
  if (error.code === 'hde_client_config' && /must use https|private, loopback or link-local/.test(error.message))
    return PRIVATE_NETWORK_HINT;
  const cause = (error as { cause?: unknown }).cause;
  if (cause && typeof cause === 'object' && (cause as { code?: unknown }).code === 'EPRIVATEADDR') return PRIVATE_NETWORK_HINT;
  return undefined;
}
