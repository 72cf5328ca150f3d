import type { ArtifactRef } from '../domain';
import { BadInputError, WeeklyMetrics } from '../domain';
import type { ArtifactStore } from '../store';
import { coverageOf, describeCoverage, hasData } from './coverage';
import { parseWeekId, weeksEndingAt } from './week';

/** Weeks in a trend, by default: two months of cohort life. */
export const TREND_WEEKS = 8;

/** Where a cohort week's metrics live in the artifact store. */
export function weekMetricsKey(chatId: number, week: string): string {
  parseWeekId(week);
  return `cohorts/${chatId}/weeks/${week}.json`;
}

/** Stores a week's metrics. Storing the same cohort week again replaces it: a rerun leaves one record. */
export function saveWeeklyMetrics(store: ArtifactStore, metrics: WeeklyMetrics): Promise<ArtifactRef> {
  return store.put(weekMetricsKey(metrics.chatId, metrics.week), JSON.stringify(WeeklyMetrics.parse(metrics), null, 2));
}

function daysHeld(m: WeeklyMetrics): number {
  return m.coverage ? m.coverage.days.filter(Boolean).length : 7;
}

/**
 * Stores an earlier week computed for a trend (not the week a run was asked for), unless what is stored holds more
 * of that week: a recap from a newer export that starts later must not wipe a week an older export held. A week the
 * source does not hold is not stored at all (it would only fill `recap history` with empty rows before a cohort
 * began); the trend shows it as a gap either way. Returns whether it stored the week.
 */
export async function saveTrendWeek(store: ArtifactStore, metrics: WeeklyMetrics): Promise<boolean> {
  if (!hasData(metrics)) return false;
  const stored = await loadWeeklyMetrics(store, metrics.chatId, metrics.week).catch(() => null);
  if (stored && daysHeld(stored) > daysHeld(metrics)) return false;
  await saveWeeklyMetrics(store, metrics);
  return true;
}

/** A cohort week's stored metrics, or null if that week was never computed. */
export async function loadWeeklyMetrics(store: ArtifactStore, chatId: number, week: string): Promise<WeeklyMetrics | null> {
  const key = weekMetricsKey(chatId, week);
  const raw = await store.tryGet(key);
  if (!raw) return null;
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch (err) {
    throw new BadInputError(`stored metrics ${key} are not valid JSON`, `rerun the week (tgpulse recap run <chat> --week ${week}) to rewrite them`, { cause: err });
  }
  const parsed = WeeklyMetrics.safeParse(json);
  if (!parsed.success) {
    throw new BadInputError(`stored metrics ${key} do not have the expected shape`, `rerun the week (tgpulse recap run <chat> --week ${week}) to rewrite them`, { cause: parsed.error });
  }
  return parsed.data;
}

/** The weeks stored for a cohort, oldest first. */
export async function listStoredWeeks(store: ArtifactStore, chatId: number): Promise<string[]> {
  const prefix = `cohorts/${chatId}/weeks/`;
  return (await store.list(prefix))
    .map((key) => key.slice(prefix.length).replace(/\.json$/, ''))
    .filter((week) => /^\d{4}-W\d{2}$/.test(week))
    .sort();
}

/** One week of a trend; `metrics` is null for a week that was never computed. */
export interface TrendPoint {
  week: string;
  metrics: WeeklyMetrics | null;
}

/** The `n` weeks ending at (and including) `week`, oldest first, with whatever is stored for each. */
export async function loadTrend(store: ArtifactStore, chatId: number, week: string, n = TREND_WEEKS): Promise<TrendPoint[]> {
  const weeks = weeksEndingAt(week, n);
  return Promise.all(weeks.map(async (w) => ({ week: w, metrics: await loadWeeklyMetrics(store, chatId, w) })));
}

/** Which way a metric should move: blockers and reply times are better when they go down. */
export type Better = 'up' | 'down';

/** A number compared week over week. */
export interface ComparedMetric {
  key: string;
  label: string;
  better: Better;
  get(m: WeeklyMetrics): number | null;
}

/** The numbers a recap compares week over week, in the order they are shown. */
export const COMPARED_METRICS: readonly ComparedMetric[] = [
  { key: 'messages', label: 'Messages', better: 'up', get: (m) => m.messages },
  { key: 'activeMembers', label: 'Active members', better: 'up', get: (m) => m.activeMembers },
  { key: 'activeShare', label: 'Active share', better: 'up', get: (m) => m.activeShare },
  { key: 'newMembers', label: 'New members', better: 'up', get: (m) => m.newMembers },
  { key: 'departedMembers', label: 'Departed members', better: 'down', get: (m) => m.departedMembers },
  { key: 'replies', label: 'Replies', better: 'up', get: (m) => m.replies },
  { key: 'threadsStarted', label: 'Threads started', better: 'up', get: (m) => m.threadsStarted },
  { key: 'questionsAsked', label: 'Questions asked', better: 'up', get: (m) => m.questions.asked },
  { key: 'questionsAnswered', label: 'Questions answered', better: 'up', get: (m) => m.questions.answered },
  { key: 'medianFirstReplySeconds', label: 'Median first reply (s)', better: 'down', get: (m) => m.medianFirstReplySeconds },
  { key: 'demos', label: 'Demos shipped', better: 'up', get: (m) => m.demos.length },
  { key: 'blockers', label: 'Blockers raised', better: 'down', get: (m) => m.blockers.length },
  // Unknown (not zero) for a week stored before decisions were detected: it is not compared.
  { key: 'decisions', label: 'Decisions', better: 'up', get: (m) => m.decisions?.length ?? null },
];

/** One metric this week against the week before and the average of the earlier weeks of the trend. */
export interface MetricChange {
  key: string;
  label: string;
  better: Better;
  current: number | null;
  previous: number | null;
  /** current − previous; null when either is unknown. */
  delta: number | null;
  /** Change relative to the previous week, in percent; null when the previous value is unknown or 0. */
  percent: number | null;
  /** Mean over the earlier weeks that have a value; null when none has. */
  trendAverage: number | null;
  /** Whether the move is good news (`better` direction), bad news, or no move. */
  direction: 'better' | 'worse' | 'same' | 'unknown';
  /**
   * Why there is no comparison although both weeks are stored: this week or the previous one has no data or only
   * part of its days (a part of a week is not compared with a whole one). Null otherwise.
   */
  notCompared: 'no data this week' | 'partial week' | 'previous week had no data' | 'previous week was partial' | null;
}

/**
 * Compares a week with the weeks before it. `earlier` is oldest first and ends with the previous week (null where a
 * week was never computed), as `loadTrend(...).slice(0, -1)` gives it. Only whole weeks are compared: a week with
 * no data has no value at all, and a partial week is not set against a whole one (`notCompared` says which); the
 * trend average is over the earlier whole weeks.
 */
export function compareWeeks(current: WeeklyMetrics, earlier: readonly (WeeklyMetrics | null)[]): MetricChange[] {
  const previous = earlier.length ? earlier[earlier.length - 1]! : null;
  const status = coverageOf(current);
  const before = previous ? coverageOf(previous) : null;
  const notCompared: MetricChange['notCompared'] =
    status === 'none' ? 'no data this week' : status === 'partial' ? 'partial week' : before === 'none' ? 'previous week had no data' : before === 'partial' ? 'previous week was partial' : null;
  const whole = earlier.filter((m): m is WeeklyMetrics => !!m && coverageOf(m) === 'full');
  return COMPARED_METRICS.map((metric) => {
    const now = hasData(current) ? metric.get(current) : null;
    const was = previous && !notCompared ? metric.get(previous) : null;
    const delta = now !== null && was !== null ? now - was : null;
    const percent = delta !== null && was ? (delta / was) * 100 : null;
    const values = whole.map((m) => metric.get(m)).filter((v): v is number => v !== null);
    const trendAverage = values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
    const direction = delta === null ? 'unknown' : delta === 0 ? 'same' : (delta > 0) === (metric.better === 'up') ? 'better' : 'worse';
    return { key: metric.key, label: metric.label, better: metric.better, current: now, previous: was, delta, percent, trendAverage, direction, notCompared };
  });
}

/** A duration for people: `45 s`, `12 min`, `3 h 20 min`, `2 d 4 h`. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

/** A percentage change for people: `+12%`, `−40%`, `±0%`, or `new` when there was nothing before. */
export function formatPercent(change: Pick<MetricChange, 'percent' | 'delta' | 'previous'>): string {
  if (change.delta === null) return '';
  if (change.delta === 0) return '±0%';
  if (change.percent === null) return change.previous === 0 ? 'new' : '';
  const rounded = Math.round(change.percent);
  return `${rounded > 0 ? '+' : rounded < 0 ? '−' : '±'}${Math.abs(rounded)}%`;
}

/**
 * The text table `tgpulse recap history <chat>` prints: one row per week, oldest first, a dash for weeks never
 * computed, "no data" for weeks the source did not hold and the days held of a partial week, then the change of
 * the last week against the one before (or why there is none).
 */
export function formatHistoryTable(trend: readonly TrendPoint[]): string {
  const columns: { head: string; cell(m: WeeklyMetrics): string }[] = [
    { head: 'Msgs', cell: (m) => String(m.messages) },
    { head: 'Active', cell: (m) => String(m.activeMembers) },
    { head: 'Share', cell: (m) => (m.activeShare === null ? '—' : `${Math.round(m.activeShare * 100)}%`) },
    { head: 'New', cell: (m) => String(m.newMembers) },
    { head: 'Left', cell: (m) => String(m.departedMembers) },
    { head: 'Replies', cell: (m) => String(m.replies) },
    { head: 'Threads', cell: (m) => String(m.threadsStarted) },
    { head: 'Q asked', cell: (m) => String(m.questions.asked) },
    { head: 'Q answered', cell: (m) => String(m.questions.answered) },
    { head: '1st reply', cell: (m) => formatDuration(m.medianFirstReplySeconds) },
    { head: 'Demos', cell: (m) => String(m.demos.length) },
    { head: 'Blockers', cell: (m) => String(m.blockers.length) },
    { head: 'Decisions', cell: (m) => (m.decisions ? String(m.decisions.length) : '—') },
  ];
  const rows = [['Week', ...columns.map((c) => c.head), 'Data']];
  for (const point of trend) {
    const m = point.metrics;
    const note = m ? (coverageOf(m) === 'full' ? '' : describeCoverage(m)!.replace(/^partial week: /, 'partial: ')) : '';
    rows.push([point.week, ...columns.map((c) => (m && hasData(m) ? c.cell(m) : '—')), note]);
  }
  // The Data column only when some week is not whole: a history of whole weeks reads as before.
  if (rows.slice(1).every((r) => r[r.length - 1] === '')) for (const r of rows) r.pop();
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => r[col]!.length)));
  const lastCol = rows[0]!.length - 1;
  const line = (r: string[]) => r.map((cell, col) => (col === 0 || col === lastCol ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!))).join('  ').trimEnd();
  const out = [line(rows[0]!), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.slice(1).map(line)];

  const last = trend[trend.length - 1]?.metrics;
  if (last) {
    const all = compareWeeks(last, trend.slice(0, -1).map((p) => p.metrics));
    const changes = all.filter((c) => c.delta !== null && c.delta !== 0);
    const why = all[0]?.notCompared;
    const previousWeek = trend[trend.length - 2]?.week;
    if (why === 'no data this week') out.push('', `${last.week}: ${describeCoverage(last)}.`);
    else if (why === 'partial week') out.push('', `${last.week} is a ${describeCoverage(last)}: not compared with whole weeks.`);
    else if (why) out.push('', `${last.week} vs the week before: not compared, ${previousWeek ?? 'the week before'} ${why === 'previous week had no data' ? 'had no data' : 'was a partial week'}.`);
    else if (changes.length) {
      out.push('', `${last.week} vs the week before: ${changes.map((c) => `${c.label.toLowerCase()} ${formatPercent(c) || (c.delta! > 0 ? `+${c.delta}` : String(c.delta))}`).join(', ')}`);
    }
  } else if (trend.every((p) => !p.metrics)) {
    out.push('', 'No week computed yet: run `tgpulse recap run <chat> --week <YYYY-Www>` first.');
  }
  return out.join('\n');
}
