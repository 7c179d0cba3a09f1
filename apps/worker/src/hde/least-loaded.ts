import { staffGroupIds, type HdeClient } from '@repo/hde-client';

/**
 * Agents counted one ticket list each. A larger department is counted from the open tickets
 * themselves ({@link OWNER_FALLBACK_PAGES} lists), so a hand-off never costs more than about twenty
 * HDE calls of the account's 300 a minute, however large the team.
 */
export const PER_AGENT_COUNT_MAX = 10;

/**
 * The active agent of a department with the fewest open tickets (every non-closed status counts).
 * Lists staff groups only (`group_list`), so agents are not lost behind pages of clients. Costs the
 * group list, one user list per page and one ticket list per agent (up to
 * {@link PER_AGENT_COUNT_MAX} agents; a listing of open tickets beyond), so it is only used for
 * hand-offs configured to spread the load.
 */
export async function leastLoadedAgent(
  hde: Pick<HdeClient, 'listUsers' | 'listTickets' | 'listUserGroups' | 'getUser' | 'listStatuses'>,
  departmentId: number,
  excludeUserIds: number[],
  /** Other users known to be staff (the configured hand-off agent), whose groups count as staff groups. */
  knownStaff: number[] = [],
): Promise<number | undefined> {
  const groupList = await staffGroupIds(hde, [...excludeUserIds, ...knownStaff]);
  const agents: number[] = [];
  for (let page = 1; page <= 5; page += 1) {
    const users = await hde.listUsers({ page, groupList });
    for (const u of users.items) {
      if (u.isStaff && u.status === 'active' && u.departmentIds.includes(departmentId) && !excludeUserIds.includes(u.id)) agents.push(u.id);
    }
    if (page >= users.pagination.totalPages) break;
  }
  if (agents.length === 0) return undefined;
  const statusList = (await hde.listStatuses()).map((s) => s.id).filter((id) => id !== 'closed');
  if (agents.length > PER_AGENT_COUNT_MAX) return leastLoadedByListing(hde, agents, statusList);
  const loads = new Map<number, number>();
  for (const id of agents) {
    const open = await hde.listTickets({ ownerList: [id], statusList });
    // `owner_list` is reported as not always honoured: a page holding another owner's ticket means
    // the total counts everyone's, which would make every agent look equally busy.
    if (open.items.some((t) => t.ownerId !== id)) return leastLoadedByListing(hde, agents, statusList);
    loads.set(id, open.pagination.total);
  }
  return fewest(agents, loads);
}

/** Pages of open tickets read when `owner_list` is not honoured: an estimate from the newest ones. */
const OWNER_FALLBACK_PAGES = 5;

/**
 * The least-loaded agent counted from the account's open tickets themselves (the newest
 * {@link OWNER_FALLBACK_PAGES} pages), for accounts whose ticket list ignores `owner_list`.
 */
async function leastLoadedByListing(
  hde: Pick<HdeClient, 'listTickets'>,
  agents: number[],
  statusList: string[],
): Promise<number | undefined> {
  const loads = new Map<number, number>(agents.map((id) => [id, 0]));
  for (let page = 1; page <= OWNER_FALLBACK_PAGES; page += 1) {
    const open = await hde.listTickets({ statusList, page });
    for (const t of open.items) if (t.ownerId !== null && loads.has(t.ownerId)) loads.set(t.ownerId, loads.get(t.ownerId)! + 1);
    if (page >= open.pagination.totalPages) break;
  }
  return fewest(agents, loads);
}

/** The first of `agents` with the smallest load. */
function fewest(agents: number[], loads: ReadonlyMap<number, number>): number | undefined {
  let best: { id: number; load: number } | undefined;
  for (const id of agents) {
    const load = loads.get(id) ?? 0;
    if (!best || load < best.load) best = { id, load };
  }
  return best?.id;
}
