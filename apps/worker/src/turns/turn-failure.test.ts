import type { LedgerEntry, TurnDecision } from '@repo/store';
import { createTurnFailureHandler } from './turn-failure';

const data = { integrationId: '00000000-0000-4000-8000-000000000001', dialogId: 4, turnId: 't4-a' };

function deps(
  rows: Array<Pick<LedgerEntry, 'kind' | 'state'>>,
  turn: Partial<TurnDecision> = { dialogId: 4, stage: 'decided', action: 'answer' },
) {
  const ended: string[] = [];
  const updates: unknown[] = [];
  const handler = createTurnFailureHandler({
    decisions: { get: async () => turn as TurnDecision, update: async (_id, patch) => void updates.push(patch) },
    ledger: { forTurn: async () => rows as LedgerEntry[] },
    turns: { end: async (_i, _d, _t, status) => void ended.push(status ?? 'done') },
  });
  return { handler, ended, updates };
}

describe('a turn that failed for good', () => {
  it('D7 a turn that failed for good marks its messages failed, never done, when the customer got nothing', async () => {
    const d = deps([{ kind: 'reply', state: 'sending' }]);
    await d.handler(data, new Error('job stalled more than allowable limit'));
    expect(d.ended).toEqual(['failed']);
    expect(d.updates[0]).toMatchObject({ stage: 'failed', result: { messageStatus: 'failed' } });
  });

  it('keeps them done when the reply is already in HDE', async () => {
    const d = deps([{ kind: 'reply', state: 'sent' }]);
    await d.handler(data, new Error('x'));
    expect(d.ended).toEqual(['done']);
  });

  it("leaves another dialog's turn alone when a job crosses the ids", async () => {
    const d = deps([{ kind: 'reply', state: 'sending' }], { dialogId: 5, stage: 'decided', action: 'answer' });
    await d.handler(data, new Error('x'));
    expect(d.ended).toEqual([]);
    expect(d.updates).toEqual([]);
  });

  it('ignores jobs that are not turn jobs', async () => {
    const d = deps([]);
    await d.handler({ eventId: 'e1' }, new Error('x'));
    expect(d.ended).toEqual([]);
  });
});
