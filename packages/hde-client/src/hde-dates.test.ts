import { formatHdeDate, parseHdeDate } from './hde-dates';

const MSK = 180;

describe('parseHdeDate', () => {
  it.each([
    ['2017-01-13 12:36:58', '2017-01-13T09:36:58.000Z'], // tickets, users
    ['17:45:00 26.01.2017', '2017-01-26T14:45:00.000Z'], // posts, comments
    ['17.01.2017 16:00', '2017-01-17T13:00:00.000Z'], // sla_date, freeze_date
    ['2017-01-13 12:36', '2017-01-13T09:36:00.000Z'],
    ['9:05 01.02.2017', '2017-02-01T06:05:00.000Z'],
    ['01.02.2017', '2017-01-31T21:00:00.000Z'],
    ['2017-01-13', '2017-01-12T21:00:00.000Z'],
    ['2017-01-13T12:36:58', '2017-01-13T09:36:58.000Z'], // ISO without zone: account local
  ])('reads %s as Moscow local time', (input, iso) => {
    expect(parseHdeDate(input, MSK)?.toISOString()).toBe(iso);
  });

  it('lets an explicit ISO zone win over the account offset', () => {
    expect(parseHdeDate('2017-01-13T12:36:58Z', MSK)?.toISOString()).toBe('2017-01-13T12:36:58.000Z');
    expect(parseHdeDate('2017-01-13T12:36:58+05:00', MSK)?.toISOString()).toBe('2017-01-13T07:36:58.000Z');
  });

  it('defaults to +180 and honours other offsets', () => {
    expect(parseHdeDate('2017-01-13 12:00:00')?.toISOString()).toBe('2017-01-13T09:00:00.000Z');
    expect(parseHdeDate('2017-01-13 12:00:00', 0)?.toISOString()).toBe('2017-01-13T12:00:00.000Z');
    expect(parseHdeDate('2017-01-13 12:00:00', -300)?.toISOString()).toBe('2017-01-13T17:00:00.000Z');
  });

  it.each([
    ['null'],
    ['NULL'],
    [''],
    ['  '],
    ['0000-00-00 00:00:00'],
    ['0'],
    [null],
    [undefined],
    [{}],
    ['yesterday'],
    ['31.02.2017 10:00'],
    ['2017-13-01 00:00:00'],
    ['25:00:00 01.01.2017'],
  ])('gives null for %p', (input) => {
    expect(parseHdeDate(input, MSK)).toBeNull();
  });

  it('reads Unix seconds', () => {
    expect(parseHdeDate(1_484_300_218, MSK)?.toISOString()).toBe('2017-01-13T09:36:58.000Z');
    expect(parseHdeDate(0, MSK)).toBeNull();
  });
});

describe('formatHdeDate', () => {
  it('formats in account local time for list filters', () => {
    expect(formatHdeDate(new Date('2017-01-13T09:36:58Z'), MSK)).toBe('2017-01-13 12:36:58');
    expect(formatHdeDate(new Date('2017-12-31T22:00:00Z'), MSK)).toBe('2018-01-01 01:00:00');
  });

  it('round-trips with parseHdeDate', () => {
    const d = new Date('2024-03-05T07:08:09Z');
    for (const tz of [0, 180, 330, -480]) expect(parseHdeDate(formatHdeDate(d, tz), tz)?.getTime()).toBe(d.getTime());
  });

  it('refuses an invalid date', () => {
    expect(() => formatHdeDate(new Date('nope'))).toThrow(RangeError);
  });
});
