import type { Logger } from '@repo/logger';

/** Something that can be closed on shutdown. */
export type Closable = { name: string; close: () => Promise<unknown> };

/**
 * Closes things in order on SIGTERM/SIGINT (HTTP server → workers → queues → connections), each
 * guarded and bounded by a timeout, then exits. Calling it again returns the same promise.
 */
export function createShutdown(options: { logger: Logger; timeoutMs: number; exit?: (code: number) => void }) {
  const closables: Closable[] = [];
  let running: Promise<void> | undefined;
  const exit = options.exit ?? ((code: number) => process.exit(code));

  const shutdown = (signal: string): Promise<void> => {
    running ??= (async () => {
      options.logger.info('Shutting down', { signal });
      const timer = setTimeout(() => {
        options.logger.error('Shutdown timed out', { timeoutMs: options.timeoutMs });
        exit(1);
      }, options.timeoutMs);
      timer.unref();
      for (const closable of closables) {
        try {
          await closable.close();
        } catch (error) {
          options.logger.warn('Close failed', { name: closable.name, error });
        }
      }
      clearTimeout(timer);
      options.logger.info('Shut down', { signal });
    })();
    return running;
  };

  return {
    /** Registers something to close; closed in the order registered. */
    add(closable: Closable) {
      closables.push(closable);
    },
    /** Installs the signal handlers. */
    listen() {
      for (const signal of ['SIGTERM', 'SIGINT'] as const) {
        process.once(signal, () => {
          void shutdown(signal).then(() => exit(0));
        });
      }
    },
    shutdown,
  };
}
