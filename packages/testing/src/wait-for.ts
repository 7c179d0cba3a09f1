/**
 * Polls a condition until it holds. Tests wait on state, never on fixed sleeps; the timeout only
 * bounds a failing test.
 */
export async function waitFor<T>(
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  options: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      const detail = last instanceof Error ? `: ${last.message}` : '';
      throw new Error(`Timed out waiting for ${options.what ?? 'condition'}${detail}`);
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 50));
  }
}
