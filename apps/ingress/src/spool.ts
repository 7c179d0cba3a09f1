import { promises as fs } from 'node:fs';
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

/** Opens the spool in a folder (created with mode 0700: it may hold customer text). */
export async function openSpool(dir: string, logger: Logger): Promise<Spool> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, `spool-${process.pid}-${Date.now()}.jsonl`);
  let handle: fs.FileHandle | undefined;
  let pending = 0;
  let chain: Promise<unknown> = Promise.resolve();

  const append = (record: SpoolRecord): Promise<void> => {
    const next = chain.then(async () => {
      handle ??= await fs.open(file, 'a', 0o600);
      await handle.write(`${JSON.stringify(record)}\n`);
      await handle.datasync();
      pending += 1;
    });
    chain = next.catch(() => undefined);
    return next;
  };

  return {
    append,
    async replay(deliver) {
      let replayed = 0;
      let failed = 0;
      // Close our file first so it is complete, then claim every spool file of the folder.
      await chain;
      if (handle) {
        await handle.close();
        handle = undefined;
      }
      pending = 0;
      const names = (await fs.readdir(dir)).filter((n) => n.startsWith('spool-') && n.endsWith('.jsonl'));
      for (const name of names) {
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
    async close() {
      await chain;
      await handle?.close();
      handle = undefined;
    },
  };
}
