import { ClassifyJobSchema } from '@repo/queue';
import type { DialogsRepo, RedriveRepo } from '@repo/store';
import type { Logger } from '@repo/logger';

/**
 * The class of an error, stable across repeats: its name, code and reason (an HDE call failure's
 * `not_found`, `auth`…), or, without a code, the start of its message with numbers taken out. A
 * non-retryable typed error reaches the hook wrapped by the queue's worker: its cause is what failed.
 */
export function errorClassOf(error: Error): string {
  const inner = error.name === 'UnrecoverableError' && error.cause instanceof Error ? error.cause : error;
  const { code, reason } = inner as { code?: unknown; reason?: unknown };
  const parts = [code, reason].filter((p): p is string | number => typeof p === 'string' || typeof p === 'number');
  if (parts.length > 0) return [inner.name, ...parts].join(':');
  return `${inner.name}:${inner.message.replace(/\d+/g, '#').slice(0, 80)}`;
}

/** Whether the queue's worker failed the job at once because its error never goes away by itself. */
export function isPermanentFailure(error: Error): boolean {
  return error.name === 'UnrecoverableError' || (error as { retryable?: unknown }).retryable === false;
}

/**
 * What happens when an event's classify job failed for good (attempts spent, a non-retryable error,
 * or stalled past the limit). The failure is counted on the event; the sweep drives it again later,
 * unless the same error class repeated `quarantineAfter` times or the error was non-retryable: then
 * the event is quarantined — never driven again — and, unless it is known not to be the customer's,
 * shown on its dialog as a failed customer message (counted with the other failed messages), never
 * silently dropped.
 */
export function createEventFailureHandler(deps: {
  redrive: Pick<RedriveRepo, 'recordFailure'>;
  dialogs: Pick<DialogsRepo, 'upsert' | 'recordMessage'>;
  quarantineAfter: number;
  logger: Logger;
}) {
  return async (data: unknown, error: Error): Promise<void> => {
    const parsed = ClassifyJobSchema.safeParse(data);
    if (!parsed.success) return;
    const { integrationId, eventId } = parsed.data;
    const errorClass = errorClassOf(error);
    // Only the job's integration's own event: a crossed job must not quarantine (or show) another's.
    const result = await deps.redrive.recordFailure(integrationId, eventId, {
      errorClass,
      error: error.message,
      permanent: isPermanentFailure(error),
      quarantineAfter: deps.quarantineAfter,
    });
    if (!result?.quarantined) {
      if (result) deps.logger.warn('Event failed; the sweep drives it again', { eventId, errorClass, failures: result.failures });
      return;
    }
    deps.logger.error('Event quarantined: it failed the same way again and is no longer driven automatically', {
      eventId,
      integrationId,
      errorClass,
      failures: result.failures,
    });
    if (result.ticketId === null) return;
    const payload = result.payload ?? {};
    const authorId = typeof payload.authorId === 'number' ? payload.authorId : null;
    const customerId = typeof payload.customerId === 'number' ? payload.customerId : undefined;
    // A post known to be someone else's (an agent's) is no customer waiting for an answer.
    if (authorId !== null && customerId !== undefined && authorId !== customerId) return;
    const html = typeof payload.messageHtml === 'string' ? payload.messageHtml : null;
    const dialog = await deps.dialogs.upsert(integrationId, result.ticketId, { customerId });
    // A message already recorded (the failure came after it) is its turn's business.
    await deps.dialogs.recordMessage({
      dialogId: dialog.id,
      eventId,
      authorKind: 'customer',
      authorId,
      // Plain enough for the dialog page; the HTML is kept beside it (and lets the sweep recognise the post).
      text:
        html === null
          ? ''
          : html
              .slice(0, 4000)
              .replace(/<[^<>]*>/g, ' ') // a tag ends before the next '<': linear on a run of '<'
              .replace(/\s+/g, ' ')
              .trim(),
      html,
      status: 'failed',
    });
  };
}
