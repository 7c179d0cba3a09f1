/**
 * Runs `work` while a 1 ms timer ticks, and returns its result with the longest gap between two
 * ticks: how long the event loop was held at a time (garbage collection included). The timer has
 * ticked before `work` starts and the time after its last tick counts, so a first or last
 * synchronous stretch is seen too (a delay monitor misses a first one). For benchmarks.
 */
export async function longestLoopHold<T>(work: () => Promise<T>): Promise<{ result: T; longestMs: number }> {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  await new Promise((resolve) => setTimeout(resolve, 5));
  last = performance.now();
  try {
    const result = await work();
    longest = Math.max(longest, performance.now() - last);
    return { result, longestMs: longest };
  } finally {
    clearInterval(timer);
  }
}
