import { startReadinessMonitor } from './readiness';

describe('startReadinessMonitor', () => {
  it('is not ready while a check fails, names the variable, logs once per interval and logs the recovery', async () => {
    const logs: Array<[string, Record<string, unknown> | undefined]> = [];
    const logger = {
      error: (m: string, meta?: Record<string, unknown>) => logs.push([m, meta]),
      info: (m: string, meta?: Record<string, unknown>) => logs.push([m, meta]),
    };
    let up = false;
    const monitor = startReadinessMonitor({
      checks: [
        {
          name: 'Redis',
          variable: 'REDIS_URL',
          check: async () => {
            if (!up) throw Object.assign(new Error('connect refused'), { code: 'ECONNREFUSED' });
          },
        },
      ],
      intervalMs: 60_000,
      logger,
    });
    try {
      const first = await monitor.checkNow();
      expect(first.ready).toBe(false);
      expect(first.problems).toEqual(['Redis (REDIS_URL): ECONNREFUSED connect refused']);
      expect(first.down).toEqual(['Redis (REDIS_URL)']);
      await monitor.checkNow();
      await monitor.checkNow();
      expect(logs.filter(([m]) => m === 'Dependency unavailable; not ready')).toHaveLength(1);
      up = true;
      expect((await monitor.checkNow()).ready).toBe(true);
      expect(monitor.current()).toEqual({ ready: true, problems: [], down: [] });
      expect(logs.map(([m]) => m)).toEqual(['Dependency unavailable; not ready', 'Dependency reachable again']);
    } finally {
      monitor.stop();
    }
  });
});
