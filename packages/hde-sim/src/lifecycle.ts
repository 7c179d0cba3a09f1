import { setMaxListeners } from 'node:events';

/**
 * The simulator's shutdown switch: delays end early on close, so `close()` never waits for an
 * injected latency, trickle or hang to run its course.
 */
export class Lifecycle {
  private readonly controller = new AbortController();

  constructor() {
    // Every in-flight delay and dispatch listens to this one signal; hundreds at once are normal
    // under load, not a leak (each listener goes when its wait ends), so Node's warning at 11 is noise.
    setMaxListeners(0, this.controller.signal);
  }

  /** Whether `close()` has begun. */
  get closed(): boolean {
    return this.controller.signal.aborted;
  }

  /** Aborted when the simulator closes. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Waits `ms`; resolves `false` instead if the simulator closes first. */
  sleep(ms: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = (): void => {
        clearTimeout(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        this.signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, ms);
      this.signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Starts shutting down. */
  close(): void {
    this.controller.abort();
  }
}
