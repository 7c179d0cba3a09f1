import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Proves the spool folder can take a file: creates it if missing, then writes and removes a probe.
 * Rejects with a message naming `SPOOL_DIR` and the reason (a root-owned volume mounted over a path
 * the image did not create is the usual one).
 */
export async function checkSpoolWritable(dir: string): Promise<void> {
  const probe = path.join(dir, `.write-check-${process.pid}`);
  try {
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    await fs.writeFile(probe, 'ok', { mode: 0o600 });
    await fs.rm(probe, { force: true });
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'error';
    const uid = typeof process.getuid === 'function' ? ` by uid ${process.getuid()}` : '';
    throw new Error(`SPOOL_DIR: the spool folder cannot be written${uid} (${code}); give it to the user that runs the ingress`, {
      cause: error,
    });
  }
}
