import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Long CPU work written once as a generator that yields at safe points, then run either at once
 * ({@link runAtOnce}: evaluation, tests, small inputs) or in slices ({@link runInSlices}) so the
 * event loop in between serves timers, sockets and BullMQ lock renewals.
 */
export type SlicedWork<T> = Generator<void, T, void>;

/** Runs sliced work to the end without yielding the event loop. */
export function runAtOnce<T>(work: SlicedWork<T>): T {
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
  }
}

/**
 * Runs sliced work, giving the event loop a turn whenever a slice has used `sliceMs` of CPU
 * (default 10 ms). Why: building a 10,000-article index takes seconds; on the worker's loop that
 * would hold up the lock renewals of every other job, so it must never run in one piece there.
 */
export async function runInSlices<T>(work: SlicedWork<T>, sliceMs = 10): Promise<T> {
  let sliceStart = performance.now();
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
    if (performance.now() - sliceStart >= sliceMs) {
      await nextTurn();
      sliceStart = performance.now();
    }
  }
}
