import { DateTime, IANAZone } from 'luxon';
import { BadInputError } from '../domain';

/** A week's span in a time zone: [start, end), Monday 00:00 local to the next Monday 00:00 local. */
export interface WeekRange {
  /** `2026-W46`. */
  week: string;
  zone: string;
  start: Date;
  end: Date;
  /**
   * The first instant of each local day, Monday to Sunday, then `end`: eight instants. Days are 23, 24 or 25 hours
   * long around a DST change, so a day is found by comparing with these, never by dividing by 86,400.
   */
  dayStarts: readonly Date[];
}

const WEEK_ID = /^(\d{4})-W(\d{2})$/;

/** Checks an IANA time zone name (`Europe/Berlin`), or throws a BadInputError saying what is expected. */
export function assertZone(zone: string): void {
  if (!IANAZone.isValidZone(zone)) {
    throw new BadInputError(`unknown time zone ${JSON.stringify(zone)}`, 'use an IANA zone name such as Europe/Berlin, America/New_York or UTC');
  }
}

/**
 * Parses an ISO week id (`2026-W46`). Throws a BadInputError for a malformed id or a week its year does not have
 * (W53 exists only in long years, W00 never).
 */
export function parseWeekId(week: string): { year: number; week: number } {
  const m = WEEK_ID.exec(week.trim());
  if (!m) throw new BadInputError(`bad week ${JSON.stringify(week)}`, 'write an ISO week as YYYY-Www, for example 2026-W46');
  const year = Number(m[1]);
  const num = Number(m[2]);
  const weeksInYear = DateTime.fromObject({ weekYear: year, weekNumber: 1 }, { zone: 'UTC' }).weeksInWeekYear;
  if (num < 1 || num > weeksInYear) {
    throw new BadInputError(`week ${week} does not exist`, `ISO year ${year} has weeks W01 to W${String(weeksInYear).padStart(2, '0')}`);
  }
  return { year, week: num };
}

function formatWeekId(year: number, week: number): string {
  return `${year}-W${String(week).padStart(2, '0')}`;
}

function weekStart(week: string, zone: string): DateTime {
  assertZone(zone);
  const { year, week: num } = parseWeekId(week);
  return DateTime.fromObject({ weekYear: year, weekNumber: num, weekday: 1 }, { zone }).startOf('day');
}

/**
 * The span of an ISO week in a time zone. A week holding a DST change lasts 167 or 169 hours.
 *
 * @example weekRange('2026-W43', 'Europe/Berlin') // 2026-10-18T22:00Z .. 2026-10-25T23:00Z, 169 h
 */
export function weekRange(week: string, zone: string): WeekRange {
  const start = weekStart(week, zone);
  const dayStarts: Date[] = [];
  // Adding calendar days in the zone (not 24 h) keeps each boundary at local midnight across a DST change.
  for (let d = 0; d <= 7; d++) dayStarts.push(start.plus({ days: d }).startOf('day').toJSDate());
  return { week: formatWeekId(start.weekYear, start.weekNumber), zone, start: dayStarts[0]!, end: dayStarts[7]!, dayStarts };
}

/** The ISO week that holds an instant, in a time zone. */
export function weekOf(instant: Date, zone: string): string {
  assertZone(zone);
  const dt = DateTime.fromJSDate(instant, { zone });
  return formatWeekId(dt.weekYear, dt.weekNumber);
}

/** The week `n` weeks before (or after, for negative `n`) a week. */
export function shiftWeek(week: string, n: number): string {
  const dt = weekStart(week, 'UTC').minus({ weeks: n });
  return formatWeekId(dt.weekYear, dt.weekNumber);
}

/** The last `n` weeks up to and including `week`, oldest first. */
export function weeksEndingAt(week: string, n: number): string[] {
  const out: string[] = [];
  for (let i = n - 1; i >= 0; i--) out.push(shiftWeek(week, i));
  return out;
}

/**
 * The last week that has ended at `now` in a zone: what a Monday-morning recap reports on.
 *
 * @example lastCompletedWeek(new Date('2026-11-16T08:00:00Z'), 'Europe/Berlin') // '2026-W46'
 */
export function lastCompletedWeek(now: Date, zone: string): string {
  return shiftWeek(weekOf(now, zone), 1);
}

/**
 * A week's dates for people, in its zone: `9–15 Nov 2026`, `30 Nov – 6 Dec 2026`, `29 Dec 2025 – 4 Jan 2026`.
 */
export function formatWeekSpan(week: string, zone: string): string {
  const first = weekStart(week, zone).setLocale('en');
  const last = first.plus({ days: 6 });
  if (first.year !== last.year) return `${first.toFormat('d LLL yyyy')} – ${last.toFormat('d LLL yyyy')}`;
  if (first.month !== last.month) return `${first.toFormat('d LLL')} – ${last.toFormat('d LLL yyyy')}`;
  return `${first.toFormat('d')}–${last.toFormat('d LLL yyyy')}`;
}
