import { mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger } from '@repo/logger';
import { openSpool, type SpoolRecord } from './spool';

const logger = createLogger({ service: 'test', silent: true });
const idOf = (r: SpoolRecord) => (r.kind === 'event' ? r.id : r.tokenHash);

function record(n: number): SpoolRecord {
  return {
    kind: 'event',
    id: `e${String(n).padStart(16, '0')}`,
    integrationId: '00000000-0000-4000-8000-000000000000',
    ticketId: n,
    source: 'webhook',
    parseStatus: 'ok',
    payload: { v: 2 },
    rawBodyBase64: null,
    contentType: 'application/json',
    receivedAt: new Date().toISOString(),
    enqueue: true,
  };
}

describe('spool', () => {
  it('loses nothing when appends and replays interleave', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'spool-'));
    const spool = await openSpool(dir, logger);
    const delivered = new Set<string>();
    const deliver = async (r: SpoolRecord) => {
      delivered.add(idOf(r));
    };
    const appends: Promise<void>[] = [];
    const replays: Promise<unknown>[] = [];
    for (let i = 0; i < 300; i += 1) {
      appends.push(spool.append(record(i)));
      if (i % 37 === 0) replays.push(spool.replay(deliver));
    }
    await Promise.all(appends);
    await Promise.all(replays);
    await spool.replay(deliver);
    expect(delivered.size).toBe(300);
    expect(readdirSync(dir)).toEqual([]);
    await spool.close();
  });

  it('writes concurrent appends with one write per batch, all readable', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'spool-'));
    const spool = await openSpool(dir, logger);
    await Promise.all(Array.from({ length: 500 }, (_, i) => spool.append(record(i))));
    const [file] = readdirSync(dir);
    const lines = readFileSync(path.join(dir, file!), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(500);
    expect(new Set(lines.map((l) => (JSON.parse(l) as { id: string }).id)).size).toBe(500);
    await spool.close();
  });

  it('keeps records whose replay failed and replays them later', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'spool-'));
    const spool = await openSpool(dir, logger);
    await spool.append(record(1));
    await spool.append(record(2));
    const first = await spool.replay(async () => {
      throw new Error('Redis still down');
    });
    expect(first).toEqual({ replayed: 0, failed: 2, quarantined: 0 });
    const seen: string[] = [];
    expect(await spool.replay(async (r) => void seen.push(idOf(r)))).toEqual({ replayed: 2, failed: 0, quarantined: 0 });
    expect(seen).toHaveLength(2);
    await spool.close();
  });

  it('D9 a spool record failing twice with the same deterministic error is quarantined, not replayed forever; the others are kept', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'spool-'));
    const quarantined: string[] = [];
    const spool = await openSpool(dir, logger, {
      classifyFailure: (e) => ({ code: (e as Error).message, deterministic: (e as Error).message === 'bad_row' }),
      onQuarantine: async (r, code) => void quarantined.push(`${idOf(r)}:${code}`),
    });
    await spool.append(record(1));
    await spool.append(record(2));
    const failing = async (r: SpoolRecord) => {
      if (idOf(r) === idOf(record(1))) throw new Error('bad_row');
      throw new Error('timeout');
    };
    expect(await spool.replay(failing)).toEqual({ replayed: 0, failed: 2, quarantined: 0 });
    expect(await spool.replay(failing)).toEqual({ replayed: 0, failed: 2, quarantined: 1 });
    expect(quarantined).toEqual([`${idOf(record(1))}:bad_row`]);
    // The quarantined record is kept on disk, out of the replay.
    const qfile = readdirSync(dir).find((n) => n.startsWith('quarantine-'));
    expect(readFileSync(path.join(dir, qfile!), 'utf8')).toContain(idOf(record(1)));
    const seen: string[] = [];
    await spool.replay(async (r) => void seen.push(idOf(r)));
    expect(seen).toEqual([idOf(record(2))]);
    await spool.close();
  });

  it('replays what an earlier process of this host left behind', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'spool-'));
    const earlier = await openSpool(dir, logger);
    await earlier.append(record(7));
    await earlier.close();
    const later = await openSpool(dir, logger);
    const seen: string[] = [];
    await later.replay(async (r) => void seen.push(idOf(r)));
    expect(seen).toEqual([idOf(record(7))]);
    await later.close();
  });

  it('reclaims the file of a process that died while replaying it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'spool-'));
    const host = hostname().replace(/[^a-zA-Z0-9_.]/g, '_');
    // pid 2^22+7 is above Linux's default pid_max, so no live process has it.
    const deadPid = 4_194_311;
    const name = `spool-${host}-${deadPid}-1-1.jsonl.replaying-${deadPid}`;
    writeFileSync(path.join(dir, name), `${JSON.stringify(record(1))}\n${JSON.stringify(record(2))}\n`);
    const spool = await openSpool(dir, logger);
    const seen: string[] = [];
    await spool.replay(async (r) => void seen.push(idOf(r)));
    expect(seen.sort()).toEqual([idOf(record(1)), idOf(record(2))].sort());
    expect(readdirSync(dir)).toEqual([]);
    await spool.close();
  });

  it('never claims a file a live process is replaying', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'spool-'));
    const host = hostname().replace(/[^a-zA-Z0-9_.]/g, '_');
    const live = process.ppid;
    const name = `spool-${host}-${live}-1-1.jsonl`;
    writeFileSync(path.join(dir, name), `${JSON.stringify(record(1))}\n`);
    renameSync(path.join(dir, name), path.join(dir, `${name}.replaying-${live}`));
    const spool = await openSpool(dir, logger);
    const seen: string[] = [];
    await spool.replay(async (r) => void seen.push(idOf(r)));
    expect(seen).toEqual([]);
    await spool.close();
  });
});
