import { SCENARIOS } from '../src/scenarios';
import { startTestStack, type TestStack } from './helpers';

// The six demo conversations against the real ingress and worker processes, one stack for the file.
describe('demo conversations', () => {
  let t: TestStack;

  beforeAll(async () => {
    t = await startTestStack({ label: 'conv' });
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  }, 60_000);

  for (const scenario of SCENARIOS) {
    it(
      scenario.name,
      async () => {
        const result = await scenario.play(t.stack, t.observe);
        if (!result.ok) {
          // The decisions say why the pipeline did what it did.
          const decided = await Promise.all(
            result.ticketIds.map(
              async (id) =>
                `ticket ${id}: ${(await t.observe.decisions(id)).map((d) => `${d.action}(${d.reasons.join(',')})@${d.stage}`).join(' → ')}`,
            ),
          );
          throw new Error(`${scenario.name}:\n- ${result.problems.join('\n- ')}\n${decided.join('\n')}`);
        }
        expect(result.ok).toBe(true);
      },
      90_000,
    );
  }
});
