import type { DirectoryEntry } from './hde-directory.service';
import { IntegrationFieldError } from './integration-errors';

/** Who gets handed-off tickets, as configured. */
export type HandoffChoice = { target: 'agent' | 'department' | 'least_loaded'; departmentId: number | null; agentId: number | null };

/**
 * Refuses a hand-off that leads nowhere: `agent` needs the agent, `department` and `least_loaded`
 * need the department, and a department must be one of the account's departments in HDE. When HDE's
 * departments cannot be read (`departments` gives undefined) the id is taken as typed: HDE being down
 * must not block saving other settings.
 */
export async function checkHandoffChoice(
  choice: HandoffChoice,
  departments: (fresh: boolean) => Promise<DirectoryEntry[] | undefined>,
): Promise<void> {
  if (choice.target === 'agent' && choice.agentId === null) throw new IntegrationFieldError('handoffAgentId', 'handoff_agent_missing');
  if (choice.target !== 'agent' && choice.departmentId === null)
    throw new IntegrationFieldError('handoffDepartmentId', 'handoff_department_missing');
  if (choice.departmentId === null) return;
  const has = (list: DirectoryEntry[] | undefined) => !list || list.some((d) => d.id === choice.departmentId);
  // A department created in HDE a moment ago is not in a cached list yet: read again before refusing.
  if (has(await departments(false)) || has(await departments(true))) return;
  throw new IntegrationFieldError('handoffDepartmentId', 'handoff_department_unknown', { id: choice.departmentId });
}
