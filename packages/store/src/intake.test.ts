import { createIntake, IntakeTimeoutError, type IntakeRecord } from './intake';

const record = (id: string, enqueue = true): IntakeRecord => ({
  id,
  integrationId: '00000000-0000-0000-0000-000000000001',
  ticketId: 1,
  source: 'webhook',
  parseStatus: 'ok',
  payload: { v: 2 },
  rawBody: null,
  contentType: 'application/json',
  receivedAt: new Date(0),
  enqueue,
});

/** A writer whose calls stay pending until released, to see how batches form. */
function heldWrites() {
  const batches: string[][] = [];
  const jobs: string[][] = [];
  const releases: Array<() => void> = [];
  return {
    batches,
    jobs,
    releaseNext: () => releases.shift()?.(),
    events: {
      insertMany: (rows: readonly { id: string }[]) => {
        batches.push(rows.map((r) => r.id));
        return new Promise<Set<string>>((resolve) => releases.push(() => resolve(new Set(rows.map((r) => r.id)))));
      },
    },
    enqueue: (list: Array<{ eventId: string }>) => {
      jobs.push(list.map((j) => j.eventId));
      return Promise.resolve();
    },
  };
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('createIntake', () => {
  it('writes submissions that arrive while a batch is in flight together, in one insert and one enqueue', async () => {
    const writes = heldWrites();
    const intake = createIntake({ events: writes.events, enqueue: writes.enqueue, maxInFlight: 1 });
    const first = intake.submit(record('a'));
    const rest = ['b', 'c', 'd'].map((id) => intake.submit(record(id)));
    await flush();
    expect(writes.batches).toEqual([['a']]);
    writes.releaseNext();
    await expect(first).resolves.toEqual({ eventId: 'a', duplicate: false });
    await flush();
    expect(writes.batches).toEqual([['a'], ['b', 'c', 'd']]);
    writes.releaseNext();
    await expect(Promise.all(rest)).resolves.toHaveLength(3);
    expect(writes.jobs).toEqual([['a'], ['b', 'c', 'd']]);
  });

  it('starts a batch beside one in flight only once minParallelBatch events wait', async () => {
    const writes = heldWrites();
    const intake = createIntake({ events: writes.events, enqueue: writes.enqueue, maxInFlight: 2, minParallelBatch: 3 });
    const all = [intake.submit(record('a')), intake.submit(record('b')), intake.submit(record('c'))];
    await flush();
    expect(writes.batches).toEqual([['a']]);
    all.push(intake.submit(record('d')));
    await flush();
    expect(writes.batches).toEqual([['a'], ['b', 'c', 'd']]);
    writes.releaseNext();
    writes.releaseNext();
    await expect(Promise.all(all)).resolves.toHaveLength(4);
  });

  it('stores one row per id and answers the later copies of a batch as duplicates', async () => {
    const writes = heldWrites();
    const intake = createIntake({ events: writes.events, enqueue: writes.enqueue, maxInFlight: 1 });
    const held = intake.submit(record('x'));
    const copies = [intake.submit(record('a')), intake.submit(record('a')), intake.submit(record('b', false))];
    await flush();
    writes.releaseNext();
    await held;
    await flush();
    writes.releaseNext();
    await expect(Promise.all(copies)).resolves.toEqual([
      { eventId: 'a', duplicate: false },
      { eventId: 'a', duplicate: true },
      { eventId: 'b', duplicate: false },
    ]);
    expect(writes.batches[1]).toEqual(['a', 'b']);
    // Only records meant for classify are enqueued.
    expect(writes.jobs[1]).toEqual(['a']);
  });

  it('rejects every caller of a batch whose enqueue fails', async () => {
    const intake = createIntake({
      events: { insertMany: (rows) => Promise.resolve(new Set(rows.map((r) => r.id))) },
      enqueue: () => Promise.reject(new Error('Redis down')),
    });
    await expect(Promise.all([intake.submit(record('a')), intake.submit(record('b'))])).rejects.toThrow('Redis down');
  });

  describe('with a bound on the wait', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('counts the time spent waiting for a batch slot, so a caller behind a stuck batch gives up on time too', async () => {
      const intake = createIntake({
        events: { insertMany: () => new Promise<Set<string>>(() => undefined) }, // never answers
        enqueue: () => Promise.resolve(),
        maxInFlight: 1,
        batchTimeoutMs: 100,
      });
      const first = intake.submit(record('a'));
      const firstSettled = first.catch((e: unknown) => e);
      await jest.advanceTimersByTimeAsync(60);
      const second = intake.submit(record('b'));
      let secondError: unknown;
      void second.catch((e: unknown) => (secondError = e));
      await jest.advanceTimersByTimeAsync(40);
      expect(await firstSettled).toBeInstanceOf(IntakeTimeoutError);
      // The second waited 40 ms for the slot: its own batch gets the 60 ms left, not another 100.
      await jest.advanceTimersByTimeAsync(60);
      expect(secondError).toBeInstanceOf(IntakeTimeoutError);
    });
  });
});
