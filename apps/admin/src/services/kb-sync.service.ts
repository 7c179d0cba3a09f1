import { QUEUES, jobIds } from '@repo/queue';
import type { AppDeps } from '../deps';

/**
 * Queues a KB sync from HDE for every integration of a skill; the worker's `sync` stage does it within
 * the account's API budget. Returns how many were queued.
 */
export async function queueKbSync(deps: AppDeps, skillId: string): Promise<number> {
  const skill = await deps.store.organizations.getSkill(skillId);
  if (!skill) return 0;
  const queue = deps.queues.find((q) => q.name === QUEUES.sync.name);
  if (!queue) return 0;
  const integrations = (await deps.store.integrations.list(skill.organizationId)).filter((i) => i.skillId === skillId && i.enabled);
  for (const integration of integrations) {
    const data = { integrationId: integration.id };
    // A slot per second: a double click queues one sync, a later click another.
    await queue.add(QUEUES.sync.job, data, { ...QUEUES.sync.defaults, jobId: jobIds.sync(data, Math.floor(Date.now() / 1000)) });
  }
  return integrations.length;
}
