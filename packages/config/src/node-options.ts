/**
 * V8 options the ingress runs with (compose's `NODE_OPTIONS`, the demo's and the benchmarks'
 * processes). A smaller young generation (8 MB semi-spaces instead of V8's 16 MB) for a process
 * that allocates short-lived request objects only. `bench:ingress`, the same build side by side with
 * and without (RSS after the open loop, MB): 126 vs 147, 140 vs 158, 162 vs 161, 116 vs 140, and
 * once earlier 154 vs 149 — usually ~20 MB lower, never costing req/s (0.97–1.21 of the default's
 * in those runs). One RSS reading varies by ±20 MB between runs, so this shifts the odds of the
 * ≤ 150 MB target rather than guaranteeing it. 2 MB went further (104 MB) but cost 10 % throughput.
 */
export const INGRESS_NODE_ARGS: readonly string[] = ['--max-semi-space-size=8'];

/**
 * V8 flags the ingress sets on itself at start (`v8.setFlagsFromString`, so they hold however it is
 * started; Node refuses them in `NODE_OPTIONS`). They are garbage-collection heuristics V8 reads at
 * each collection, so setting them after start takes effect. Under load, request objects waiting a
 * few milliseconds for their group commit outlive two scavenges and are promoted, and V8 lets the
 * old generation grow by a large factor before collecting it, so resident memory climbed in a
 * sawtooth to 154–189 MB. Growing it by 20 % instead keeps the peak at 106–139 MB (`bench:ingress`,
 * the highest RSS sampled every 200 ms, side by side with the same build without it, four runs:
 * 106 vs 184, 108 vs 154, 131 vs 189, 139 vs 185 MB) at 0.94–1.00 of its req/s; the open-loop p99
 * was 17.3–17.5 against 14.4–15.6 ms in the last two (more frequent full collections).
 * `--optimize-for-size` also held it near 105 MB but cost 17 % of the req/s.
 */
export const INGRESS_V8_FLAGS: readonly string[] = ['--heap-growing-percent=20'];
