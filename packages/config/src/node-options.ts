/**
 * V8 options the ingress runs with (compose's `NODE_OPTIONS`, the demo's and the benchmarks'
 * processes). A smaller young generation (8 MB semi-spaces instead of V8's 16 MB) for a process
 * that allocates short-lived request objects only. `bench:ingress`, the same build side by side with
 * and without (RSS after the open loop, MB): 126 vs 147, 140 vs 158, 162 vs 161, 116 vs 140, and
 * once earlier 154 vs 149 — usually ~20 MB lower, never costing req/s (0.97–1.21 of the default's
 * in those runs). One RSS reading varies by ±20 MB between runs; what keeps the peak under the
 * ≤ 150 MB target is the old generation's growth (the ingress's `src/v8-flags.ts`). 2 MB went
 * further (104 MB) but cost 10 % throughput.
 */
export const INGRESS_NODE_ARGS: readonly string[] = ['--max-semi-space-size=8'];
