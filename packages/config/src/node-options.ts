/**
 * V8 options the ingress runs with (compose's `NODE_OPTIONS`, the demo's and the benchmarks'
 * processes). A smaller young generation (8 MB semi-spaces instead of V8's 16 MB) keeps the
 * ingress's resident memory under load about 20 MB lower at the same throughput: the ingress
 * allocates short-lived request objects only, which a smaller nursery collects as cheaply
 * (`bench:ingress`, the same build side by side with and without: RSS 126 vs 147 MB and 140 vs
 * 158 MB, req/s 0.99 and 0.97 of the default's, within the rounds' spread). 2 MB went further
 * (104 MB) but cost 10 % throughput.
 */
export const INGRESS_NODE_ARGS: readonly string[] = ['--max-semi-space-size=8'];
