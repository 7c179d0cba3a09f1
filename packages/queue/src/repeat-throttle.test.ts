import { createRepeatThrottle } from './repeat-throttle';

describe('createRepeatThrottle', () => {
  it('reports a repeated key once per interval with the count left out, and other keys on their own', () => {
    let clock = 0;
    const throttle = createRepeatThrottle(1000, () => clock);
    expect(throttle('READONLY')).toEqual({ report: true, suppressed: 0 });
    clock = 100;
    expect(throttle('READONLY').report).toBe(false);
    expect(throttle('OOM')).toEqual({ report: true, suppressed: 0 });
    clock = 900;
    expect(throttle('READONLY').report).toBe(false);
    clock = 1000;
    expect(throttle('READONLY')).toEqual({ report: true, suppressed: 2 });
  });
});
