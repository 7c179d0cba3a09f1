import type { EventsRepo } from '@repo/store';
import type { Producer } from '@repo/queue';
import type { SpoolRecord } from '../spool';

/** Runs `work` but gives up after `ms`, so a webhook never waits on a reconnecting Redis. */
export async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Dependencies of {@link createEventAcceptor}. */
export type AcceptDeps = {
  events: Pick<EventsRepo, 'insert'>;
  classify: Pick<Producer<'classify'>, 'add'>;
  timeoutMs: number;
};

/**
 * Stores an event in the inbox and enqueues it for classification. Both steps are idempotent (the
 * event id is the primary key and the job id), so a replay from the spool or a duplicate webhook
 * does nothing twice. Unparseable events are stored for admins but not enqueued.
 */
export function createEventAcceptor(deps: AcceptDeps) {
  return async function accept(record: SpoolRecord, source: 'webhook' | 'spool'): Promise<{ duplicate: boolean }> {
    const inserted = await withTimeout(
      deps.events.insert({
        id: record.eventId,
        integrationId: record.integrationId,
        ticketId: record.ticketId,
        source,
        parseStatus: record.parseStatus,
        payload: record.payload,
        rawBody: record.rawBodyBase64 ? Buffer.from(record.rawBodyBase64, 'base64') : null,
        contentType: record.contentType,
        receivedAt: new Date(record.receivedAt),
      }),
      deps.timeoutMs,
      'Storing the event',
    );
    if (record.parseStatus !== 'unparseable') {
      await withTimeout(
        deps.classify.add({ integrationId: record.integrationId, eventId: record.eventId }, { jobId: record.eventId }),
        deps.timeoutMs,
        'Enqueueing the event',
      );
    }
    return { duplicate: !inserted };
  };
}
/** See {@link createEventAcceptor}. */
export type EventAcceptor = ReturnType<typeof createEventAcceptor>;
