/**
 * V8 flags the ingress sets on itself first thing at start (`main.ts`, before any other module
 * loads; Node refuses them in `NODE_OPTIONS`, and this way they hold however the ingress is
 * started). They are garbage-collection heuristics V8 reads at each collection. Under load, request
 * objects waiting a few milliseconds for their group commit outlive two scavenges and are promoted,
 * and V8 let the old generation grow by a large factor before collecting it, so resident memory
 * climbed in a sawtooth to 154–189 MB. Growing it by 20 % instead keeps the peak far lower
 * (`bench:ingress`, the highest RSS sampled every 200 ms, side by side with the same build without
 * it: 108 vs 157, 108 vs 180, 106 vs 184 and 108 vs 154 MB with the flag set before the modules
 * load; 131 vs 189 and 139 vs 185 MB when it was set after them, when the limit V8 had computed
 * while loading still stood) at 0.94–1.02 of its req/s. `--optimize-for-size` also held it near 105 MB but cost 17 % of the req/s.
 * Kept free of imports: it is loaded before everything else.
 */
export const INGRESS_V8_FLAGS: readonly string[] = ['--heap-growing-percent=20'];
