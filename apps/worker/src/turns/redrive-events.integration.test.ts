import { Worker, UnrecoverableError } from 'bullmq';
import { bullPrefix, createProducer, createWorkerConnection, QUEUES } from '@repo/queue';
import { deleteRedisPrefix, testRedisUrl, uniquePrefix, waitFor } from '@repo/testing';
import { redriveUnprocessedEvents } from './redrive-events';

describe('driving unprocessed events again (real Redis)', () => {
  const prefix = uniquePrefix('redrive');
  const redis = createWorkerConnection(testRedisUrl());
  const classify = createProducer('classify', { connection: redis, prefix });
  const integrationId = '00000000-0000-4000-8000-000000000001';
  const failedId = 'e0000000000000f01';
  const waitingId = 'e0000000000000f02';
  const lostId = 'e0000000000000f03';

  afterAll(async () => {
    await classify.close();
    redis.disconnect();
    await deleteRedisPrefix(prefix);
  });

  it('removes a failed job and adds it again, leaves a waiting job alone, and adds a lost one', async () => {
    // A classify job that failed for good: BullMQ keeps it, and a plain add of its id is ignored.
    const connection = redis.duplicate();
    const failing = new Worker(
      QUEUES.classify.name,
      async () => {
        throw new UnrecoverableError('gave up');
      },
      { connection, prefix: bullPrefix(prefix) },
    );
    await classify.add({ integrationId, eventId: failedId }, { jobId: failedId });
    await waitFor(async () => (await classify.queue.getJob(failedId))?.isFailed(), { what: 'the job to fail', timeoutMs: 10_000 });
    await failing.close();
    connection.disconnect();
    await classify.add({ integrationId, eventId: failedId }, { jobId: failedId });
    expect(await (await classify.queue.getJob(failedId))!.getState()).toBe('failed');

    await classify.add({ integrationId, eventId: waitingId }, { jobId: waitingId });
    const redriven = await redriveUnprocessedEvents({
      redrive: { unprocessedEvents: async () => [failedId, waitingId, lostId] },
      classify,
      integrationId,
      olderThanMs: 60_000,
    });
    expect(redriven).toBe(2);
    expect(await (await classify.queue.getJob(failedId))!.getState()).toBe('waiting');
    expect(await (await classify.queue.getJob(lostId))!.getState()).toBe('waiting');
    expect(await classify.queue.getWaitingCount()).toBe(3);
  });
});
