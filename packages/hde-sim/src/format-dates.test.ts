import { formatPostDate, formatSlaDate, formatTicketDate, parseTicketDate } from './format-dates';

const at = Date.UTC(2017, 0, 26, 14, 45, 0); // 17:45:00 in Moscow (UTC+3)

describe('format-dates', () => {
  it('renders ticket dates as YYYY-MM-DD HH:MM:SS in the account timezone', () => {
    expect(formatTicketDate(at, 180)).toBe('2017-01-26 17:45:00');
    expect(formatTicketDate(at, 0)).toBe('2017-01-26 14:45:00');
  });

  it('renders post dates as HH:MM:SS DD.MM.YYYY', () => {
    expect(formatPostDate(at, 180)).toBe('17:45:00 26.01.2017');
  });

  it('renders SLA dates as DD.MM.YYYY HH:MM', () => {
    expect(formatSlaDate(at, 180)).toBe('26.01.2017 17:45');
  });

  it('crosses midnight when the offset moves the date', () => {
    expect(formatPostDate(Date.UTC(2017, 0, 26, 22, 30, 5), 180)).toBe('01:30:05 27.01.2017');
  });

  it('parses filter dates in the account timezone and round-trips', () => {
    expect(parseTicketDate('2017-01-26 17:45:00', 180)).toBe(at);
    expect(parseTicketDate('2017-01-26', 0)).toBe(Date.UTC(2017, 0, 26));
    expect(parseTicketDate('26.01.2017', 180)).toBeUndefined();
  });
});
