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
    dialogHolder: { resumeAfterQuiet: async () => false },
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

describe('decide stage: who holds the ticket', () => {
  const classification = { intent: 'question', intentConfidence: 0.9, language: 'ru', tone: 'neutral', cleanText: 'вопрос' };
  function holding(dialog: Record<string, unknown>, settings: Record<string, unknown> = {}) {
    const resumed = jest.fn(async () => true);
    const update = jest.fn(async (_turnId: string, _patch: unknown) => undefined);
    const { base } = deps({ stage: 'retrieved' });
    const handler = createDecideTurnHandler({
      ...base,
      turnState: {
        read: async () =>
          ({
            dialog: { id: 1, integrationId: job.integrationId, botReplies: 0, statusId: null, returnedAt: null, ...dialog },
            turn: { turnId: 't1', dialogId: 1, stage: 'retrieved', classification, kbHits: [], messageIds: [5] },
            messages: [{ id: 5, createdAt: new Date('2026-01-01T11:00:00Z'), text: 'вопрос', authorKind: 'customer' }],
            decisions: [],
            ledger: [],
          }) as never,
      },
      integrations: { get: async () => ({ id: job.integrationId, skillId: 's1', replyMode: 'public', settings }) as never },
      dialogHolder: { resumeAfterQuiet: resumed },
      decisions: { update },
    });
    return { handler, resumed, update };
  }

  it('stays silent on a turn whose messages were written before the ticket was returned to the bot', async () => {
    const { handler, update } = holding({ state: 'bot', returnedAt: new Date('2026-01-01T12:00:00Z') });
    expect(await handler(job, ctx)).toEqual({ outcome: 'ignore', reasons: ['human_involved'] });
    expect(update.mock.calls[0]![1]).toMatchObject({ action: 'ignore' });
  });

  it('takes the ticket back after the quiet period with resume_after, and not with the default', async () => {
    const agent = { state: 'agent', handoffReason: 'agent_replied', lastAgentAt: new Date('2026-01-01T10:00:00Z') };
    const silent = holding(agent);
    expect(await silent.handler(job, ctx)).toEqual({ outcome: 'ignore', reasons: ['human_involved'] });
    expect(silent.resumed).not.toHaveBeenCalled();
    const resume = holding(agent, { takeover: { afterAgentReply: 'resume_after', resumeAfterMinutes: 30 } });
    expect((await resume.handler(job, ctx)).outcome).not.toBe('ignore');
    expect(resume.resumed).toHaveBeenCalledWith(1, agent.lastAgentAt);
  });
});
