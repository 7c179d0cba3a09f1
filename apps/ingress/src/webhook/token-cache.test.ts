import { createTokenResolver } from './token-cache';

type Row = { integrationId: string; tokenId: string; expiresInMs: number | null };

/** A repo whose lookups the test answers by hand, so a lookup can be held while a change is announced. */
function heldRepo() {
  const pending: Array<(row: Row | undefined) => void> = [];
  let calls = 0;
  return {
    repo: {
      findByToken: () => {
        calls += 1;
        return new Promise<Row | undefined>((resolve) => pending.push(resolve));
      },
      touchToken: async () => undefined,
    },
    answer: (row: Row | undefined) => pending.shift()!(row),
    calls: () => calls,
  };
}

const row: Row = { integrationId: 'i1', tokenId: 't1', expiresInMs: null };

describe('token resolver', () => {
  it('keeps no answer of a lookup that was running when a change was announced, and starts a new one', async () => {
    const held = heldRepo();
    const tokens = createTokenResolver(held.repo, 30_000);
    const before = tokens.resolve('tok');
    // The token is revoked and announced while the lookup (which read it as active) is running.
    tokens.clear();
    const after = tokens.resolve('tok');
    expect(held.calls()).toBe(2);
    held.answer(row);
    await expect(before).resolves.toEqual({ integrationId: 'i1', tokenId: 't1' });
    expect(tokens.peek('tok')).toBeUndefined();
    held.answer(undefined);
    await expect(after).resolves.toBeUndefined();
    expect(tokens.peek('tok')).toBeNull();
  });

  it('keeps a token no longer than the time the database says it has left', async () => {
    const held = heldRepo();
    const tokens = createTokenResolver(held.repo, 30_000);
    const found = tokens.resolve('tok');
    held.answer({ ...row, expiresInMs: 40 });
    await found;
    expect(tokens.peek('tok')).toEqual({ integrationId: 'i1', tokenId: 't1' });
    await new Promise((r) => setTimeout(r, 80));
    expect(tokens.peek('tok')).toBeUndefined();
  });

  it('shares one lookup between concurrent requests for one token', async () => {
    const held = heldRepo();
    const tokens = createTokenResolver(held.repo, 30_000);
    const a = tokens.resolve('tok');
    const b = tokens.resolve('tok');
    expect(held.calls()).toBe(1);
    held.answer(row);
    await expect(Promise.all([a, b])).resolves.toEqual([
      { integrationId: 'i1', tokenId: 't1' },
      { integrationId: 'i1', tokenId: 't1' },
    ]);
  });
});
