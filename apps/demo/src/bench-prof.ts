import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import path from 'node:path';
import { REPO_ROOT } from './processes';

/** Where a bench run's CPU profiles go: var/prof/<bench>-<time>/. */
export function profileDir(bench: string): string {
  const dir = path.join(REPO_ROOT, 'var', 'prof', `${bench}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Node options that make a child app write a V8 CPU profile (`*.cpuprofile`, open it in Chrome
 * DevTools or speedscope) into `dir` when it exits (not allowed in NODE_OPTIONS, so passed as args).
 */
export function profileArgs(dir: string | undefined): string[] {
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

/** Profiles this process from now on; `stop` writes `<name>.cpuprofile` into `dir`. */
export function profileSelf(dir: string, name: string): { stop(): Promise<void> } {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))),
    );
  const started = post('Profiler.enable').then(() => post('Profiler.start'));
  return {
    async stop() {
      await started;
      const { profile } = (await post('Profiler.stop')) as { profile: unknown };
      writeFileSync(path.join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
      session.disconnect();
    },
  };
}
