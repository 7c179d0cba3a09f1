import { createPacedBudget } from './paced-budget';

describe('createPacedBudget', () => {
  function clock() {
    let t = 1_000_000;
    const waits: number[] = [];
    return {
      now: () => t,
      sleep: async (ms: number) => {
        waits.push(ms);
        t += ms;
      },
      waits,
    };
  }

  it('spaces requests evenly at the per-minute rate', async () => {
    const c = clock();
    const budget = createPacedBudget({ perMinute: 30, now: c.now, sleep: c.sleep });
    for (let i = 0; i < 4; i += 1) await budget.acquire();
    expect(c.waits).toEqual([2000, 2000, 2000]);
  });

  it('waits a minute when HDE says the account is nearly out of requests', async () => {
    const c = clock();
    const budget = createPacedBudget({ perMinute: 600, remainingFloor: 10, now: c.now, sleep: c.sleep });
    await budget.acquire();
    await budget.observe({ status: 200, remaining: 5 });
    await budget.acquire();
    expect(c.waits).toEqual([60_000]);
    await budget.observe({ status: 200, remaining: 200 });
    await budget.acquire();
    expect(c.waits).toEqual([60_000, 100]);
  });
});
