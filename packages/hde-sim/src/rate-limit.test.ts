import { RateLimiter } from './rate-limit';

function limiter(limit: number) {
  const clock = { now: 0 };
  const rl = new RateLimiter({ limit, windowMs: 1000, banMs: 5000, now: () => clock.now });
  return { rl, clock };
}

describe('RateLimiter', () => {
  it('counts down the remaining requests of the window', () => {
    const { rl } = limiter(3);
    expect(rl.check()).toEqual({ allowed: true, remaining: 2 });
    expect(rl.check()).toEqual({ allowed: true, remaining: 1 });
    expect(rl.check()).toEqual({ allowed: true, remaining: 0 });
  });

  it('bans on the first request over the limit and refuses everything until the ban ends', () => {
    const { rl, clock } = limiter(2);
    rl.check();
    rl.check();
    expect(rl.check()).toMatchObject({ allowed: false, reason: 'limit_exceeded', bannedUntil: 5000 });
    clock.now = 4999;
    expect(rl.check()).toMatchObject({ allowed: false, reason: 'banned', bannedUntil: 5000 });
    clock.now = 5000;
    expect(rl.check()).toEqual({ allowed: true, remaining: 1 });
  });

  it('slides the window: requests older than the window no longer count', () => {
    const { rl, clock } = limiter(2);
    rl.check();
    clock.now = 600;
    rl.check();
    clock.now = 1000;
    expect(rl.check()).toEqual({ allowed: true, remaining: 0 });
  });

  it('can be banned on demand', () => {
    const { rl } = limiter(10);
    rl.ban();
    expect(rl.check()).toMatchObject({ allowed: false, reason: 'banned' });
    expect(rl.remaining()).toBe(0);
  });
});
