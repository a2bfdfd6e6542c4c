/**
 * Dates and times as people in Latvia read them: Riga time, Latvian formats (31.12.2027.,
 * 30.11.2026. 13:45), or the English ones with the switch. ISO dates (the term's last day) are
 * calendar dates and are shown as they are, with no time zone shift.
 */
import type { Lang } from './i18n/lang';

const ZONE = 'Europe/Riga';

export function formatInstant(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  // Latvian writes the year with a full stop: 30.11.2026. 13:45
  return lang === 'lv' ? `${parts.day}.${parts.month}.${parts.year}. ${parts.hour}:${parts.minute}` : `${parts.day}/${parts.month}/${parts.year} ${parts.hour}:${parts.minute}`;
}

export function formatDate(isoDate: string | null | undefined, lang: Lang): string {
  if (!isoDate) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  if (!m) return isoDate;
  return lang === 'lv' ? `${m[3]}.${m[2]}.${m[1]}.` : `${m[3]}/${m[2]}/${m[1]}`;
}

/** "3 d. 4 st." / "3 d 4 h": how long an application has waited. */
export function formatAge(seconds: number, lang: Lang): string {
  const days = Math.floor(seconds / 86400);
  const hours = Math.floor((seconds % 86400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const [d, h, m] = lang === 'lv' ? ['d.', 'st.', 'min'] : ['d', 'h', 'min'];
  if (days > 0) return `${days} ${d} ${hours} ${h}`;
  if (hours > 0) return `${hours} ${h} ${minutes} ${m}`;
  return `${minutes} ${m}`;
}

/** A Riga wall-clock time from a datetime-local input ("2026-11-30T13:45") as an ISO instant with its offset. */
export function rigaInstant(local: string): string {
  const [date, rawTime = '00:00'] = local.split('T');
  const time = rawTime.length === 5 ? `${rawTime}:00` : rawTime.slice(0, 8);
  // The offset of that wall-clock time in Riga (+02:00 in winter, +03:00 in summer).
  const offsetMinutes = rigaOffsetMinutes(new Date(`${date}T${time}Z`));
  const sign = offsetMinutes >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  return `${date}T${time}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

function rigaOffsetMinutes(at: Date): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: ZONE, timeZoneName: 'longOffset' }).formatToParts(at);
  const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT+02:00';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 120;
}

/** Today's date in Riga, YYYY-MM-DD. */
export function rigaToday(): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: ZONE }).format(new Date());
}
