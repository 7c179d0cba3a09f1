import { Queue, type JobsOptions } from 'bullmq';
import { QUEUES, bullPrefix, type JobData, type QueueKey } from './queue-catalog';
import type { RedisConnection } from './connections';

/** Adds validated jobs to one queue of the catalog. */
export type Producer<K extends QueueKey> = {
  queue: Queue;
  /** Adds a job; `jobId` is required so a repeated add is a no-op. */
  add(data: JobData<K>, options: JobsOptions & { jobId: string }): Promise<void>;
  /** Adds many jobs in one round trip (each with its `jobId`, so repeats are no-ops). */
  addBulk(jobs: ReadonlyArray<{ data: JobData<K>; jobId: string }>): Promise<void>;
  close(): Promise<void>;
};

/** Creates a {@link Producer} for a catalog queue. */
export function createProducer<K extends QueueKey>(key: K, options: { connection: RedisConnection; prefix: string }): Producer<K> {
  const spec = QUEUES[key];
  const queue = new Queue(spec.name, {
    connection: options.connection,
    prefix: bullPrefix(options.prefix),
    defaultJobOptions: spec.defaults,
  });
  // Errors surface on `add`; without a listener an 'error' event would crash the process.
  queue.on('error', () => undefined);
  return {
    queue,
    async add(data, jobOptions) {
      const parsed = spec.schema.parse(data) as JobData<K>;
      await queue.add(spec.job, parsed, jobOptions);
    },
    async addBulk(jobs) {
      if (jobs.length === 0) return;
      await queue.addBulk(jobs.map((j) => ({ name: spec.job, data: spec.schema.parse(j.data) as JobData<K>, opts: { jobId: j.jobId } })));
    },
    close: () => queue.close(),
  };
}

/** One producer per pipeline queue, sharing a connection. */
export type Producers = { [K in QueueKey]: Producer<K> };

/** Creates producers for every queue of the catalog. */
export function createProducers(options: { connection: RedisConnection; prefix: string }): Producers {
  return {
    classify: createProducer('classify', options),
    retrieve: createProducer('retrieve', options),
    decide: createProducer('decide', options),
    deliver: createProducer('deliver', options),
    sweep: createProducer('sweep', options),
    sync: createProducer('sync', options),
    retention: createProducer('retention', options),
    schedule: createProducer('schedule', options),
  };
}
