import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';

/**
 * Starts one busy-looping process per core, so the apps compete for CPU the whole time (as on a
 * host shared with noisy neighbours). Returns a function that stops them.
 */
export function starveCpu(processes = availableParallelism()): () => void {
  const spinners: ChildProcess[] = [];
  for (let i = 0; i < processes; i += 1) spinners.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
  return () => {
    for (const s of spinners) s.kill('SIGKILL');
  };
}
