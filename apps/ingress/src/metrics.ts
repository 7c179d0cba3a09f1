import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The ingress's Prometheus metrics, on a registry of its own. */
export function createIngressMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    webhooks: new Counter({
      name: 'hde_webhooks_total',
      help: 'Webhooks received, by outcome',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    acceptSeconds: new Histogram({
      name: 'hde_webhook_accept_seconds',
      help: 'Time to store and enqueue a webhook',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 2.5],
      registers: [registry],
    }),
    spoolDepth: new Gauge({ name: 'hde_spool_depth', help: 'Events waiting in the local spool', registers: [registry] }),
  };
}
/** See {@link createIngressMetrics}. */
export type IngressMetrics = ReturnType<typeof createIngressMetrics>;
