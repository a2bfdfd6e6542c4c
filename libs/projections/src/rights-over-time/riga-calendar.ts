/**
 * Riga's calendar for the process: Latvian terms end at Riga midnight, whatever the server's zone.
 * Deterministic (Intl with a fixed zone), so the projection gives the same rows on a rebuild.
 */
const RIGA = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Riga',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
  timeZoneName: 'longOffset',
});

function partsOf(date: Date): Record<string, string> {
  return Object.fromEntries(RIGA.formatToParts(date).map((p) => [p.type, p.value]));
}

/** The Riga calendar date (YYYY-MM-DD) of an instant. */
export function rigaDateOf(instant: string | Date): string {
  const p = partsOf(typeof instant === 'string' ? new Date(instant) : instant);
  return `${p.year}-${p.month}-${p.day}`;
}

/** An instant written in Riga's offset, as commands are (2026-11-23T01:30:00.000+02:00). */
export function rigaInstantOf(date: Date): string {
  const p = partsOf(date);
  const offset = p.timeZoneName === 'GMT' ? '+00:00' : p.timeZoneName.replace('GMT', '');
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}.${String(date.getUTCMilliseconds()).padStart(3, '0')}${offset}`;
}

/** The instant a Riga day begins (00:00 in its winter +02:00 or summer +03:00 offset). */
export function rigaMidnight(date: string): string {
  for (const offset of ['+02:00', '+03:00']) {
    const candidate = `${date}T00:00:00${offset}`;
    const p = partsOf(new Date(candidate));
    if (`${p.year}-${p.month}-${p.day}` === date && p.hour === '00') return candidate;
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
