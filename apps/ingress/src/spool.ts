import { promises as fs } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import type { Logger } from '@repo/logger';

/** What the spool keeps of one accepted event: enough to store and enqueue it later. */
export type SpoolRecord = {
  eventId: string;
  integrationId: string;
  ticketId: number | null;
  parseStatus: 'ok' | 'salvaged' | 'unparseable';
  payload: Record<string, unknown> | null;
  rawBodyBase64: string | null;
  contentType: string | null;
  receivedAt: string;
};

/**
 * An append-only local file that keeps accepted webhooks while Redis or PostgreSQL is unavailable.
 * Every append is fsynced before the webhook is answered, so a 200 means the event is on disk.
 * Each process writes its own file; replay claims whole files by renaming them, so several
 * processes sharing the folder (or one restarted after a crash) never replay a file twice.
 */
export type Spool = {
  append(record: SpoolRecord): Promise<void>;
  /** Replays every spooled record through `deliver`; records that still fail are spooled again. */
  replay(deliver: (record: SpoolRecord) => Promise<void>): Promise<{ replayed: number; failed: number }>;
  /** Records waiting in this process's file (approximate, for metrics). */
  depth(): number;
  close(): Promise<void>;
};

const HOST = hostname().replace(/[^a-zA-Z0-9_.]/g, '_');
/** Another host's file is presumed abandoned when untouched this long. */
const FOREIGN_FILE_AGE_MS = 10 * 60_000;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether this process may replay a spool file: its own closed files, files of dead processes of
 * this host, and files of other hosts left untouched for a while. A file another live process still
 * appends to is never claimed, so no line can be written after it was read.
 */
async function mayClaim(dir: string, name: string): Promise<boolean> {
  const match = /^spool-(.+)-(\d+)-\d+-\d+\.jsonl$/.exec(name);
  if (!match) return false;
  const [, host, pid] = match;
  if (host === HOST) return Number(pid) === process.pid || !isAlive(Number(pid));
  const stat = await fs.stat(path.join(dir, name)).catch(() => undefined);
  return stat !== undefined && Date.now() - stat.mtimeMs > FOREIGN_FILE_AGE_MS;
}

/** Opens the spool in a folder (created with mode 0700: it may hold customer text). */
export async function openSpool(dir: string, logger: Logger): Promise<Spool> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  let generation = 0;
  let handle: fs.FileHandle | undefined;
  // The file being appended to; replay never claims it, so no line can land in a claimed file.
  let currentFile: string | undefined;
  let pending = 0;
  let chain: Promise<unknown> = Promise.resolve();

  // Every operation on the file handle runs in this one chain: an append must never meet a close.
  const serial = <T>(operation: () => Promise<T>): Promise<T> => {
    const next = chain.then(operation);
    chain = next.catch(() => undefined);
    return next;
  };

  const append = (record: SpoolRecord): Promise<void> =>
    serial(async () => {
      if (!handle) {
        generation += 1;
        currentFile = `spool-${HOST}-${process.pid}-${Date.now()}-${generation}.jsonl`;
        handle = await fs.open(path.join(dir, currentFile), 'a', 0o600);
      }
      await handle.write(`${JSON.stringify(record)}\n`);
      await handle.datasync();
      pending += 1;
    });

  const closeHandle = () =>
    serial(async () => {
      const current = handle;
      handle = undefined;
      currentFile = undefined;
      pending = 0;
      await current?.close();
    });

  return {
    append,
    async replay(deliver) {
      let replayed = 0;
      let failed = 0;
      // Close our file first so it is complete (later appends open a new one), then claim every
      // spool file of the folder.
      await closeHandle();
      const names = (await fs.readdir(dir)).filter((n) => n.startsWith('spool-') && n.endsWith('.jsonl') && n !== currentFile);
      for (const name of names) {
        if (!(await mayClaim(dir, name))) continue;
        const claimed = path.join(dir, `${name}.replaying-${process.pid}`);
        try {
          await fs.rename(path.join(dir, name), claimed);
        } catch {
          continue; // another process claimed it
        }
        const lines = (await fs.readFile(claimed, 'utf8')).split('\n').filter((l) => l.trim() !== '');
        for (const line of lines) {
          let record: SpoolRecord;
          try {
            record = JSON.parse(line) as SpoolRecord;
          } catch {
            logger.error('Spool line unreadable', { file: name });
            continue;
          }
          try {
            await deliver(record);
            replayed += 1;
          } catch (error) {
            failed += 1;
            logger.warn('Spool replay failed for event', { eventId: record.eventId, error });
            await append(record);
          }
        }
        await fs.unlink(claimed);
      }
      if (replayed > 0 || failed > 0) logger.info('Spool replayed', { replayed, failed });
      return { replayed, failed };
    },
    depth: () => pending,
    close: closeHandle,
  };
}
