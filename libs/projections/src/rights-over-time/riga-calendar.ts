/**
 * Riga's calendar for the process: Latvian terms end at Riga midnight, whatever the server's zone.
 * Deterministic, so the projection gives the same rows on a rebuild.
 *
 * Riga's offset is computed from the zone's rules, not formatted by Intl for every event (Intl was a
 * tenth of a rebuild's time): since 2001 Latvia follows the EU rule, +02:00 (EET) and +03:00 (EEST)
 * from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October (tzdata
 * Europe/Riga; Latvia kept no summer time in 2000). Earlier instants ask Intl, which knows the history.
 */
const EU_RULE_SINCE_YEAR = 2001;

const RIGA = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Riga', timeZoneName: 'longOffset' });

/** 01:00 UTC on the last Sunday of `month` (0-based) of `year`, in ms. */
function lastSundayOneUtc(year: number, month: number): number {
  const lastDay = new Date(Date.UTC(year, month + 1, 0));
  return Date.UTC(year, month, lastDay.getUTCDate() - lastDay.getUTCDay(), 1);
}

/** Riga's offset from UTC, in minutes, at an instant (ms since the epoch). */
export function rigaOffsetMinutes(ms: number): number {
  const year = new Date(ms).getUTCFullYear();
  if (year >= EU_RULE_SINCE_YEAR) {
    return ms >= lastSundayOneUtc(year, 2) && ms < lastSundayOneUtc(year, 9) ? 180 : 120;
  }
  const name = RIGA.formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /^GMT([+-])(\d{2}):(\d{2})$/.exec(name);
  return match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** The wall clock in Riga at `ms`, as a Date whose UTC fields are Riga's fields. */
function rigaWallClock(ms: number): { wall: Date; offset: number } {
  const offset = rigaOffsetMinutes(ms);
  return { wall: new Date(ms + offset * 60_000), offset };
}

function dateOfWall(wall: Date): string {
  return `${pad(wall.getUTCFullYear(), 4)}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}`;
}

/** The Riga calendar date (YYYY-MM-DD) of an instant. */
export function rigaDateOf(instant: string | Date): string {
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`not an instant: ${String(instant)}`);
  return dateOfWall(rigaWallClock(ms).wall);
}

/** An instant written in Riga's offset, as commands are (2026-11-23T01:30:00.000+02:00). */
export function rigaInstantOf(date: Date): string {
  const { wall, offset } = rigaWallClock(date.getTime());
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${dateOfWall(wall)}T${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}:${pad(wall.getUTCSeconds())}.${pad(wall.getUTCMilliseconds(), 3)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** The instant a Riga day begins (00:00 in its winter +02:00 or summer +03:00 offset). */
export function rigaMidnight(date: string): string {
  for (const offset of ['+02:00', '+03:00']) {
    const candidate = `${date}T00:00:00${offset}`;
    const { wall } = rigaWallClock(Date.parse(candidate));
    if (dateOfWall(wall) === date && wall.getUTCHours() === 0) return candidate;
  }
  throw new RangeError(`no Riga midnight for ${date}`);
}

/** Calendar arithmetic on YYYY-MM-DD (UTC noon, so no zone can move the day). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Months forward; the day is clamped to the month's last (31 Aug + 18 months = 28/29 Feb). */
export function addMonths(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number);
  const total = year * 12 + (month - 1) + months;
  const y = Math.floor(total / 12);
  const m = (total % 12) + 1;
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(day, last)).padStart(2, '0')}`;
}
