import { checkTimeZoneFromWebhooks } from './bot-account';
import { formatHdePostDate } from './hde-dates';

describe("checkTimeZoneFromWebhooks: the account's zone read off its webhooks' post dates", () => {
  const now = Date.UTC(2026, 10, 30, 12, 0, 0);
  /** Webhooks of posts made at UTC+`offsetHours`, each arriving `delaysS[i]` seconds after its post. */
  const samples = (offsetHours: number, delaysS: number[]) =>
    delaysS.map((delay, i) => {
      const posted = new Date(now - i * 600_000);
      return { postedAtText: formatHdePostDate(posted, offsetHours * 60), receivedAt: new Date(posted.getTime() + delay * 1000) };
    });

  it('agrees with a zone the dates fit, late webhooks and all', () => {
    expect(checkTimeZoneFromWebhooks(samples(3, [1, 2, 900, 1, 3]), 'Europe/Moscow', now)).toEqual({
      contradicts: false,
      suggestedZones: [],
    });
  });

  it('names the offset the dates show when the zone is wrong, east or west', () => {
    expect(checkTimeZoneFromWebhooks(samples(5, [1, 2, 1, 4, 2, 1]), 'Europe/Moscow', now)).toMatchObject({
      contradicts: true,
      suggestedOffsetMinutes: 300,
      suggestedZones: expect.arrayContaining(['Asia/Yekaterinburg']),
    });
    expect(checkTimeZoneFromWebhooks(samples(0, [1, 2, 1, 4, 2]), 'Europe/Moscow', now)).toMatchObject({
      contradicts: true,
      suggestedOffsetMinutes: 0,
    });
  });

  it('says nothing from fewer than five dated webhooks', () => {
    expect(checkTimeZoneFromWebhooks(samples(5, [1, 2, 3, 4]), 'Europe/Moscow', now)).toBeUndefined();
    expect(
      checkTimeZoneFromWebhooks([...samples(5, [1, 2, 3, 4]), { postedAtText: 'вчера', receivedAt: new Date(now) }], 'Europe/Moscow', now),
    ).toBeUndefined();
  });
});
