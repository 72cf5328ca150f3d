/**
 * Weekly cohort recaps as a pure library: week math, detectors, the metrics engine, week-over-week history, the
 * recap text and the infographic. Temporal wiring (the `weeklyRecap` workflow, schedules) lives elsewhere.
 */
export { createWeekAccumulator, createWeeksAccumulator, computeWeeklyMetrics, JOIN_ACTIONS, LEAVE_ACTIONS, ANSWERS_AFTER_MS } from './metrics';
export type { WeekAccumulator, WeekAccumulatorOptions, WeeksAccumulator, WeeksAccumulatorOptions } from './metrics';
export { weekCoverage, coverageOf, hasData, describeCoverage, describeSpan } from './coverage';
export type { SourceSpan } from './coverage';
export { weekRange, weekOf, parseWeekId, shiftWeek, weeksEndingAt, lastCompletedWeek, formatWeekSpan, assertZone } from './week';
export type { WeekRange } from './week';
export {
  saveWeeklyMetrics,
  saveTrendWeek,
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
export { renderInfographicSvg, renderInfographicPng, shippedFontDir, demoLabel, fitText, textWidth, INFOGRAPHIC_WIDTH, INFOGRAPHIC_HEIGHT, FONT_FILES } from './infographic';
export { niceTicks } from './nice-ticks';
export type { InfographicInput, PngOptions } from './infographic';
