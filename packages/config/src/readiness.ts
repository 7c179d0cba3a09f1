/** One dependency a process needs to do its work. */
export type DependencyCheck = {
  /** Shown to people: `Redis`, `PostgreSQL`, `spool folder`. */
  name: string;
  /** The setting that points at it, named in messages: `REDIS_URL`. */
  variable: string;
  /** Resolves when the dependency works; rejects with the reason otherwise. */
  check(): Promise<void>;
};

/** The minimal logger the monitor needs. */
type MonitorLogger = {
  error(message: string, meta?: Record<string, unknown>): void;
  info(message: string, meta?: Record<string, unknown>): void;
};

/**
 * Readiness of a process: what is down (`down`: the dependency and its setting, safe to show anyone)
 * and why (`problems`: with the driver's reason, which may name hosts, ports or database users).
 */
export type Readiness = { ready: boolean; problems: string[]; down: string[] };

/** See {@link startReadinessMonitor}. */
export type ReadinessMonitor = {
  /** The latest result (checked every interval). */
  current(): Readiness;
  /** Runs every check now. */
  checkNow(): Promise<Readiness>;
  stop(): void;
};

function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && !message.includes(code) ? `${code} ${message}` : message;
}

/**
 * Checks a process's dependencies every interval. While one is down the process is not ready and the
 * log says so once per interval (not once per failed command), naming the setting to look at; its
 * recovery is logged once.
 */
export function startReadinessMonitor(options: { checks: DependencyCheck[]; intervalMs: number; logger: MonitorLogger }): ReadinessMonitor {
  let state: Readiness = { ready: false, problems: ['not checked yet'], down: ['not checked yet'] };
  // When each dependency that is down was last reported, so a probe every second logs once per interval.
  const down = new Map<string, number>();
  const checkNow = async (): Promise<Readiness> => {
    const problems: string[] = [];
    const names: string[] = [];
    for (const dep of options.checks) {
      try {
        await dep.check();
        if (down.delete(dep.name)) options.logger.info('Dependency reachable again', { dependency: dep.name });
      } catch (error) {
        const problem = `${dep.name} (${dep.variable}): ${reasonOf(error)}`;
        problems.push(problem);
        names.push(`${dep.name} (${dep.variable})`);
        const last = down.get(dep.name);
        if (last === undefined || Date.now() - last >= options.intervalMs) {
          down.set(dep.name, Date.now());
          options.logger.error('Dependency unavailable; not ready', {
            dependency: dep.name,
            variable: dep.variable,
            reason: reasonOf(error),
          });
        }
      }
    }
    state = { ready: problems.length === 0, problems, down: names };
    return state;
  };
  const timer = setInterval(() => void checkNow().catch(() => undefined), options.intervalMs);
  timer.unref();
  return { current: () => state, checkNow, stop: () => clearInterval(timer) };
}

/** Rejects when `promise` takes longer than `ms`. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
