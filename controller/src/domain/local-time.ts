/**
 * Wall-clock arithmetic in the school's time zone. Slots and make-up hours are written as local
 * dates and times; instants (a `Date`) are turned into a position on the local time line, counted
 * in seconds from 1970-01-01 00:00 local, so that "08:30 on 2026-06-10" compares directly.
 * Intl does the zone work (pure: no I/O). Zones with daylight saving would make a local hour
 * ambiguous once a year; Asia/Shanghai has none.
 */

/** YYYY-MM-DD */
export type LocalDate = string;
/** HH:MM, 24-hour */
export type LocalTime = string;

export interface WallClock {
  date: LocalDate;
  /** Seconds since local midnight. */
  secondOfDay: number;
  /** ISO weekday: Monday = 1 ... Sunday = 7. */
  weekday: number;
  /** Seconds on the local time line (see the file comment). */
  position: number;
}

const SECONDS_PER_DAY = 86_400;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Where `instant` falls on the wall clock of `timeZone`. */
export function wallClock(instant: Date, timeZone: string): WallClock {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(instant)) parts[p.type] = p.value;
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  const secondOfDay = Number(parts.hour) * 3600 + Number(parts.minute) * 60 + Number(parts.second);
  const day = dayNumber(date);
  return { date, secondOfDay, weekday: isoWeekday(day), position: day * SECONDS_PER_DAY + secondOfDay };
}

/** Days since 1970-01-01 of a valid local date. */
export function dayNumber(date: LocalDate): number {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1) / (SECONDS_PER_DAY * 1000);
}

export function dateOfDay(day: number): LocalDate {
  return new Date(day * SECONDS_PER_DAY * 1000).toISOString().slice(0, 10);
}

export function isoWeekday(day: number): number {
  // 1970-01-01 was a Thursday (ISO 4).
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/** Minutes after midnight of HH:MM; 24:00 is allowed as an end. */
export function minuteOfDay(time: LocalTime): number {
  const [h, m] = time.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/**
 * The half-open interval [start, end) on the local time line of a period starting on `date`.
 * An end at or before the start means the period runs past midnight into the next day.
 */
export function interval(date: LocalDate, start: LocalTime, end: LocalTime): { from: number; to: number } {
  const day = dayNumber(date) * SECONDS_PER_DAY;
  const from = day + minuteOfDay(start) * 60;
  let to = day + minuteOfDay(end) * 60;
  if (to <= from) to += SECONDS_PER_DAY;
  return { from, to };
}

export function isValidDate(date: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return false;
  const probe = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return probe.toISOString().slice(0, 10) === date;
}

export function isValidTime(time: string, allowMidnightEnd = false): boolean {
  if (allowMidnightEnd && time === '24:00') return true;
  return /^([01]\d|2[0-3]):[0-5]\d$/.test(time);
}

/** The school's calendar date (YYYY-MM-DD) of an instant in its time zone. */
export function localDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}
