import { rigaInstant } from './riga-time';

describe('command time in Riga', () => {
  it('writes winter time as +02:00 and summer time as +03:00, the same instant', () => {
    expect(rigaInstant(new Date('2026-01-15T22:30:00.000Z'))).toBe('2026-01-16T00:30:00.000+02:00');
    expect(rigaInstant(new Date('2026-07-15T21:30:00.250Z'))).toBe('2026-07-16T00:30:00.250+03:00');
    expect(new Date(rigaInstant(new Date('2026-07-15T21:30:00.250Z'))).toISOString()).toBe('2026-07-15T21:30:00.250Z');
  });
});
