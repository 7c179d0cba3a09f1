import { accountKeyOf, planWindows } from './account-budget';

describe('planWindows', () => {
  it.each([30, 60, 250, 300, 600, 1000])('never lets a 60 s span exceed %i requests, and uses most of the budget', (perMinute) => {
    const { seconds, points } = planWindows(perMinute);
    // A 60-second span touches at most 60/seconds + 1 windows.
    expect((Math.floor(60 / seconds) + 1) * points).toBeLessThanOrEqual(perMinute);
    expect((points * 60) / seconds).toBeGreaterThanOrEqual(perMinute * 0.75);
  });
});

describe('accountKeyOf', () => {
  it('gives integrations of one HDE account the same key', () => {
    expect(accountKeyOf('https://Acme.helpdeskeddy.com/')).toBe(accountKeyOf('https://acme.helpdeskeddy.com'));
    expect(accountKeyOf('http://127.0.0.1:8090/a/north')).not.toBe(accountKeyOf('http://127.0.0.1:8090/a/south'));
  });
});
