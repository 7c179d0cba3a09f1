import type { KbHit } from '@repo/domain';
import type { Logger } from '@repo/logger';
import type { JobContext } from '@repo/queue';
import type { DialogMessage } from '@repo/store';
import { createRetrieveKbHandler, type RetrieveKbDeps } from './retrieve-kb.processor';

const hit = (title: string, score: number): KbHit => ({ articleId: 1, passageId: 1, title, passage: 'p', score });

function deps(overrides: Partial<RetrieveKbDeps>) {
  const message = { id: 5, authorKind: 'customer', text: 'What seeds do parrots eat?', html: null } as DialogMessage;
  const updates: unknown[] = [];
  const base: RetrieveKbDeps = {
    turnState: {
      claim: async () => ({ owned: true, existing: undefined, messages: [message], previousQuestion: undefined, claimedSeq: 1 }),
    },
    decisions: {
      recordRetrieved: async (input: { kbHits: KbHit[] }) => void updates.push({ stage: 'retrieved', kbHits: input.kbHits }),
    },
    integrations: { get: async () => ({ skillId: 's1' }) as never },
    organizations: { getSkill: async () => undefined },
    kb: { search: async () => [] },
    decide: { add: async () => undefined as never },
    turns: { end: async () => undefined },
    ...overrides,
  };
  return { base, updates };
}

const ctx = { logger: { info: () => undefined } as unknown as Logger, jobId: 'j', attemptsMade: 0, isLastAttempt: false } as JobContext;
const job = { integrationId: '00000000-0000-4000-8000-000000000001', dialogId: 1, turnId: 't1' };

describe('retrieve stage', () => {
  it('searches lexically without a retriever', async () => {
    const { base, updates } = deps({ kb: { search: async () => [hit('lexical', 0.5)] } });
    expect(await createRetrieveKbHandler(base)(job, ctx)).toMatchObject({ outcome: 'retrieved', hits: 1, best: 0.5 });
    expect(updates).toEqual([{ stage: 'retrieved', kbHits: [hit('lexical', 0.5)] }]);
  });

  it('uses the hybrid retriever instead of kb.search when one is given', async () => {
    const lexical = jest.fn(async () => [hit('lexical', 0.1)]);
    const { base, updates } = deps({ kb: { search: lexical }, retriever: { search: async () => [hit('hybrid', 0.8)] } });
    await createRetrieveKbHandler(base)(job, ctx);
    expect(lexical).not.toHaveBeenCalled();
    expect(updates).toEqual([{ stage: 'retrieved', kbHits: [hit('hybrid', 0.8)] }]);
  });

  it('searches with the classification a lone message got on arrival, classifying only a burst again', async () => {
    const classification = {
      intent: 'question',
      intentConfidence: 0.8,
      language: 'en',
      tone: 'neutral',
      cleanText: 'parrot seeds',
    } as const;
    const stored = { id: 5, authorKind: 'customer', text: 'parrot seeds', html: '<p>parrot seeds</p>', classification } as DialogMessage;
    const queries: string[] = [];
    const classify = jest.fn((input: { html?: string }) => ({ ...classification, cleanText: input.html ?? '' }));
    const claimOf = (messages: DialogMessage[]) => async () => ({
      owned: true,
      existing: undefined,
      messages,
      previousQuestion: undefined,
      claimedSeq: 1,
    });
    const search = async (_skill: string, query: string) => (queries.push(query), [hit('h', 0.5)]);
    await createRetrieveKbHandler(deps({ kb: { search }, classify, turnState: { claim: claimOf([stored]) } }).base)(job, ctx);
    expect(classify).not.toHaveBeenCalled();
    expect(queries).toEqual(['parrot seeds']);
    await createRetrieveKbHandler(deps({ kb: { search }, classify, turnState: { claim: claimOf([stored, { ...stored, id: 6 }]) } }).base)(
      job,
      ctx,
    );
    expect(classify).toHaveBeenCalledTimes(1);
    expect(queries.at(-1)).toBe('<p>parrot seeds</p><br>\n<p>parrot seeds</p>');
  });
});
