import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WeeklyMetrics } from '../../src/domain';
import {
  buildRecapDigest,
  compareWeeks,
  computeWeeklyMetrics,
  describeCoverage,
  formatHistoryTable,
  listStoredWeeks,
  loadTrend,
  loadWeeklyMetrics,
  saveTrendWeek,
  saveWeeklyMetrics,
  weekCoverage,
  weekRange,
} from '../../src/recap';
import { LocalArtifactStore } from '../../src/store';
import { CHAT_ID, handBuiltWeek } from './fixtures';

const ZONE = 'Europe/Berlin';
/** An export that starts on Monday 2 Nov 2026 08:36 and ends on Monday 16 Nov 2026 10:00, Berlin time (CET). */
const EXPORT = { first: '2026-11-02T07:36:00Z', last: '2026-11-16T09:00:00Z' };

async function week(week: string, span = EXPORT, messages = handBuiltWeek()): Promise<WeeklyMetrics> {
  // The hand-built messages are in W43: move them into the week asked for, day for day.
  const shift = weekRange(week, ZONE).start.getTime() - weekRange('2026-W43', ZONE).start.getTime();
  // Only what the source holds: nothing before its first message or after its last.
  const moved = messages
    .map((m) => ({ ...m, date: new Date(Date.parse(m.date) + shift).toISOString() }))
    .filter((m) => Date.parse(m.date) >= Date.parse(span.first) && Date.parse(m.date) <= Date.parse(span.last));
  return computeWeeklyMetrics(moved, { week, zone: ZONE, memberCount: 20, span, chatId: CHAT_ID });
}

describe('how much of a week the source holds', () => {
  test('a week inside the export is full, one it ends in is partial, one outside it has no data', () => {
    expect(weekCoverage(weekRange('2026-W45', ZONE), EXPORT).status).toBe('full'); // starts Monday 08:36: Monday is held
    expect(weekCoverage(weekRange('2026-W46', ZONE), EXPORT).status).toBe('full');
    const w47 = weekCoverage(weekRange('2026-W47', ZONE), EXPORT);
    expect(w47).toEqual({ status: 'partial', days: [true, false, false, false, false, false, false], sourceFirst: EXPORT.first, sourceLast: EXPORT.last });
    expect(weekCoverage(weekRange('2026-W48', ZONE), EXPORT).status).toBe('none');
    expect(weekCoverage(weekRange('2026-W44', ZONE), EXPORT).status).toBe('none');
  });

  test('a live chat (open-ended) holds every week; an export without messages holds none', () => {
    expect(weekCoverage(weekRange('2030-W01', ZONE), { first: null, last: null }).status).toBe('full');
    expect(weekCoverage(weekRange('2026-W45', ZONE), { first: null, last: null, empty: true }).status).toBe('none');
    // A chat created on a Thursday: its first week is partial, from that day.
    const created = weekCoverage(weekRange('2026-W45', ZONE), { first: '2026-11-05T10:00:00Z', last: null });
    expect(created.days).toEqual([false, false, false, true, true, true, true]);
  });

  test('people read which days are held, in the cohort zone', async () => {
    expect(describeCoverage(await week('2026-W47'))).toBe('partial week: data up to Mon 16 Nov');
    expect(describeCoverage(await week('2026-W48'))).toBe('no data for this week (the source holds 2 Nov 2026 – 16 Nov 2026)');
    expect(describeCoverage(await week('2026-W46'))).toBeNull();
    const fromThursday = await week('2026-W45', { first: '2026-11-05T10:00:00Z', last: '2026-12-01T00:00:00Z' });
    expect(describeCoverage(fromThursday)).toBe('partial week: data from Thu 5 Nov');
  });
});

describe('week over week with weeks that have no data or only part of their days', () => {
  test('a week after a no-data week is not compared with zeros: no −100%, no +∞, and the text says last week had no data', async () => {
    const none = await week('2026-W44');
    const full = await week('2026-W45');
    expect(none.messages).toBe(0);
    const changes = compareWeeks(full, [none]);
    expect(changes.every((c) => c.delta === null && c.percent === null && c.notCompared === 'previous week had no data')).toBe(true);
    const text = buildRecapDigest(full, { title: 'Cohort' }, [none]).sections[0]!.points.map((p) => p.text).join('\n');
    expect(full.messages).toBeGreaterThan(5);
    expect(text).toContain(`${full.messages} messages (last week had no data) from ${full.activeMembers} active members`);
    expect(text).not.toMatch(/vs last week|−100%/);
  });

  test('a no-data week says so and nothing else: no zeros, no comparison', async () => {
    const none = await week('2026-W48');
    const recap = buildRecapDigest(none, { title: 'Cohort' }, [await week('2026-W47')]);
    const text = recap.sections.flatMap((s) => s.points.map((p) => p.text)).join('\n');
    expect(text).toBe('No data for this week (the source holds 2 Nov 2026 – 16 Nov 2026): nothing is known about this week, so there are no numbers and no comparison. Recap a week the source holds, or a newer export.');
    expect(compareWeeks(none, [await week('2026-W46')]).every((c) => c.current === null && c.delta === null)).toBe(true);
  });

  test('a partial week says which days it holds and is not set against a whole week', async () => {
    const partial = await week('2026-W47');
    const full = await week('2026-W46');
    expect(partial.messages).toBeGreaterThan(0);
    const recap = buildRecapDigest(partial, { title: 'Cohort' }, [full]);
    const points = recap.sections[0]!.points.map((p) => p.text);
    expect(points[0]).toBe('Partial week: data up to Mon 16 Nov: the numbers cover those days only and are not compared with whole weeks.');
    expect(points.join('\n')).not.toContain('vs last week');
    // The trend average leaves partial and no-data weeks out.
    const avg = compareWeeks(full, [await week('2026-W44'), partial, { ...full, week: '2026-W45', messages: 30 }]).find((c) => c.key === 'messages')!;
    expect(avg.trendAverage).toBe(30);
  });

  test('the history table marks no-data and partial weeks, and says why the last week is not compared', async () => {
    const trend = [
      { week: '2026-W44', metrics: await week('2026-W44') },
      { week: '2026-W45', metrics: await week('2026-W45') },
      { week: '2026-W46', metrics: await week('2026-W46') },
      { week: '2026-W47', metrics: await week('2026-W47') },
    ];
    const lines = formatHistoryTable(trend).split('\n');
    expect(lines[0]).toMatch(/Blockers\s+Decisions\s+Data$/);
    expect(lines[2]).toMatch(/^2026-W44\s+—\s+—.*no data for this week \(the source holds 2 Nov 2026 – 16 Nov 2026\)$/);
    expect(lines[2]).not.toMatch(/\s0\s/);
    expect(lines[3]).toMatch(new RegExp(`^2026-W45\\s+${trend[1]!.metrics.messages}\\s+${trend[1]!.metrics.activeMembers}\\s.*\\d$`));
    expect(lines[5]).toMatch(/^2026-W47\s+\d+\s.*partial: data up to Mon 16 Nov$/);
    expect(lines.at(-1)).toBe('2026-W47 is a partial week: data up to Mon 16 Nov: not compared with whole weeks.');
    expect(formatHistoryTable(trend.slice(0, 2)).split('\n').at(-1)).toBe('2026-W45 vs the week before: not compared, 2026-W44 had no data.');
    // Whole weeks only: no Data column.
    expect(formatHistoryTable(trend.slice(1, 3)).split('\n')[0]).toMatch(/Blockers\s+Decisions$/);
    expect(formatHistoryTable(trend.slice(0, 1)).split('\n').at(-1)).toBe('2026-W44: no data for this week (the source holds 2 Nov 2026 – 16 Nov 2026).');
  });
});

describe('storing the trend weeks a run computes besides its own', () => {
  let dir: string;
  let store: LocalArtifactStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'recap-coverage-'));
    store = new LocalArtifactStore(dir);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('a no-data earlier week is not stored, a week with data is, and a fuller stored week is never replaced by a thinner one', async () => {
    expect(await saveTrendWeek(store, await week('2026-W44'))).toBe(false);
    expect(await saveTrendWeek(store, await week('2026-W45'))).toBe(true);
    expect(await listStoredWeeks(store, CHAT_ID)).toEqual(['2026-W45']);

    // Stored from an export that held all of W47; a later export that starts after Monday holds less of it.
    const whole = await week('2026-W47', { first: EXPORT.first, last: '2026-12-31T00:00:00Z' });
    await saveWeeklyMetrics(store, whole);
    const thinner = await week('2026-W47', { first: '2026-11-18T00:00:00Z', last: '2026-12-31T00:00:00Z' });
    expect(thinner.coverage?.status).toBe('partial');
    expect(await saveTrendWeek(store, thinner)).toBe(false);
    expect((await loadWeeklyMetrics(store, CHAT_ID, '2026-W47'))?.coverage?.status).toBe('full');

    // The week a run is asked for is stored whatever it holds, so history shows "no data" for it.
    await saveWeeklyMetrics(store, await week('2026-W48'));
    const trend = await loadTrend(store, CHAT_ID, '2026-W48', 2);
    expect(trend[1]!.metrics?.coverage?.status).toBe('none');
  });

  test('records stored before coverage existed read as whole weeks', async () => {
    const { coverage: _c, botMessages: _b, ...old } = await week('2026-W45');
    await store.put(`cohorts/${CHAT_ID}/weeks/2026-W45.json`, JSON.stringify(old));
    const loaded = (await loadWeeklyMetrics(store, CHAT_ID, '2026-W45'))!;
    expect(describeCoverage(loaded)).toBeNull();
    expect(compareWeeks(await week('2026-W46'), [loaded]).find((c) => c.key === 'messages')!.delta).toBe(0);
  });

  test('a stored record with a broken coverage is refused with what to do', async () => {
    const m = await week('2026-W45');
    await store.put(`cohorts/${CHAT_ID}/weeks/2026-W45.json`, JSON.stringify({ ...m, coverage: { status: 'most', days: [] } }));
    await expect(loadWeeklyMetrics(store, CHAT_ID, '2026-W45')).rejects.toThrow(/do not have the expected shape/);
  });
});
