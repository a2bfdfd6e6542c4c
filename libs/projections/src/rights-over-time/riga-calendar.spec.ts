/** Riga's calendar computed from the zone's rules equals what Intl (the tz database) says, hour by hour. */
import { rigaDateOf, rigaInstantOf, rigaMidnight, rigaOffsetMinutes } from './riga-calendar';

const INTL = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Riga', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  hourCycle: 'h23', timeZoneName: 'longOffset',
});

/** The reference: Riga's wall clock and offset as Intl formats them. */
function intl(ms: number): { date: string; time: string; offset: string } {
  const p = Object.fromEntries(INTL.formatToParts(new Date(ms)).map((part) => [part.type, part.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}:${p.second}`, offset: p.timeZoneName === 'GMT' ? '+00:00' : p.timeZoneName.replace('GMT', '') };
}

const HOUR = 3_600_000;

describe('Riga calendar', () => {
  it('equals Intl every 5 hours (so every hour of the day in turn) from 1995 to 2045, and a millisecond either side of each change', () => {
    const mismatches: string[] = [];
    const check = (ms: number): void => {
      const expected = intl(ms);
      const instant = rigaInstantOf(new Date(ms));
      const want = `${expected.date}T${expected.time}.${String(new Date(ms).getUTCMilliseconds()).padStart(3, '0')}${expected.offset}`;
      if (rigaDateOf(new Date(ms)) !== expected.date || instant !== want) mismatches.push(`${new Date(ms).toISOString()}: ${instant} vs ${want}`);
    };
    let changes = 0;
    for (let ms = Date.UTC(1995, 0, 1); ms < Date.UTC(2045, 0, 1); ms += 5 * HOUR) {
      check(ms);
      if (rigaOffsetMinutes(ms) === rigaOffsetMinutes(ms - 5 * HOUR)) continue;
      // The change lies in the last 5 hours: find its hour, and check either side of it.
      for (let h = ms - 5 * HOUR + HOUR; h <= ms; h += HOUR) {
        if (rigaOffsetMinutes(h) !== rigaOffsetMinutes(h - HOUR)) {
          changes += 1;
          for (const d of [-HOUR, -1, 0, 1, HOUR]) check(h + d);
        }
      }
    }
    expect(changes).toBeGreaterThan(90); // two a year, as the rule says
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  it('reads instants written in any offset', () => {
    expect(rigaDateOf('2026-03-28T22:30:00.000Z')).toBe('2026-03-29'); // 00:30 +02:00
    expect(rigaDateOf('2026-10-24T21:30:00Z')).toBe('2026-10-25'); // 00:30 +03:00
    expect(rigaDateOf('2026-11-23T01:30:00.000+02:00')).toBe('2026-11-23');
    expect(() => rigaDateOf('not a time')).toThrow(RangeError);
  });

  it('a day begins at 00:00 in the offset of that day', () => {
    expect(rigaMidnight('2026-01-15')).toBe('2026-01-15T00:00:00+02:00');
    expect(rigaMidnight('2026-07-15')).toBe('2026-07-15T00:00:00+03:00');
    expect(rigaMidnight('2026-03-29')).toBe('2026-03-29T00:00:00+02:00'); // summer time starts at 03:00 that day
    expect(rigaMidnight('2026-10-25')).toBe('2026-10-25T00:00:00+03:00'); // and ends at 04:00
    expect(rigaMidnight('2000-06-01')).toBe('2000-06-01T00:00:00+02:00'); // 2000: no summer time in Latvia
  });
});
