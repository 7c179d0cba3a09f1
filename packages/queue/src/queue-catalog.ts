import type { DefaultJobOptions } from 'bullmq';
import type { z } from 'zod';
import { ScheduleJobSchema, ClassifyJobSchema, RetentionJobSchema, SweepJobSchema, TurnJobSchema } from './job-schemas';

/** What the catalog knows of one queue. */
export type QueueSpec = {
  name: string;
  job: string;
  schema: z.ZodType;
  defaults: DefaultJobOptions;
};

const KEEP = {
  removeOnComplete: { age: 24 * 3600, count: 5000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 20000 },
} as const;

/**
 * Every queue of the pipeline. Each stage is its own queue so it shows, scales and rate-limits on its
 * own in Bull Board. Attempts use exponential backoff with jitter; deliver has fewer attempts because
 * its own reconciliation handles HDE failures.
 */
export const QUEUES = {
  classify: {
    name: 'ticket-classify',
    job: 'ticket.classify',
    schema: ClassifyJobSchema,
    defaults: { attempts: 8, backoff: { type: 'exponential', delay: 1000, jitter: 0.5 }, ...KEEP },
  },
  retrieve: {
    name: 'turn-retrieve',
    job: 'turn.retrieve',
    schema: TurnJobSchema,
    defaults: { attempts: 8, backoff: { type: 'exponential', delay: 1000, jitter: 0.5 }, ...KEEP },
  },
  decide: {
    name: 'turn-decide',
    job: 'turn.decide',
    schema: TurnJobSchema,
    defaults: { attempts: 8, backoff: { type: 'exponential', delay: 1000, jitter: 0.5 }, ...KEEP },
  },
  deliver: {
    name: 'turn-deliver',
    job: 'turn.deliver',
    schema: TurnJobSchema,
    defaults: { attempts: 10, backoff: { type: 'exponential', delay: 2000, jitter: 0.5 }, ...KEEP },
  },
  sweep: {
    name: 'integration-sweep',
    job: 'integration.sweep',
    schema: SweepJobSchema,
    defaults: {
      attempts: 3,
      backoff: { type: 'exponential', delay: 5000, jitter: 0.5 },
      removeOnComplete: { count: 200 },
      removeOnFail: { count: 500 },
    },
  },
  sync: {
    name: 'kb-sync',
    job: 'kb.sync',
    schema: SweepJobSchema,
    defaults: {
      attempts: 3,
      backoff: { type: 'exponential', delay: 10_000, jitter: 0.5 },
      removeOnComplete: { count: 200 },
      removeOnFail: { count: 500 },
    },
  },
  retention: {
    name: 'data-retention',
    job: 'data.retention',
    schema: RetentionJobSchema,
    defaults: {
      attempts: 3,
      backoff: { type: 'exponential', delay: 60_000, jitter: 0.5 },
      removeOnComplete: { count: 50 },
      removeOnFail: { count: 50 },
    },
  },
  schedule: {
    name: 'recurring-schedule',
    job: 'schedule.tick',
    schema: ScheduleJobSchema,
    defaults: {
      attempts: 3,
      backoff: { type: 'exponential', delay: 5000, jitter: 0.5 },
      removeOnComplete: { count: 50 },
      removeOnFail: { count: 200 },
    },
  },
} as const satisfies Record<string, QueueSpec>;

/** The key of a queue in {@link QUEUES}. */
export type QueueKey = keyof typeof QUEUES;
/** The data type of a queue's jobs. */
export type JobData<K extends QueueKey> = z.infer<(typeof QUEUES)[K]['schema']>;
/** Every stage a worker process can run. */
export const STAGES = Object.keys(QUEUES) as QueueKey[];

/** Job ids: deterministic so a repeated add is a no-op. BullMQ forbids `:` and all-digit ids. */
export const jobIds = {
  classify: (data: { eventId: string }) => data.eventId,
  retrieve: (data: { turnId: string }) => `r-${data.turnId}`,
  decide: (data: { turnId: string }) => `d-${data.turnId}`,
  deliver: (data: { turnId: string }) => `s-${data.turnId}`,
  /** The deliver job that posts a draft an admin approved. */
  approve: (data: { turnId: string }) => `a-${data.turnId}`,
  sweep: (data: { integrationId: string }, slot: number) => `w-${data.integrationId}-${slot}`,
  sync: (data: { integrationId: string }, slot: number) => `k-${data.integrationId}-${slot}`,
} as const;

/** The BullMQ key prefix: hash-tagged so all of a deployment's keys live in one Redis Cluster slot. */
export function bullPrefix(prefix: string): string {
  return `{${prefix}}`;
}
