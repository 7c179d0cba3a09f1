import { isPrivateNetworkRefusal } from '@repo/hde-client';

/** What to do about a refused HDE address, told to whoever runs the command (the operator). */
const PRIVATE_NETWORK_HINT =
  'An on-premises HDE on a private network, or the HDE simulator, needs HDE_ALLOW_PRIVATE_NETWORK=true in the environment; ' +
  'a cloud HDE account is reached at its https address (https://<account>.helpdeskeddy.com).';

/**
 * The advice that goes with a command's failure, if it has one: an HDE address the shared network
 * guard refused, which only `HDE_ALLOW_PRIVATE_NETWORK` changes. The admin app words the same
 * refusals for its own users.
 */
export function hintFor(error: unknown): string | undefined {
  return isPrivateNetworkRefusal(error) ? PRIVATE_NETWORK_HINT : undefined;
}
