import http from 'node:http';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Queue } from 'bullmq';

/**
 * Serves /healthz, /readyz (Redis and PostgreSQL reachable) and /metrics for one worker process: process metrics and, read at scrape time,
 * the job counts of every pipeline queue.
 */
export async function startMetricsServer(options: {
  port: number;
  queues: Queue[];
  /** Whether the worker can work now; /readyz answers 503 with what is down otherwise (the log has why). */
  readiness?: () => { ready: boolean; down: string[] };
  /** Statements sent to PostgreSQL by stage, when the store counts them. */
  queryStats?: () => { byLabel: Record<string, number> };
  /**
   * Customer messages that are visibly failed, and events quarantined after failing the same way.
   * Read at scrape time, at most once per `failuresMaxAgeMs` (default 15 s): both are counts over
   * whole tables, and several scrapers (or a tight polling loop) must not repeat them every time.
   */
  failures?: () => Promise<{ failedMessages: number; quarantinedEvents: number }>;
  failuresMaxAgeMs?: number;
}): Promise<{ close(): Promise<void> }> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  if (options.queryStats) {
    const read = options.queryStats;
    new Gauge({
      name: 'hde_db_queries_total',
      help: 'Statements sent to PostgreSQL by pipeline stage since the process started',
      labelNames: ['stage'] as const,
      registers: [registry],
      collect() {
        for (const [stage, n] of Object.entries(read().byLabel)) this.set({ stage }, n);
      },
    });
  }
  if (options.failures) {
    const source = options.failures;
    const maxAgeMs = options.failuresMaxAgeMs ?? 15_000;
    let last: { at: number; value: Promise<{ failedMessages: number; quarantinedEvents: number }> } | undefined;
    const read = () => {
      if (!last || Date.now() - last.at > maxAgeMs) {
        const value = source();
        // A failed read is not kept: the next scrape tries again.
        value.catch(() => (last = undefined));
        last = { at: Date.now(), value };
      }
      return last.value;
    };
    new Gauge({
      name: 'hde_failures',
      help: 'Customer messages marked failed, and events quarantined (never re-driven), across the deployment',
      labelNames: ['kind'] as const,
      registers: [registry],
      async collect() {
        const now = await read();
        this.set({ kind: 'failed_messages' }, now.failedMessages);
        this.set({ kind: 'quarantined_events' }, now.quarantinedEvents);
      },
    });
  }
  new Gauge({
    name: 'hde_queue_jobs',
    help: 'Jobs per pipeline queue and state',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      for (const queue of options.queues) {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed');
        for (const [state, n] of Object.entries(counts)) this.set({ queue: queue.name, state }, n);
      }
    },
  });
  const server = http.createServer((req, res) => {
    if (req.url === '/readyz') {
      const state = options.readiness?.() ?? { ready: true, down: [] };
      res
        .writeHead(state.ready ? 200 : 503, { 'content-type': 'application/json' })
        .end(JSON.stringify({ ok: state.ready, down: state.down }));
      return;
    }
    if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      return;
    }
    if (req.url === '/metrics') {
      registry
        .metrics()
        .then((body) => res.writeHead(200, { 'content-type': registry.contentType }).end(body))
        .catch(() => res.writeHead(500).end());
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(options.port, resolve));
  return { close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
