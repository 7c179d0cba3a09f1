import type { HdeClient } from '@repo/hde-client';

/**
 * The active agent of a department with the fewest open tickets. Costs one user list per page plus
 * one ticket list per agent, so it is only used for hand-offs configured to spread the load.
 */
export async function leastLoadedAgent(
  hde: Pick<HdeClient, 'listUsers' | 'listTickets'>,
  departmentId: number,
  excludeUserIds: number[],
): Promise<number | undefined> {
  const agents: number[] = [];
  for (let page = 1; page <= 5; page += 1) {
    const users = await hde.listUsers({ page });
    for (const u of users.items) {
      if (u.isStaff && u.status === 'active' && u.departmentIds.includes(departmentId) && !excludeUserIds.includes(u.id)) agents.push(u.id);
    }
    if (page >= users.pagination.totalPages) break;
  }
  let best: { id: number; load: number } | undefined;
  for (const id of agents) {
    const open = await hde.listTickets({ ownerList: [id], statusList: ['open', 'process'] });
    const load = open.pagination.total;
    if (!best || load < best.load) best = { id, load };
  }
  return best?.id;
}
