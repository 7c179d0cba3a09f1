import { createHash } from 'node:crypto';
import { intakeEventId, toStoredPayload, type IntakeEvent } from '@repo/domain';
import type { EventsRepo, NewStoredEvent } from './events.repo';

/**
 * What the intake stores for one event, and whether classify gets it. It is also what the ingress's
 * spool keeps, so a replay stores exactly what the webhook would have.
 */
export type IntakeRecord = NewStoredEvent & { enqueue: boolean };

/**
 * Turns a validated event into the record the intake stores: the one event id rule
 * ({@link intakeEventId}), the typed payload, and the raw body when it was not clean JSON (for
 * admins). An event without a ticket is kept under a hash of its raw body and never classified.
 */
export function storedEventOf(
  event: IntakeEvent,
  raw: { body: Buffer | null; contentType: string | null } = { body: null, contentType: null },
): IntakeRecord {
  const id =
    event.ticketId === null
      ? `e${createHash('sha256')
          .update(event.integrationId)
          .update(raw.body ?? Buffer.alloc(0))
          .digest('hex')
          .slice(0, 40)}`
      : intakeEventId(event);
  return {
    id,
    integrationId: event.integrationId,
    ticketId: event.ticketId,
    source: event.source,
    parseStatus: event.parseStatus,
    payload: toStoredPayload(event),
    rawBody: event.parseStatus === 'ok' ? null : raw.body,
    contentType: raw.contentType,
    receivedAt: event.receivedAt,
    enqueue: event.ticketId !== null && event.parseStatus !== 'unparseable',
  };
}

/** Dependencies of {@link createIntake}. */
export type IntakeDeps = {
  events: Pick<EventsRepo, 'insertMany'>;
  /** Enqueues classify jobs (job id = event id, so a repeat is a no-op), in one round trip. */
  enqueue: (jobs: Array<{ integrationId: string; eventId: string }>) => Promise<void>;
  /**
   * Longest wait of one submission, counted from `submit` (time waiting for a free batch slot
   * included); its caller then gets an {@link IntakeTimeoutError} (and the ingress spools).
   */
  batchTimeoutMs?: number;
  /**
   * Write the rows and the jobs at the same time rather than one after the other. Only for callers
   * whose consumers tolerate a job that runs before its row is visible (classify retries then).
   */
  concurrentEnqueue?: boolean;
  /** Most events per batch. */
  maxBatch?: number;
  /** Batches in flight at once (each holds one database connection). */
  maxInFlight?: number;
  /**
   * While a batch is in flight, another one starts only once this many events wait; fewer wait for
   * a batch to finish and then go together. Each batch is a commit (a WAL flush) and a Redis
   * transaction, so at a moderate rate small parallel batches cost more CPU than they save in
   * latency. 1 (the default) starts a batch whenever a slot is free.
   */
  minParallelBatch?: number;
  /**
   * Ids of the batch's records that are our own posts coming back (see createEchoRecognizer): they
   * are stored as processed (outcome `echo`) and not queued. When it fails, every record is queued.
   */
  recogniseEchoes?: (records: readonly IntakeRecord[]) => Promise<Set<string>>;
};

/** What happened to one submitted event. */
export type IntakeResult = { eventId: string; duplicate: boolean };

type Pending = { record: IntakeRecord; submittedAt: number; resolve: (r: IntakeResult) => void; reject: (e: unknown) => void };

/** Raised to the callers of a batch that took longer than its bound. */
export class IntakeTimeoutError extends Error {
  /** A timeout is transient: the event may be retried or spooled. */
  readonly retryable = true;
  constructor(ms: number) {
    super(`Storing the events timed out after ${ms} ms`);
    this.name = 'IntakeTimeoutError';
  }
}

/**
 * The one intake of events, whatever their source (webhook, spool replay, sweep): stores each event
 * in the inbox and enqueues classify. Concurrent submissions are group-committed: events that arrive
 * while a batch is being written are written together by the next one, in one INSERT and one
 * `addBulk`, so under load the per-event cost of PostgreSQL and Redis round trips is shared. A
 * submission resolves only once its batch is stored and enqueued (durable before the caller answers).
 */
export function createIntake(deps: IntakeDeps) {
  const maxBatch = deps.maxBatch ?? 256;
  const maxInFlight = deps.maxInFlight ?? 2;
  const minParallelBatch = Math.max(1, deps.minParallelBatch ?? 1);
  const timeoutMs = deps.batchTimeoutMs;
  const noEchoes = new Set<string>();
  const waiting: Pending[] = [];
  let inFlight = 0;

  /** Rows and jobs of a batch: one row per id (ten copies of a webhook in one batch are one insert). */
  async function write(batch: readonly Pending[]): Promise<Set<string>> {
    const unique = new Map<string, IntakeRecord>();
    for (const p of batch) if (!unique.has(p.record.id)) unique.set(p.record.id, p.record);
    const records = [...unique.values()];
    const echoes = deps.recogniseEchoes ? await deps.recogniseEchoes(records).catch(() => noEchoes) : noEchoes;
    const rows: NewStoredEvent[] = [];
    const jobs: Array<{ integrationId: string; eventId: string }> = [];
    for (const record of records) {
      const echo = echoes.size > 0 && echoes.has(record.id);
      // The record is a row as it is (insertMany reads the row's fields only): no copy per event.
      rows.push(echo ? { ...record, outcome: 'echo' } : record);
      if (record.enqueue && !echo) jobs.push({ integrationId: record.integrationId, eventId: record.id });
    }
    if (deps.concurrentEnqueue) {
      // Both must succeed before anyone is answered; their latencies overlap instead of adding up.
      const [inserted] = await Promise.all([deps.events.insertMany(rows), jobs.length > 0 ? deps.enqueue(jobs) : undefined]);
      return inserted;
    }
    const inserted = await deps.events.insertMany(rows);
    if (jobs.length > 0) await deps.enqueue(jobs);
    return inserted;
  }

  async function runBatch(batch: Pending[]): Promise<void> {
    // The batch is bounded by its oldest submission's deadline, so time spent waiting for a slot
    // (all of them held by batches stuck on an unreachable Redis) counts too.
    const leftMs = timeoutMs === undefined ? undefined : batch[0]!.submittedAt + timeoutMs - performance.now();
    let timer: NodeJS.Timeout | undefined;
    let work: Promise<Set<string>> | undefined;
    try {
      if (leftMs !== undefined && leftMs <= 0) throw new IntakeTimeoutError(timeoutMs!);
      work = write(batch);
      const inserted =
        leftMs === undefined
          ? await work
          : await Promise.race([
              work,
              new Promise<never>((_, reject) => {
                timer = setTimeout(() => reject(new IntakeTimeoutError(timeoutMs!)), leftMs);
              }),
            ]);
      // Of several copies in one batch, only the first is "new".
      const answered = batch.length > 1 ? new Set<string>() : undefined;
      for (const p of batch) {
        const id = p.record.id;
        const fresh = inserted.has(id) && !answered?.has(id);
        answered?.add(id);
        p.resolve({ eventId: id, duplicate: !fresh });
      }
    } catch (error) {
      work?.catch(() => undefined);
      for (const p of batch) p.reject(error);
    } finally {
      clearTimeout(timer);
    }
  }

  function pump(): void {
    while (waiting.length > 0 && inFlight < maxInFlight && (inFlight === 0 || waiting.length >= minParallelBatch)) {
      const batch = waiting.splice(0, maxBatch);
      inFlight += 1;
      void runBatch(batch).finally(() => {
        inFlight -= 1;
        pump();
      });
    }
  }

  return {
    /** Stores and enqueues one event (batched with concurrent ones); resolves once both are done. */
    submit(record: IntakeRecord): Promise<IntakeResult> {
      return new Promise<IntakeResult>((resolve, reject) => {
        waiting.push({ record, submittedAt: performance.now(), resolve, reject });
        pump();
      });
    },
    /** Events submitted but not yet stored (for metrics). */
    backlog: () => waiting.length,
  };
}
/** See {@link createIntake}. */
export type Intake = ReturnType<typeof createIntake>;
