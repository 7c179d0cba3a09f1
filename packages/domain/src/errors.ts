/** Options every {@link AppError} takes. */
export type AppErrorOptions = {
  /** Whether doing the same thing again later can succeed. */
  retryable: boolean;
  cause?: unknown;
};

/**
 * Base of the project's typed errors: a stable `code` and whether a retry can help. Messages never
 * carry secrets or customer text, so errors can be logged as they are.
 */
export class AppError<Code extends string = string> extends Error {
  readonly code: Code;
  readonly retryable: boolean;

  constructor(code: Code, message: string, options: AppErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.retryable = options.retryable;
  }
}

/** Turns anything thrown into an `Error`. */
export function ensureError(value: unknown): Error {
  if (value instanceof Error) return value;
  return new Error(typeof value === 'string' ? value : 'Non-error value thrown');
}

/** Exhaustiveness check for discriminated unions. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${String(value)}`);
}
