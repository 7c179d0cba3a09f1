import { Queue, type Job } from 'bullmq';
import { classify, classifyOffThread, createClassifyPool } from '@repo/ai';
import { parseSkillSettings } from '@repo/domain';
import { createLogger } from '@repo/logger';
import { bullPrefix, createWorker, createWorkerConnection, QUEUES, type JobHandler } from '@repo/queue';
import { deleteRedisPrefix, testRedisUrl, uniquePrefix, waitFor } from '@repo/testing';

/**
 * The classify stage classifies on worker threads so that a huge or hostile message cannot hold up
 * the event loop that renews BullMQ job locks. Here a real BullMQ worker (real Redis, the project's
 * createWorker, short locks) runs one job that classifies 64 kB adversarial messages for several
 * lock durations beside an ordinary job that needs its lock renewed to finish.
 */
const LOCK_MS = 1000;
const INTEGRATION = '00000000-0000-4000-8000-000000000001';
const HUGE_EVENT = 'e' + 'a'.repeat(16);
const ORDINARY_EVENT = 'e' + 'b'.repeat(16);
const skill = parseSkillSettings({});
const HUGE_MESSAGES = ['a '.repeat(32_768), '<b>'.repeat(21_845), `<p>${'оператор '.repeat(7_000)}</p>`, '<a'.repeat(32_768)];

type Run = { completed: string[]; failed: string[]; stalled: string[]; errors: string[]; hugeRounds: number };

async function runScenario(classifyHuge: (text: string) => Promise<unknown>): Promise<Run> {
  const prefix = uniquePrefix('lock');
  const connection = createWorkerConnection(testRedisUrl());
  const producerConnection = connection.duplicate();
  const queue = new Queue(QUEUES.classify.name, { connection: producerConnection, prefix: bullPrefix(prefix) });
  // Silent: the control scenario's lost locks are expected and asserted through the worker's events.
  const logger = createLogger({ service: 'test', silent: true });
  const run: Run = { completed: [], failed: [], stalled: [], errors: [], hugeRounds: 0 };
  const handler: JobHandler<'classify'> = async (data) => {
    if (data.eventId === HUGE_EVENT) {
      // Several lock durations of classification: far longer than the lock lasts unrenewed.
      const started = Date.now();
      while (Date.now() - started < 4 * LOCK_MS) {
        await classifyHuge(HUGE_MESSAGES[run.hugeRounds % HUGE_MESSAGES.length] as string);
        run.hugeRounds++;
      }
      return { rounds: run.hugeRounds };
    }
    // An ordinary job that outlives its first lock: it finishes only if the lock is renewed.
    await new Promise((resolve) => setTimeout(resolve, 3 * LOCK_MS));
    return { ok: true };
  };
  const worker = createWorker('classify', handler, {
    connection,
    prefix,
    concurrency: 2,
    logger,
    lockDurationMs: LOCK_MS,
    stalledIntervalMs: LOCK_MS,
  });
  worker.on('completed', (job: Job) => run.completed.push(job.data.eventId as string));
  worker.on('failed', (job: Job | undefined) => run.failed.push((job?.data.eventId as string | undefined) ?? '?'));
  worker.on('stalled', (jobId: string) => run.stalled.push(jobId));
  worker.on('error', (error: Error) => run.errors.push(error.message));
  try {
    await worker.waitUntilReady();
    await queue.add('ticket.classify', { integrationId: INTEGRATION, eventId: HUGE_EVENT }, { jobId: HUGE_EVENT });
    await queue.add('ticket.classify', { integrationId: INTEGRATION, eventId: ORDINARY_EVENT }, { jobId: ORDINARY_EVENT });
    await waitFor(() => run.completed.length + run.failed.length >= 2 || run.errors.length > 0, { timeoutMs: 30_000 }).catch(
      () => undefined,
    );
    // Give a lost lock time to show up as a stall or error before judging.
    await new Promise((resolve) => setTimeout(resolve, 2 * LOCK_MS));
    return run;
  } finally {
    await worker.close(true);
    await queue.close();
    producerConnection.disconnect();
    connection.disconnect();
    await deleteRedisPrefix(prefix);
  }
}

describe('classify on worker threads keeps job locks renewed', () => {
  jest.setTimeout(60_000);

  it('D3 huge adversarial messages classified beside an ordinary job: it keeps its lock and finishes', async () => {
    const run = await runScenario((text) => classifyOffThread({ html: text, skill }));
    expect(run.hugeRounds).toBeGreaterThan(0);
    expect(run.errors).toEqual([]);
    expect(run.stalled).toEqual([]);
    expect(run.failed).toEqual([]);
    expect(run.completed.sort()).toEqual([HUGE_EVENT, ORDINARY_EVENT].sort());
  });

  it('control: the same work on the event loop loses the ordinary job its lock', async () => {
    // Proves the scenario can fail: a synchronous loop of the same length starves lock renewal.
    const run = await runScenario(async () => {
      const started = Date.now();
      while (Date.now() - started < 4 * LOCK_MS) classify({ html: HUGE_MESSAGES[0] as string, skill });
    });
    const ordinaryOk = run.completed.includes(ORDINARY_EVENT) && run.errors.length === 0 && run.stalled.length === 0;
    expect(ordinaryOk).toBe(false);
  });

  it('a dedicated pool gives the same classification as classify itself', async () => {
    const pool = createClassifyPool({ maxThreads: 1 });
    try {
      for (const text of ['позовите оператора', 'как оплатить заказ картой?', ...HUGE_MESSAGES]) {
        expect(await pool.classify({ html: text, skill })).toEqual(classify({ html: text, skill }));
      }
    } finally {
      await pool.close();
    }
  });
});
