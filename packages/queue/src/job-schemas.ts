import { z } from 'zod';

/** classify: one webhook event (or a sweep finding). Ids only: the text stays in PostgreSQL. */
export const ClassifyJobSchema = z.object({
  integrationId: z.string().uuid(),
  eventId: z.string().regex(/^e[0-9a-f]{16,64}$/),
});
/** Data of a classify job. */
export type ClassifyJob = z.infer<typeof ClassifyJobSchema>;

/** retrieve, decide, deliver: one turn of one ticket. */
export const TurnJobSchema = z.object({
  integrationId: z.string().uuid(),
  dialogId: z.number().int().positive(),
  turnId: z.string().regex(/^t[0-9a-z-]+$/),
});
/** Data of a retrieve, decide or deliver job. */
export type TurnJob = z.infer<typeof TurnJobSchema>;

/** sweep: look for customer messages of one integration that never reached us. */
export const SweepJobSchema = z.object({
  integrationId: z.string().uuid(),
});
/** Data of a sweep job. */
export type SweepJob = z.infer<typeof SweepJobSchema>;

/** retention: one purge of data past its retention, for the whole deployment. */
export const RetentionJobSchema = z.object({}).strict();
/** Data of a retention job. */
export type RetentionJob = z.infer<typeof RetentionJobSchema>;

/**
 * schedule: one firing of a recurring BullMQ job scheduler (sweep, KB sync), declared once for the
 * deployment; its worker fans it out into one job per integration.
 */
export const ScheduleJobSchema = z.object({ kind: z.enum(['sweep', 'sync']) }).strict();
/** Data of a schedule job. */
export type ScheduleJob = z.infer<typeof ScheduleJobSchema>;
