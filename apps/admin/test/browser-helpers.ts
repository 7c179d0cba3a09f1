/// <reference lib="dom" />
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Page } from 'playwright-core';

/** Debian's Chromium, driven by playwright-core. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Flags for a headless Chromium in a container. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
export const REPO = path.resolve(__dirname, '..', '..', '..');
/** Where browser tests leave screenshots (git-ignored). */
export const OUTPUT_DIR = path.join(__dirname, '..', 'test-output');

/** Whether Chromium and the built apps are there; under CI a missing one is an error, never a skip. */
export function browserPrerequisites(): boolean {
  const ready =
    existsSync(CHROMIUM) &&
    existsSync(path.join(REPO, 'apps', 'ingress', 'dist', 'main.js')) &&
    existsSync(path.join(REPO, 'apps', 'worker', 'dist', 'main.js'));
  if (!ready && process.env.CI === 'true') {
    throw new Error(`Browser test prerequisites missing: ${!existsSync(CHROMIUM) ? CHROMIUM : 'apps/*/dist (run the build)'}`);
  }
  return ready;
}

/** A free TCP port on loopback. */
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

/** Starts a built app as a child process; `npm test` builds them first. */
export function startBuilt(name: 'ingress' | 'worker', env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [path.join(REPO, 'apps', name, 'dist', 'main.js')], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString('utf8')));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString('utf8')));
  return { child, output: () => output };
}

/** Stops a child process and waits for it to exit. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Reloads `url` until `selector` appears (the pipeline runs in other processes). */
export async function reloadUntil(page: Page, url: string, selector: string, tries = 80): Promise<void> {
  for (let i = 0; i < tries; i += 1) {
    await page.goto(url);
    if ((await page.locator(selector).count()) > 0) return;
    await page.waitForTimeout(500);
  }
  throw new Error(`${selector} did not appear on ${url}`);
}

/** Whether the page fits its viewport without horizontal scrolling. */
export async function horizontalOverflow(page: Page): Promise<{ scrollWidth: number; innerWidth: number }> {
  return page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
}
