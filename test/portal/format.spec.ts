import { formatAge, formatDate, formatInstant, rigaInstant } from '../../apps/portal/src/format';

describe("the portal's dates and times: Riga time, Latvian formats", () => {
  it('shows an instant in Riga time, winter (+02:00) and summer (+03:00), the Latvian way and the English way', () => {
    expect(formatInstant('2026-11-30T11:45:00Z', 'lv')).toBe('30.11.2026. 13:45');
    expect(formatInstant('2026-06-30T21:30:00Z', 'lv')).toBe('01.07.2026. 00:30');
    expect(formatInstant('2026-11-30T11:45:00Z', 'en')).toBe('30/11/2026 13:45');
    expect(formatInstant(null, 'lv')).toBe('—');
  });

  it('shows a calendar date as it is, with no time-zone shift', () => {
    expect(formatDate('2027-12-31', 'lv')).toBe('31.12.2027.');
    expect(formatDate('2027-01-01', 'en')).toBe('01/01/2027');
  });

  it('turns a Riga wall-clock time into an instant with the offset of that day', () => {
    expect(rigaInstant('2026-11-30T13:45')).toBe('2026-11-30T13:45:00+02:00');
    expect(rigaInstant('2026-07-01T00:30:15')).toBe('2026-07-01T00:30:15+03:00');
    expect(new Date(rigaInstant('2026-07-01T00:30')).toISOString()).toBe('2026-06-30T21:30:00.000Z');
  });

  it('says how long an application waited', () => {
    expect(formatAge(3 * 86400 + 4 * 3600, 'lv')).toBe('3 d. 4 st.');
    expect(formatAge(125, 'en')).toBe('2 min');
  });
});
