import { AppError } from '@repo/domain';
import { JobDelay } from '@repo/queue';
import { UNSTORED_EVENT_WAIT_MS, unstoredEventError } from './unstored-event';

describe('unstoredEventError', () => {
  it('delays a young job without spending an attempt, longer as it ages, and spends attempts past the wait', () => {
    const now = 1_000_000_000;
    const fresh = unstoredEventError(now - 5, now);
    expect(fresh).toBeInstanceOf(JobDelay);
    expect((fresh as JobDelay).until - now).toBe(250);
    const minuteOld = unstoredEventError(now - 60_000, now) as JobDelay;
    expect(minuteOld.until - now).toBe(30_000);
    expect(unstoredEventError(now - 20_000, now)).toEqual(expect.objectContaining({ until: now + 10_000 }));
    const old = unstoredEventError(now - UNSTORED_EVENT_WAIT_MS, now);
    expect(old).toBeInstanceOf(AppError);
    expect((old as AppError).retryable).toBe(true);
  });
});
