import type { Logger } from '@repo/logger';
import type { JobContext } from '@repo/queue';
import type { TurnDecision } from '@repo/store';
import { createDecideTurnHandler, type DecideTurnDeps } from './decide-turn.processor';

const ctx = { logger: { info: () => undefined } as unknown as Logger, jobId: 'j', attemptsMade: 1, isLastAttempt: false } as JobContext;
const job = { integrationId: '00000000-0000-4000-8000-000000000001', dialogId: 1, turnId: 't1' };

function deps(turn: Partial<TurnDecision>) {
  const deliver = jest.fn(async () => undefined as never);
  const end = jest.fn(async () => undefined);
  const base: DecideTurnDeps = {
    turnState: {
      read: async () =>
        ({
          dialog: { id: 1, integrationId: job.integrationId },
          turn: { turnId: 't1', dialogId: 1, classification: {}, ...turn },
          messages: [],
          decisions: [],
          ledger: [],
        }) as never,
    },
    decisions: { update: async () => undefined },
    integrations: { get: async () => ({ id: job.integrationId, skillId: 's1' }) as never },
    organizations: { getSkill: async () => undefined },
    composer: { refine: async ({ decision }: { decision: unknown }) => decision } as never,
    deliver: { add: deliver },
    turns: { end },
  };
  return { base, deliver, end };
}

describe('decide stage rerun', () => {
  it("R12 a job that names one integration and another's dialog does nothing", async () => {
    const { base, deliver, end } = deps({ stage: 'decided', action: 'answer' });
    const other = { ...base, integrations: { get: async () => ({ id: '00000000-0000-4000-8000-000000000002', skillId: 's2' }) as never } };
    expect(await createDecideTurnHandler(other)({ ...job, integrationId: '00000000-0000-4000-8000-000000000002' }, ctx)).toEqual({
      outcome: 'missing',
    });
    expect(deliver).not.toHaveBeenCalled();
    expect(end).not.toHaveBeenCalled();
  });

  it('enqueues deliver again when the decision was recorded but deliver was not enqueued', async () => {
    const { base, deliver, end } = deps({ stage: 'decided', action: 'answer' });
    expect(await createDecideTurnHandler(base)(job, ctx)).toEqual({ outcome: 'already_decided', action: 'answer' });
    expect(deliver).toHaveBeenCalledWith(job, { jobId: 's-t1' });
    expect(end).not.toHaveBeenCalled();
  });

  it('ends the turn again when the recorded decision was to stay silent', async () => {
    const { base, deliver, end } = deps({ stage: 'decided', action: 'ignore' });
    await createDecideTurnHandler(base)(job, ctx);
    expect(deliver).not.toHaveBeenCalled();
    expect(end).toHaveBeenCalledWith(job.integrationId, 1, 't1');
  });

  it('does nothing once the turn was delivered', async () => {
    const { base, deliver, end } = deps({ stage: 'delivered', action: 'answer' });
    await createDecideTurnHandler(base)(job, ctx);
    expect(deliver).not.toHaveBeenCalled();
    expect(end).not.toHaveBeenCalled();
  });
});
