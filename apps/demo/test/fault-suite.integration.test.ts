import { adminDatabaseUrl } from '@repo/testing';
import { CHAOS_KINDS, runSoak, type ChaosKind } from '../src/soak-run';

// The short version of `npm run soak`: the same apps, simulator, private redis-server and proxies,
// every chaos kind once, and the same invariant — every acknowledged customer message gets exactly
// one reply or one hand-off, or is visibly failed.
describe('fault suite (short soak)', () => {
  it('keeps the invariant through every kind of fault: worker kill -9 (R1), Redis restart (R2) and partition (R10), PostgreSQL outage and reset, HDE 5xx, hang, reset and slowness (R8), CPU starvation', async () => {
    const seen: ChaosKind[] = [];
    const lines: string[] = [];
    const result = await runSoak({
      messages: 40,
      ratePerSecond: 1,
      handoffShare: 0.2,
      chaosEveryMs: 1500,
      outageMs: 4000,
      minChaosRounds: CHAOS_KINDS.length,
      settleTimeoutMs: 120_000,
      adminDatabaseUrl: adminDatabaseUrl(),
      log: (line) => {
        lines.push(line);
        const m = /^chaos \d+: (\w+)$/.exec(line);
        if (m) seen.push(m[1] as ChaosKind);
      },
    });
    // What happened, for whoever reads a failure.
    process.stdout.write(`${lines.join('\n')}\n${JSON.stringify(result)}\n`);
    expect(result.duplicates).toBe(0);
    expect(result.lost).toBe(0);
    expect(result.answered_once + result.handoffs_once + result.visibly_failed).toBe(result.messages);
    expect(result.handoffs_once).toBeGreaterThan(0);
    expect(result.answered_once).toBeGreaterThan(0);
    expect(new Set(seen)).toEqual(new Set(CHAOS_KINDS));
  }, 600_000);
});
