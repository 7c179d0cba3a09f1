import type { Integration } from '@repo/store';
import { createScheduleTickHandler } from './schedule-tick.processor';

const integration = (id: string, enabled: boolean, kbSync: boolean) =>
  ({ id, enabled, settings: { kbSync: { enabled: kbSync } } }) as unknown as Integration;

describe('schedule stage', () => {
  const integrations = [
    integration('00000000-0000-4000-8000-000000000001', true, true),
    integration('00000000-0000-4000-8000-000000000002', true, false),
    integration('00000000-0000-4000-8000-000000000003', false, true),
  ];

  function setup() {
    const added: Array<{ queue: string; data: unknown; jobId: string | undefined }> = [];
    const handler = createScheduleTickHandler({
      integrations: { list: async () => integrations },
      sweep: {
        add: async (data: unknown, opts?: { jobId?: string }) => void added.push({ queue: 'sweep', data, jobId: opts?.jobId }),
      } as never,
      sync: {
        add: async (data: unknown, opts?: { jobId?: string }) => void added.push({ queue: 'sync', data, jobId: opts?.jobId }),
      } as never,
      intervalMs: { sweep: 60_000, sync: 3_600_000 },
      now: () => 120_000,
    });
    return { handler, added };
  }

  it('fans a sweep firing out to every enabled integration, with the interval slot in the job id', async () => {
    const { handler, added } = setup();
    const result = await handler({ kind: 'sweep' }, {} as never);
    expect(result).toEqual({ outcome: 'scheduled', kind: 'sweep', queued: 2 });
    expect(added.map((a) => a.jobId)).toEqual(['w-00000000-0000-4000-8000-000000000001-2', 'w-00000000-0000-4000-8000-000000000002-2']);
  });

  it('fans a KB-sync firing out only to integrations with KB sync on', async () => {
    const { handler, added } = setup();
    await handler({ kind: 'sync' }, {} as never);
    expect(added).toEqual([
      { queue: 'sync', data: { integrationId: '00000000-0000-4000-8000-000000000001' }, jobId: 'k-00000000-0000-4000-8000-000000000001-0' },
    ]);
  });
});
