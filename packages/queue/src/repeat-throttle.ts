/** What {@link createRepeatThrottle} says about one occurrence. */
export type RepeatVerdict = { report: boolean; suppressed: number };

/**
 * Lets the same repeated event be reported once per interval, counting the ones left out. BullMQ's
 * loop meets the same error every ~100 ms per queue while Redis refuses writes (a replica after a
 * failover, out of memory): one line per interval with the count says as much as thousands.
 */
export function createRepeatThrottle(intervalMs: number, now: () => number = Date.now): (key: string) => RepeatVerdict {
  const seen = new Map<string, { at: number; suppressed: number }>();
  return (key) => {
    const at = now();
    const last = seen.get(key);
    if (last && at - last.at < intervalMs) {
      last.suppressed += 1;
      return { report: false, suppressed: last.suppressed };
    }
    // Keys are error kinds, a handful; the bound only guards against messages that never repeat.
    if (seen.size >= 100) seen.clear();
    seen.set(key, { at, suppressed: 0 });
    return { report: true, suppressed: last?.suppressed ?? 0 };
  };
}
