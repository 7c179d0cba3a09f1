import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { INGRESS_NODE_ARGS } from '@repo/config';
import { demoConfig } from './config';

/** The repository root, found from this file (apps/demo/dist or apps/demo/src). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** A free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** A child process of the stack, with what it printed so far. */
export type AppProcess = { name: string; child: ChildProcess; output: () => string; stop: (signal?: NodeJS.Signals) => Promise<void> };

/** V8 options each app runs with in deployment (see {@link INGRESS_NODE_ARGS}). */
export const APP_NODE_ARGS: Record<'ingress' | 'worker' | 'admin', readonly string[]> = {
  ingress: INGRESS_NODE_ARGS,
  worker: [],
  admin: [],
};

/** Starts one of the apps from its build output with the given environment, as deployed (its V8 options first). */
export function startApp(name: 'ingress' | 'worker' | 'admin', env: Record<string, string>, nodeArgs: string[] = []): AppProcess {
  const child = spawn(process.execPath, [...APP_NODE_ARGS[name], ...nodeArgs, path.join(REPO_ROOT, 'apps', name, 'dist', 'main.js')], {
    env: { PATH: demoConfig().PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (output.length > 2_000_000) output = output.slice(-1_000_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return {
    name,
    child,
    output: () => output,
    stop: (signal = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}

/** Runs the CLI to completion and returns what it printed on stdout. */
export function runCli(args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'apps', 'cli', 'dist', 'main.js'), ...args], {
      env: { PATH: demoConfig().PATH, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`cli ${args[0]} failed: ${err.trim()}`))));
  });
}

/** Waits until `probe` returns true, polling; throws with `what` after `timeoutMs`. */
export async function until(probe: () => Promise<boolean> | boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await probe()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
