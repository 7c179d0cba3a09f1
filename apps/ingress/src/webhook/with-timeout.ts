/** Raised when a bounded wait ran out; the caller spools instead of waiting longer. */
export class TimeoutError extends Error {
  /** Transient by nature: the same work may succeed later. */
  readonly retryable = true;
  constructor(what: string, ms: number) {
    super(`${what} timed out after ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

/** Runs `work` but gives up after `ms`, so a webhook never waits on a reconnecting dependency. */
export async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(what, ms)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
    work.catch(() => undefined);
  }
}
