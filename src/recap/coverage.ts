import { DateTime } from 'luxon';
import type { WeekCoverage, WeeklyMetrics } from '../domain';
import type { WeekRange } from './week';

/**
 * What a history source holds, in time. An export holds the days from its first message to its last (known once it
 * has been read); a live chat is open-ended (`last: null`: up to now), from its creation when known. `first`/`last`
 * null mean "no bound". An export without a single message holds nothing: `empty`.
 */
export interface SourceSpan {
  /** The first message's date (ISO 8601 UTC), or null when the source reaches back without a known start. */
  first: string | null;
  /** The last message's date (ISO 8601 UTC), or null for a source that runs up to now. */
  last: string | null;
  /** The source has no message at all. */
  empty?: boolean;
}

/**
 * Which days of a week a source holds. A day counts as held when the source's span touches it: an export whose
 * first message is Monday 08:36 holds that Monday (the quiet hours before it are the chat's, not missing data).
 */
export function weekCoverage(range: WeekRange, span: SourceSpan): WeekCoverage {
  const firstMs = span.first === null ? -Infinity : Date.parse(span.first);
  const lastMs = span.last === null ? Infinity : Date.parse(span.last);
  const days = range.dayStarts.slice(0, 7).map((start, i) => !span.empty && range.dayStarts[i + 1]!.getTime() > firstMs && start.getTime() <= lastMs);
  const held = days.filter(Boolean).length;
  return { status: held === 7 ? 'full' : held === 0 ? 'none' : 'partial', days, sourceFirst: span.first, sourceLast: span.last };
}

/** A record's coverage; records stored before coverage existed were computed from full weeks. */
export function coverageOf(m: WeeklyMetrics): WeekCoverage['status'] {
  return m.coverage?.status ?? 'full';
}

/** Whether a stored week holds data at all (a `none` week's zeros are not a quiet week). */
export function hasData(m: WeeklyMetrics | null | undefined): boolean {
  return !!m && coverageOf(m) !== 'none';
}

const DAY = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** A local day of the week for people: `Mon 16 Nov`. */
function dayLabel(range: Pick<WeeklyMetrics, 'start' | 'zone'>, day: number): string {
  const d = DateTime.fromISO(range.start, { zone: range.zone }).plus({ days: day }).setLocale('en');
  return `${DAY[day]} ${d.toFormat('d LLL')}`;
}

/** A source's extent for people: `2 Nov – 15 Nov 2026` in the week's zone, or null when open-ended. */
export function describeSpan(m: Pick<WeeklyMetrics, 'zone' | 'coverage'>): string | null {
  const c = m.coverage;
  if (!c) return null;
  if (c.sourceFirst === null && c.sourceLast === null) return c.status === 'none' ? 'no messages' : null;
  const fmt = (iso: string) => DateTime.fromISO(iso, { zone: m.zone }).setLocale('en').toFormat('d LLL yyyy');
  if (c.sourceFirst && c.sourceLast) return `${fmt(c.sourceFirst)} – ${fmt(c.sourceLast)}`;
  return c.sourceFirst ? `from ${fmt(c.sourceFirst)}` : `up to ${fmt(c.sourceLast!)}`;
}

/**
 * What a week's coverage means for people, or null for a full week:
 * `no data for this week (the source holds 2 Nov 2026 – 15 Nov 2026)`, `partial week: data up to Mon 16 Nov`,
 * `partial week: data from Thu 5 Nov`, `partial week: data Tue 10 Nov – Thu 12 Nov`.
 */
export function describeCoverage(m: WeeklyMetrics): string | null {
  const c = m.coverage;
  if (!c || c.status === 'full') return null;
  if (c.status === 'none') {
    const span = describeSpan(m);
    return `no data for this week${span ? ` (the source holds ${span})` : ''}`;
  }
  const first = c.days.indexOf(true);
  const last = c.days.lastIndexOf(true);
  if (first === 0) return `partial week: data up to ${dayLabel(m, last)}`;
  if (last === 6) return `partial week: data from ${dayLabel(m, first)}`;
  return `partial week: data ${dayLabel(m, first)} – ${dayLabel(m, last)}`;
}
