import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger } from '@repo/logger';
import { openSpool, type SpoolRecord } from './spool';

const logger = createLogger({ service: 'test', silent: true });

function record(n: number): SpoolRecord {
  return {
    eventId: `e${String(n).padStart(16, '0')}`, integrationId: '00000000-0000-4000-8000-000000000000', ticketId: n,
    parseStatus: 'ok', payload: { ticket_id: String(n) }, rawBodyBase64: null, contentType: 'application/json', receivedAt: new Date().toISOString(),
  };
}

describe('spool', () => {
  it('loses nothing when appends and replays interleave', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'spool-'));
    const spool = await openSpool(dir, logger);
    const delivered = new Set<string>();
    const deliver = async (r: SpoolRecord) => {
      delivered.add(r.eventId);
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

  it('keeps records whose replay failed and replays them later', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'spool-'));
    const spool = await openSpool(dir, logger);
    await spool.append(record(1));
    await spool.append(record(2));
    const first = await spool.replay(async () => {
      throw new Error('Redis still down');
    });
    expect(first).toEqual({ replayed: 0, failed: 2 });
    const seen: string[] = [];
    expect(await spool.replay(async (r) => void seen.push(r.eventId))).toEqual({ replayed: 2, failed: 0 });
    expect(seen).toHaveLength(2);
    await spool.close();
  });

  it('replays what an earlier process of this host left behind', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'spool-'));
    const earlier = await openSpool(dir, logger);
    await earlier.append(record(7));
    await earlier.close();
    const later = await openSpool(dir, logger);
    const seen: string[] = [];
    await later.replay(async (r) => void seen.push(r.eventId));
    expect(seen).toEqual([record(7).eventId]);
    await later.close();
  });
});
