import { randomBytes } from 'node:crypto';
import { Queue, Worker, type ConnectionOptions } from 'bullmq';

/**
 * The pipeline's naive baseline: a no-op 4-stage BullMQ chain in one process. `jobs` chains are
 * enqueued at once; each stage's processor only adds the job to the next stage, as our stages do
 * after their work. Returns end-to-end chains per second (the time until the last 4th stage ran).
 */
export async function runNoopChain(options: {
  redisUrl: string;
  jobs: number;
  concurrency: number;
}): Promise<{ jobsPerSecond: number; seconds: number }> {
  const url = new URL(options.redisUrl);
  const connection: ConnectionOptions = { host: url.hostname, port: Number(url.port || 6379), maxRetriesPerRequest: null };
  const prefix = `bench-noop-${randomBytes(3).toString('hex')}`;
  const names = ['s1', 's2', 's3', 's4'];
  const queues = names.map((name) => new Queue(name, { connection, prefix }));
  let done = 0;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const workers = names.map(
    (name, i) =>
      new Worker(
        name,
        async (job) => {
          const next = queues[i + 1];
          if (next) await next.add('s', job.data as object, { removeOnComplete: { age: 3600, count: 5000 } });
          else if (++done === options.jobs) finish();
        },
        { connection, prefix, concurrency: options.concurrency, autorun: false },
      ),
  );
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  const started = performance.now();
  for (const w of workers) void w.run();
  await queues[0]!.addBulk(
    Array.from({ length: options.jobs }, (_, i) => ({
      name: 's',
      data: { n: i, integrationId: 'x', eventId: `e${i}` },
      opts: { removeOnComplete: { age: 3600, count: 5000 } },
    })),
  );
  await finished;
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(workers.map((w) => w.close()));
  for (const q of queues) await q.obliterate({ force: true }).catch(() => undefined);
  await Promise.all(queues.map((q) => q.close()));
  return { jobsPerSecond: options.jobs / seconds, seconds };
}
