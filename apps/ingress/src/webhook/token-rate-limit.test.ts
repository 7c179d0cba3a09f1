import { createTokenRateLimit } from './token-rate-limit';

describe('createTokenRateLimit', () => {
  it('allows the window’s points per token, then refuses with the seconds until the window resets', () => {
    let now = 1_000;
    const limit = createTokenRateLimit({ points: 2, windowMs: 60_000, now: () => now });
    expect(limit.take('t1')).toEqual({ allowed: true });
    expect(limit.take('t1')).toEqual({ allowed: true });
    now += 30_500;
    expect(limit.take('t1')).toEqual({ allowed: false, retryAfterSeconds: 30 });
    // Another token has its own window.
    expect(limit.take('t2')).toEqual({ allowed: true });
    now += 29_500;
    expect(limit.take('t1')).toEqual({ allowed: true });
  });

  it('never answers a Retry-After below one second', () => {
    let now = 0;
    const limit = createTokenRateLimit({ points: 1, windowMs: 1_000, now: () => now });
    limit.take('t');
    now = 999;
    expect(limit.take('t')).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('counts a request at its cost (bytes of a body against a byte budget)', () => {
    const limit = createTokenRateLimit({ points: 3000, windowMs: 60_000, now: () => 0 });
    expect(limit.take('unverified', 1500).allowed).toBe(true);
    expect(limit.take('unverified', 1500).allowed).toBe(true);
    expect(limit.take('unverified', 1).allowed).toBe(false);
  });
});
