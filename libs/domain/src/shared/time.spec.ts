import { addMonths, compareIsoDates, dateOfInstant, daysInMonth, isIsoInstant, parseIsoDate } from './time';

describe('calendar arithmetic on ISO strings', () => {
  it.each([
    ['2025-03-01', 18, '2026-09-01'],
    ['2025-03-01', 60, '2030-03-01'],
    ['2025-01-31', 1, '2025-02-28'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2024-02-29', 12, '2025-02-28'],
    ['2025-11-15', 2, '2026-01-15'],
    ['2025-12-31', 0, '2025-12-31'],
    ['2025-03-31', -1, '2025-02-28'],
  ])('%s + %i months = %s (a missing day clamps to the month end)', (from, months, expected) => {
    expect(addMonths(from, months)).toBe(expected);
  });

  it('refuses to add months to something that is not a date', () => {
    expect(() => addMonths('2025-02-30', 1)).toThrow(RangeError);
  });

  it('knows month lengths and leap years (every 4th, not every 100th, every 400th)', () => {
    expect([2023, 2024, 1900, 2000].map((y) => daysInMonth(y, 2))).toEqual([28, 29, 28, 29]);
    expect([1, 4, 6, 9, 11, 12].map((m) => daysInMonth(2025, m))).toEqual([31, 30, 30, 30, 30, 31]);
  });

  it('parses only real YYYY-MM-DD dates', () => {
    expect(parseIsoDate('2025-03-01')).toEqual({ year: 2025, month: 3, day: 1 });
    for (const bad of ['2025-02-29', '2025-13-01', '2025-3-1', '01.03.2025', 20250301, null]) expect(parseIsoDate(bad)).toBeNull();
  });

  it('accepts only instants with an explicit offset', () => {
    for (const ok of ['2025-03-01T10:00:00Z', '2025-03-01T10:00:00.123+02:00', '2025-03-01T10:00+02:00', '2024-02-29T23:59:59-05:30']) {
      expect(isIsoInstant(ok)).toBe(true);
    }
    for (const bad of ['2025-03-01T10:00:00', '2025-03-01', '2025-02-30T10:00:00Z', '2025-03-01T24:00:00Z', '2025-03-01T10:60:00Z', '2025-03-01T10:00:60Z', '2025-03-01T10:00:00+25:00', 'now', 0]) {
      expect(isIsoInstant(bad)).toBe(false);
    }
  });

  it("takes an instant's date as written in its own offset (the Latvian day for +02:00/+03:00)", () => {
    expect(dateOfInstant('2025-03-01T00:30:00+02:00')).toBe('2025-03-01');
  });

  it('compares ISO dates', () => {
    expect([compareIsoDates('2025-01-01', '2025-01-02'), compareIsoDates('2025-01-02', '2025-01-01'), compareIsoDates('2025-01-01', '2025-01-01')]).toEqual([-1, 1, 0]);
  });
});
