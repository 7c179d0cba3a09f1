import { adminDatabaseUrl } from '@repo/testing';
import { CHAOS_KINDS, runSoak, type ChaosKind, type SoakResult } from '../src/soak-run';

// The short version of `npm run soak`: the same apps, simulator, private redis-server and proxies,
// every chaos kind once, and the same invariant — every acknowledged customer message gets exactly
// one reply or one hand-off, or is visibly failed. One run; each named scenario checks that its
// fault did happen during it (the injection finished; the simulator's faults affected requests) and
// that the invariant held. The Redis partition outlasts the workers' job lock (10 s), so jobs held
// through it are taken over by another worker's stalled check while their first worker may still
// be at them: the case the send ledger's start window and fences exist for.
describe('fault suite (short soak)', () => {
  const seen: ChaosKind[] = [];
  let result: SoakResult;

  beforeAll(async () => {
    const lines: string[] = [];
    result = await runSoak({
      messages: 40,
      ratePerSecond: 1,
      handoffShare: 0.2,
      chaosEveryMs: 1500,
      outageMs: 4000,
      partitionMs: 12_000,
      minChaosRounds: CHAOS_KINDS.length,
      settleTimeoutMs: 120_000,
      adminDatabaseUrl: adminDatabaseUrl(),
      log: (line) => {
        lines.push(line);
        const m = /^chaos \d+ done: (\w+)$/.exec(line);
        if (m) seen.push(m[1] as ChaosKind);
      },
    });
    // What happened, for whoever reads a failure.
    process.stdout.write(`${lines.join('\n')}\n${JSON.stringify(result)}\n`);
  }, 600_000);

  /** The invariant over every message of the run. */
  function expectInvariant() {
    expect(result.duplicates).toBe(0);
    expect(result.lost).toBe(0);
    expect(result.answered_once + result.handoffs_once + result.visibly_failed).toBe(result.messages);
    // Faults may fail a few messages visibly (a send that cannot be proven is quarantined), never most.
    expect(result.visibly_failed).toBeLessThanOrEqual(Math.ceil(result.messages * 0.25));
    // Workers ride out Redis restarts, partitions and database outages on their own: none exits
    // except those the chaos loop kills.
    expect(result.worker_crashes).toBe(0);
  }

  it('R2 Redis restarted while messages flow: exactly one reply or hand-off per message, or visibly failed', () => {
    expect(seen).toContain('restart_redis');
    expectInvariant();
  });

  it('R10 worker↔Redis partition while messages flow: exactly one reply or hand-off per message, or visibly failed', () => {
    expect(seen).toContain('partition_redis');
    expectInvariant();
  });

  it('R8 HDE 5xx, hang, reset and slowness while messages flow: exactly one reply or hand-off per message, or visibly failed', () => {
    for (const kind of ['hde_5xx', 'hde_hang', 'hde_reset', 'hde_slow'] as const) expect(seen).toContain(kind);
    // Each kind of HDE fault affected requests, not just an idle simulator.
    for (const kind of ['status', 'hang', 'reset_after_body', 'latency'] as const)
      expect(result.hde_fault_hits?.[kind] ?? 0).toBeGreaterThan(0);
    expectInvariant();
  });

  it('keeps the invariant through every kind of fault: worker kill -9 (R1), PostgreSQL outage and reset (D7), CPU starvation, and the above', () => {
    expectInvariant();
    expect(result.handoffs_once).toBeGreaterThan(0);
    expect(result.answered_once).toBeGreaterThan(0);
    expect(new Set(seen)).toEqual(new Set(CHAOS_KINDS));
  });
});
