/**
 * What a composition root has opened so far. If start-up fails half way, {@link StartupScope.fail}
 * closes everything in reverse order, so a failed start leaves no pool, connection or timer behind
 * (a process exits cleanly; a test does not hang).
 */
export type StartupScope = {
  /** Registers something to close; returns the value for chaining. */
  track<T>(value: T, close: (value: T) => unknown): T;
  /** Closes what was tracked, newest first, ignoring errors, and rethrows `error`. */
  fail(error: unknown): Promise<never>;
};

/** Creates an empty {@link StartupScope}. */
export function createStartupScope(): StartupScope {
  const closers: Array<() => unknown> = [];
  return {
    track(value, close) {
      closers.push(() => close(value));
      return value;
    },
    async fail(error) {
      for (const close of closers.reverse()) {
        try {
          await close();
        } catch {
          // The start-up error is what matters; a close that fails too adds nothing.
        }
      }
      throw error;
    },
  };
}
