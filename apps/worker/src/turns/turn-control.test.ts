import type { NewMessage } from '@repo/store';
import { createTurnControl } from './turn-control';

type Added = { data: { turnId: string }; options: { jobId?: string; delay?: number } };

function control(result: { inserted: boolean; started: boolean; holder: string | null }) {
  const added: Added[] = [];
  const turns = createTurnControl({
    dialogs: {
      tryStartTurn: async () => true,
      finishTurn: async () => ({ morePending: false }),
      recordCustomerMessage: async () => result,
    },
    retrieve: { add: async (data, options) => void added.push({ data, options: options ?? {} }) as never },
    debounceMs: 1500,
    leaseMs: 60_000,
  });
  return { turns, added };
}

const message: NewMessage & { eventId: string } = { dialogId: 7, eventId: 'e1', authorKind: 'customer', text: 'q', status: 'pending' };

describe('turn control', () => {
  it('queues the new turn, debounced, when the message took the lease', async () => {
    const { turns, added } = control({ inserted: true, started: true, holder: 'ignored' });
    const { turnId } = await turns.recordAndStart('i1', message);
    expect(turnId).toMatch(/^t7-/);
    expect(added).toEqual([{ data: { integrationId: 'i1', dialogId: 7, turnId }, options: { jobId: expect.any(String), delay: 1500 } }]);
  });

  it('leaves a new message to the running turn', async () => {
    const { turns, added } = control({ inserted: true, started: false, holder: 't7-running' });
    expect(await turns.recordAndStart('i1', message)).toEqual({ inserted: true, turnId: undefined });
    expect(added).toEqual([]);
  });

  it("S5 a classify rerun after its run died between taking the lease and queueing the turn queues the holder's retrieve again", async () => {
    const { turns, added } = control({ inserted: false, started: false, holder: 't7-held' });
    expect(await turns.recordAndStart('i1', message)).toEqual({ inserted: false, turnId: undefined });
    expect(added).toEqual([{ data: { integrationId: 'i1', dialogId: 7, turnId: 't7-held' }, options: { jobId: expect.any(String) } }]);
  });
});
