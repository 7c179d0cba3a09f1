import { promises as fs } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import type { Logger } from '@repo/logger';

/**
 * What the spool keeps of one accepted webhook: either the record the intake would have stored
 * (`event`), or — when the token could not be checked in time — the raw body with the token's hash
 * (`unverified`), resolved at replay. `failures` counts replays that failed with the same error.
 */
export type SpoolRecord =
  | {
      kind: 'event';
      id: string;
      integrationId: string;
      ticketId: number | null;
      source: 'webhook' | 'sweep' | 'spool' | 'manual';
      parseStatus: 'ok' | 'salvaged' | 'unparseable';
      payload: Record<string, unknown> | null;
      rawBodyBase64: string | null;
      contentType: string | null;
      receivedAt: string;
      enqueue: boolean;
      failures?: SpoolFailures;
    }
  | {
      kind: 'unverified';
      /** sha256 of the webhook token, hex: the token itself never lands on disk. */
      tokenHash: string;
      rawBodyBase64: string;
      contentType: string | null;
      receivedAt: string;
      failures?: SpoolFailures;
    };

/** How often a record failed to replay with the same error code. */
export type SpoolFailures = { code: string; count: number };

/** A replay failure, as the deliver function reports it. */
export type ReplayFailure = { code: string; deterministic: boolean };

/** What replay does with one record. */
export type ReplayDeliver = (record: SpoolRecord) => Promise<void>;

/**
 * Local durable spool of accepted webhooks for when PostgreSQL or Redis is unavailable. A record is
 * appended and fsynced before the webhook is answered; concurrent appends share one write and one
 * fsync (group commit). Replay claims whole files by renaming them; a record leaves the spool only
 * once it is stored (or re-spooled, or quarantined), and the files of a process that died while
 * replaying (`*.replaying-<pid>`) are claimed again by the next replay, so `kill -9` loses nothing.
 */
export type Spool = {
  append(record: SpoolRecord): Promise<void>;
  /** Replays every claimable record through `deliver`; failures are spooled again or quarantined. */
  replay(deliver: ReplayDeliver): Promise<{ replayed: number; failed: number; quarantined: number }>;
  /** Records appended by this process and not yet replayed (approximate, for metrics). */
  depth(): number;
  close(): Promise<void>;
};

/** Options of {@link openSpool}. */
export type SpoolOptions = {
  /** Classifies a replay failure; deterministic ones are quarantined when they repeat. */
  classifyFailure?: (error: unknown) => ReplayFailure;
  /** Called once per quarantined record (e.g. to show it in the webhook log); failures are ignored. */
  onQuarantine?: (record: SpoolRecord, code: string) => Promise<void>;
  /** Identical deterministic failures after which a record is quarantined (default 2). */
  quarantineAfter?: number;
  /** Records delivered concurrently during replay (they are group-committed by the intake). */
  replayConcurrency?: number;
};

const HOST = hostname().replace(/[^a-zA-Z0-9_.]/g, '_');
/** Another host's file is presumed abandoned when untouched this long. */
const FOREIGN_FILE_AGE_MS = 10 * 60_000;
const SPOOL_FILE = /^spool-(.+)-(\d+)-\d+-\d+\.jsonl(?:\.replaying-(\d+))?$/;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const defaultClassify = (error: unknown): ReplayFailure => ({
  code: (error as { code?: unknown })?.code ? String((error as { code: unknown }).code) : 'error',
  deterministic: false,
});

/** Opens the spool in a folder (created with mode 0700: it may hold customer text). */
export async function openSpool(dir: string, logger: Logger, options: SpoolOptions = {}): Promise<Spool> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const classifyFailure = options.classifyFailure ?? defaultClassify;
  const quarantineAfter = Math.max(1, options.quarantineAfter ?? 2);
  const replayConcurrency = Math.max(1, options.replayConcurrency ?? 200);
  let generation = 0;
  let handle: fs.FileHandle | undefined;
  // The file being appended to; replay never claims it, so no line can land in a claimed file.
  let currentFile: string | undefined;
  let pending = 0;
  let chain: Promise<unknown> = Promise.resolve();
  let queued: Array<{ line: string; resolve: () => void; reject: (e: unknown) => void }> = [];
  let flushScheduled = false;

  // Every operation on the file handle runs in this one chain: an append must never meet a close.
  const serial = <T>(operation: () => Promise<T>): Promise<T> => {
    const next = chain.then(operation);
    chain = next.catch(() => undefined);
    return next;
  };

  /** Writes every queued line with one write and one fsync. */
  const flush = () =>
    serial(async () => {
      flushScheduled = false;
      const batch = queued;
      queued = [];
      if (batch.length === 0) return;
      try {
        if (!handle) {
          generation += 1;
          currentFile = `spool-${HOST}-${process.pid}-${Date.now()}-${generation}.jsonl`;
          handle = await fs.open(path.join(dir, currentFile), 'a', 0o600);
        }
        await handle.write(batch.map((b) => b.line).join(''));
        await handle.datasync();
        pending += batch.length;
        for (const b of batch) b.resolve();
      } catch (error) {
        for (const b of batch) b.reject(error);
      }
    });

  const append = (record: SpoolRecord): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      queued.push({ line: `${JSON.stringify(record)}\n`, resolve, reject });
      // Appends arriving while a write is in progress join the next write: one fsync per batch.
      if (!flushScheduled) {
        flushScheduled = true;
        void flush();
      }
    });

  const closeHandle = () =>
    serial(async () => {
      const current = handle;
      handle = undefined;
      currentFile = undefined;
      pending = 0;
      await current?.close();
    });

  /** Appends quarantined records to this host's quarantine file, durably. */
  async function quarantine(records: SpoolRecord[]): Promise<void> {
    if (records.length === 0) return;
    const file = path.join(dir, `quarantine-${HOST}.jsonl`);
    const fh = await fs.open(file, 'a', 0o600);
    try {
      await fh.write(records.map((r) => `${JSON.stringify(r)}\n`).join(''));
      await fh.datasync();
    } finally {
      await fh.close();
    }
  }

  /**
   * Whether this process may claim a file: its own closed files, files (or interrupted replays) of
   * dead processes of this host, and files of other hosts left untouched for a while. A file a live
   * process still appends to or replays is never claimed.
   */
  async function mayClaim(name: string): Promise<boolean> {
    const match = SPOOL_FILE.exec(name);
    if (!match) return false;
    const [, host, writerPid, replayerPid] = match;
    const owner = Number(replayerPid ?? writerPid);
    if (host === HOST) {
      // Our own interrupted replay cannot exist while we run one at a time; an old pid reused by us
      // is treated as ours.
      if (replayerPid !== undefined) return owner === process.pid || !isAlive(owner);
      return owner === process.pid || !isAlive(owner);
    }
    const stat = await fs.stat(path.join(dir, name)).catch(() => undefined);
    return stat !== undefined && Date.now() - stat.mtimeMs > FOREIGN_FILE_AGE_MS;
  }

  async function replayFile(claimed: string, deliver: ReplayDeliver, totals: { replayed: number; failed: number; quarantined: number }) {
    const text = await fs.readFile(claimed, 'utf8');
    const records: SpoolRecord[] = [];
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      try {
        records.push(JSON.parse(line) as SpoolRecord);
      } catch {
        // A torn last line (a crash during the write that was never acknowledged) is the only way here.
        logger.error('Spool line unreadable', { file: path.basename(claimed) });
      }
    }
    const again: SpoolRecord[] = [];
    const toQuarantine: Array<{ record: SpoolRecord; code: string }> = [];
    for (let start = 0; start < records.length; start += replayConcurrency) {
      const chunk = records.slice(start, start + replayConcurrency);
      const results = await Promise.allSettled(chunk.map((r) => deliver(r)));
      results.forEach((result, i) => {
        const record = chunk[i]!;
        if (result.status === 'fulfilled') {
          totals.replayed += 1;
          return;
        }
        totals.failed += 1;
        const failure = classifyFailure(result.reason);
        const count = record.failures?.code === failure.code ? record.failures.count + 1 : 1;
        const next = { ...record, failures: { code: failure.code, count } } as SpoolRecord;
        if (failure.deterministic && count >= quarantineAfter) toQuarantine.push({ record: next, code: failure.code });
        else again.push(next);
        logger.warn('Spool replay failed for event', { code: failure.code, deterministic: failure.deterministic, count });
      });
    }
    // Only once every record is stored, re-spooled or quarantined does the claimed file go.
    await Promise.all(again.map((r) => append(r)));
    await quarantine(toQuarantine.map((q) => q.record));
    totals.quarantined += toQuarantine.length;
    for (const q of toQuarantine) {
      logger.error('Spooled event quarantined after repeated identical failures', { code: q.code });
      await options.onQuarantine?.(q.record, q.code).catch(() => undefined);
    }
    await fs.unlink(claimed);
  }

  // Replays of this process run one after another: an own `.replaying-<pid>` file is then always
  // the leftover of a replay that stopped half-way, never one being read right now.
  let replays: Promise<unknown> = Promise.resolve();

  return {
    append,
    replay(deliver) {
      const run = replays.then(() => replayAll(deliver));
      replays = run.catch(() => undefined);
      return run;
    },
    depth: () => pending,
    close: async () => {
      if (queued.length > 0) await flush();
      await closeHandle();
    },
  };

  /** Claims and replays every claimable file of the folder. */
  async function replayAll(deliver: ReplayDeliver) {
    const totals = { replayed: 0, failed: 0, quarantined: 0 };
    // Close our file first so it is complete (later appends open a new one), then claim every
    // claimable spool file of the folder, interrupted replays included.
    await closeHandle();
    const names = (await fs.readdir(dir)).filter((n) => n.startsWith('spool-') && n !== currentFile);
    for (const name of names) {
      if (!(await mayClaim(name))) continue;
      const base = name.replace(/\.replaying-\d+$/, '');
      const claimed = path.join(dir, `${base}.replaying-${process.pid}`);
      if (path.join(dir, name) !== claimed) {
        try {
          await fs.rename(path.join(dir, name), claimed);
        } catch {
          continue; // another process claimed it
        }
      }
      await replayFile(claimed, deliver, totals);
    }
    if (totals.replayed > 0 || totals.failed > 0) logger.info('Spool replayed', totals);
    return totals;
  }
}
