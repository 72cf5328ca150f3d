import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WeeklyMetrics } from '../../src/domain';
import { compareWeeks, computeWeeklyMetrics, formatHistoryTable, listStoredWeeks, loadTrend, loadWeeklyMetrics, saveWeeklyMetrics, weekMetricsKey } from '../../src/recap';
import { LocalArtifactStore } from '../../src/store';
import { CHAT_ID, handBuiltWeek } from './fixtures';

let dir: string;
let store: LocalArtifactStore;
let w43: WeeklyMetrics;

/** A copy of a week's metrics moved to another week with other counts: the history only cares about the numbers. */
function asWeek(m: WeeklyMetrics, week: string, patch: Partial<WeeklyMetrics>): WeeklyMetrics {
  return { ...m, week, ...patch };
}

beforeAll(async () => {
  w43 = await computeWeeklyMetrics(handBuiltWeek(), { week: '2026-W43', zone: 'Europe/Berlin', memberCount: 20 });
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'recap-history-'));
  store = new LocalArtifactStore(dir);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('a week is stored under the cohort and read back whole', async () => {
  const ref = await saveWeeklyMetrics(store, w43);
  expect(ref.key).toBe(`cohorts/${CHAT_ID}/weeks/2026-W43.json`);
  expect(await loadWeeklyMetrics(store, CHAT_ID, '2026-W43')).toEqual(w43);
  expect(await loadWeeklyMetrics(store, CHAT_ID, '2026-W42')).toBeNull();
});

test('rerunning a week replaces its metrics: one record, the new numbers', async () => {
  await saveWeeklyMetrics(store, w43);
  await saveWeeklyMetrics(store, { ...w43, messages: 99 });
  expect(await listStoredWeeks(store, CHAT_ID)).toEqual(['2026-W43']);
  expect((await loadWeeklyMetrics(store, CHAT_ID, '2026-W43'))?.messages).toBe(99);
});

test('the trend lists the last weeks oldest first, with gaps for weeks never computed', async () => {
  await saveWeeklyMetrics(store, asWeek(w43, '2026-W40', { messages: 40 }));
  await saveWeeklyMetrics(store, asWeek(w43, '2026-W42', { messages: 10 }));
  await saveWeeklyMetrics(store, w43);
  const trend = await loadTrend(store, CHAT_ID, '2026-W43', 4);
  expect(trend.map((p) => [p.week, p.metrics?.messages ?? null])).toEqual([
    ['2026-W40', 40],
    ['2026-W41', null],
    ['2026-W42', 10],
    ['2026-W43', 12],
  ]);
  expect(await loadTrend(store, CHAT_ID, '2026-W43')).toHaveLength(8);
});

test('comparison with the previous week: deltas, percentages, direction and the trend average', async () => {
  const previous = asWeek(w43, '2026-W42', { messages: 10, blockers: [], medianFirstReplySeconds: 3600 });
  const older = asWeek(w43, '2026-W41', { messages: 20 });
  const changes = new Map(compareWeeks(w43, [older, null, previous]).map((c) => [c.key, c]));
  expect(changes.get('messages')).toMatchObject({ current: 12, previous: 10, delta: 2, percent: 20, trendAverage: 15, direction: 'better' });
  // Blockers going up and replies getting faster: the first is bad news, the second good.
  expect(changes.get('blockers')).toMatchObject({ current: 1, previous: 0, delta: 1, percent: null, direction: 'worse' });
  expect(changes.get('medianFirstReplySeconds')).toMatchObject({ current: 1800, previous: 3600, percent: -50, direction: 'better' });
  expect(compareWeeks(w43, []).every((c) => c.direction === 'unknown' && c.delta === null)).toBe(true);
});

test('the history table has a row per week and the last change', async () => {
  await saveWeeklyMetrics(store, asWeek(w43, '2026-W42', { messages: 10 }));
  await saveWeeklyMetrics(store, w43);
  const table = formatHistoryTable(await loadTrend(store, CHAT_ID, '2026-W43', 3));
  const lines = table.split('\n');
  expect(lines[0]).toMatch(/^Week\s+Msgs\s+Active\s+Share/);
  expect(lines[2]).toMatch(/^2026-W41\s+—/);
  expect(lines[3]).toMatch(/^2026-W42\s+10\s+5\s+25%/);
  expect(lines[4]).toMatch(/^2026-W43\s+12\s+5\s+25%\s+2\s+1\s+4\s+3\s+3\s+2\s+30 min\s+2\s+1\s+0$/);
  expect(table).toContain('2026-W43 vs the week before: messages +20%');
  expect(formatHistoryTable(await loadTrend(store, 42, '2026-W43', 2))).toContain('No week computed yet');
});

test('corrupt stored metrics give an error that says how to fix it', async () => {
  await store.put(weekMetricsKey(CHAT_ID, '2026-W43'), '{"week": "2026-W43"');
  await expect(loadWeeklyMetrics(store, CHAT_ID, '2026-W43')).rejects.toThrow(/not valid JSON.*rerun the week/);
  await store.put(weekMetricsKey(CHAT_ID, '2026-W43'), '{"week": "2026-W43"}');
  await expect(loadWeeklyMetrics(store, CHAT_ID, '2026-W43')).rejects.toThrow(/expected shape/);
});

test('a bad week id never reaches the store', async () => {
  await expect(loadWeeklyMetrics(store, CHAT_ID, '../../etc')).rejects.toThrow(/bad week/);
});
