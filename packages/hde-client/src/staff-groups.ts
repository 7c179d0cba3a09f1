import { isHdeApiError } from './hde-api.error';
import type { HdeClient } from './hde-client';

/**
 * HDE's built-in staff groups: administrators (2, in the PHP SDK's samples) and agents (3, by the
 * same numbering). An account may group its staff further («Вторая линия»), each group with its own id.
 */
export const BUILT_IN_STAFF_GROUP_IDS: readonly number[] = [2, 3];

/**
 * A refusal that asking again would not change reads as "nothing learnt"; anything passing (a
 * paused account, a timeout) is thrown, so a caller does not keep a list made without it.
 */
function lastingFailureAsNothing(error: unknown): undefined {
  if (isHdeApiError(error) && !error.retryable) return undefined;
  throw error;
}

/** Known staff users whose groups are read when `GET /groups/` is not answered (each is one call). */
const MAX_KNOWN_STAFF_READ = 5;

/**
 * Ids of the account's staff groups, for `group_list` filters of the user list (so agents are not
 * lost behind pages of clients). From `GET /groups/` where the account answers it; that path is seen
 * only in a public SDK, so where it is missing (404, 400 or an unreadable answer) the ids are put
 * together from what can be seen: the built-in groups, the groups of staff users the caller knows
 * (the bot account, the configured hand-off agent) and those of the staff on the first page of the
 * unfiltered user list, where the accounts made when the help desk was set up come first. Without
 * the last two, every agent of a group the account created would be missing from the hand-off
 * choices and from least-loaded hand-offs. At most {@link MAX_KNOWN_STAFF_READ} + 2 calls.
 */
export async function staffGroupIds(
  hde: Pick<HdeClient, 'listUserGroups' | 'getUser' | 'listUsers'>,
  knownStaff: readonly number[] = [],
): Promise<number[]> {
  try {
    const staff = (await hde.listUserGroups()).filter((g) => g.type === 'staff').map((g) => g.id);
    if (staff.length > 0) return staff;
  } catch (error) {
    if (!(isHdeApiError(error) && (error.reason === 'not_found' || error.reason === 'bad_request' || error.reason === 'invalid_response')))
      throw error;
  }
  const ids = new Set(BUILT_IN_STAFF_GROUP_IDS);
  for (const id of [...new Set(knownStaff)].slice(0, MAX_KNOWN_STAFF_READ)) {
    // A known user who cannot be read (deleted, no right to read users) just adds nothing.
    const user = await hde.getUser(id).catch(lastingFailureAsNothing);
    if (user?.group?.type === 'staff') ids.add(user.group.id);
  }
  const first = await hde.listUsers({ page: 1 }).catch(lastingFailureAsNothing);
  for (const user of first?.items ?? []) if (user.group?.type === 'staff') ids.add(user.group.id);
  return [...ids];
}
