import { describeNextOpening, describeWorkingHours, isWithinWorkingHours, nextOpening } from './working-hours';

const hours = { timezone: 'Europe/Moscow', days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' };

describe('working hours', () => {
  it('tells inside from outside in the configured time zone', () => {
    // Wednesday 2025-05-14 10:00 Moscow = 07:00 UTC
    expect(isWithinWorkingHours(hours, new Date('2025-05-14T07:00:00Z'))).toBe(true);
    // Wednesday 19:00 Moscow
    expect(isWithinWorkingHours(hours, new Date('2025-05-14T16:00:00Z'))).toBe(false);
    // Saturday noon Moscow
    expect(isWithinWorkingHours(hours, new Date('2025-05-17T09:00:00Z'))).toBe(false);
  });

  it('finds the next opening: later today, tomorrow, or after the weekend', () => {
    expect(nextOpening(hours, new Date('2025-05-14T04:00:00Z'))).toEqual({ daysAhead: 0, isoWeekday: 3, time: '09:00' });
    expect(nextOpening(hours, new Date('2025-05-14T16:00:00Z'))).toEqual({ daysAhead: 1, isoWeekday: 4, time: '09:00' });
    expect(nextOpening(hours, new Date('2025-05-16T16:00:00Z'))).toEqual({ daysAhead: 3, isoWeekday: 1, time: '09:00' });
    expect(nextOpening({ ...hours, days: [] }, new Date())).toBeUndefined();
  });

  it('describes the hours and the next opening in the customer language', () => {
    expect(describeWorkingHours(hours, 'ru')).toBe('Пн–Пт 09:00–18:00 (по Москве)');
    expect(describeWorkingHours(hours, 'en')).toBe('Mon–Fri 09:00–18:00 (Moscow time)');
    expect(describeWorkingHours({ ...hours, days: [1, 3] }, 'ru')).toBe('Пн, Ср 09:00–18:00 (по Москве)');
    expect(describeNextOpening({ daysAhead: 3, isoWeekday: 1, time: '09:00' }, 'ru')).toBe('в понедельник в 09:00');
    expect(describeNextOpening({ daysAhead: 1, isoWeekday: 4, time: '09:00' }, 'en')).toBe('tomorrow at 09:00');
  });
});
