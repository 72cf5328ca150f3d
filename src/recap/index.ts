/**
 * Weekly cohort recaps as a pure library: week math, detectors, the metrics engine, week-over-week history, the
 * recap text and the infographic. Temporal wiring (the `weeklyRecap` workflow, schedules) lives elsewhere.
 */
export { createWeekAccumulator, computeWeeklyMetrics, JOIN_ACTIONS, LEAVE_ACTIONS } from './metrics';
export type { WeekAccumulator, WeekAccumulatorOptions } from './metrics';
export { weekRange, weekOf, parseWeekId, shiftWeek, weeksEndingAt, lastCompletedWeek, formatWeekSpan, assertZone } from './week';
export type { WeekRange } from './week';
export {
  saveWeeklyMetrics,
  loadWeeklyMetrics,
  listStoredWeeks,
  loadTrend,
  compareWeeks,
  formatHistoryTable,
  formatDuration,
  formatPercent,
  weekMetricsKey,
  COMPARED_METRICS,
  TREND_WEEKS,
} from './history';
export type { TrendPoint, MetricChange, ComparedMetric, Better } from './history';
export { buildRecapDigest, RECAP_SECTIONS } from './recap-text';
export { renderInfographicSvg, renderInfographicPng, shippedFontDir, INFOGRAPHIC_WIDTH, INFOGRAPHIC_HEIGHT, FONT_FILES } from './infographic';
export type { InfographicInput, PngOptions } from './infographic';
