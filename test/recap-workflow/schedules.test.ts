import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { BadInputError, type RecapInput, type RecapResult } from '../../src/domain';
import { formatHistoryTable, lastCompletedWeek, listStoredWeeks, loadTrend, shiftWeek } from '../../src/recap';
import {
  backfillRecaps,
  createRecapSchedule,
  deleteRecapSchedule,
  describeRecapSchedule,
  listRecapSchedules,
  pauseRecapSchedule,
  recapScheduleId,
  recapWorkflowId,
  resumeRecapSchedule,
  triggerRecapSchedule,
  type RecapScheduleSummary,
} from '../../src/starters/recap-schedules';
import { LocalArtifactStore } from '../../src/store';
import { openJobSource } from '../../src/workers';
import { uniqueName } from '../support/stack';
import { startTestWorker, type TestWorker } from '../support/worker';
import { BOT_ID, SAMPLE, ZONE } from './sample-facts';

/** `list` reads Temporal's visibility store, which follows a change by a moment: ask until it agrees. */
async function listedAs(tw: TestWorker, scheduleId: string, check: (s: RecapScheduleSummary | undefined) => boolean): Promise<RecapScheduleSummary | undefined> {
  // Schedules are listed from the visibility store, which follows a change by a moment (longer on a busy machine).
  for (const end = Date.now() + 60_000; Date.now() < end; ) {
    const found = (await listRecapSchedules(tw.client)).find((s) => s.scheduleId === scheduleId);
    if (check(found)) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`schedule ${scheduleId} never showed as expected in the list`);
}

describe('recap schedules on the real Temporal dev server', () => {
  let dir: string;
  let store: LocalArtifactStore;
  let tw: TestWorker;
  const name = uniqueName('Cohort Seven');
  const scheduleId = recapScheduleId(name);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tgpulse-recap-sched-'));
    store = new LocalArtifactStore(join(dir, 'data'));
    tw = await startTestWorker({ outputDir: join(dir, 'out'), store, openSource: openJobSource, llm: null });
  });
  afterAll(async () => {
    await deleteRecapSchedule(tw.client, name).catch(() => undefined);
    await tw?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const input = (cohortName = name): RecapInput => ({
    cohort: { name: cohortName, source: { kind: 'export', path: SAMPLE }, zone: ZONE, botIds: [BOT_ID] },
    delivery: { kind: 'files', dir: join(dir, 'out') },
  });

  test('created, listed with its next Monday 09:00 in Berlin, paused, resumed, triggered, backfilled and deleted', async () => {
    const { created } = await createRecapSchedule(tw.client, { input: input(), cron: '0 9 * * MON', taskQueue: tw.taskQueue });
    expect(created).toBe(true);
    expect(scheduleId).toMatch(/^recap-cohort-seven-/);

    const listed = await listedAs(tw, scheduleId, (s) => s !== undefined);
    expect(listed).toMatchObject({ name, cron: '0 9 * * MON', zone: ZONE, paused: false });
    const next = DateTime.fromJSDate(listed!.nextRuns[0]!, { zone: ZONE });
    expect([next.weekday, next.hour, next.minute]).toEqual([1, 9, 0]);
    expect(next.toMillis()).toBeGreaterThan(Date.now());

    const details = await describeRecapSchedule(tw.client, name);
    expect(details.taskQueue).toBe(tw.taskQueue);
    expect(details.input.cohort).toEqual(input().cohort);
    expect(details.input.week).toBeUndefined();

    await pauseRecapSchedule(tw.client, name);
    expect((await describeRecapSchedule(tw.client, name)).paused).toBe(true);
    expect(await listedAs(tw, scheduleId, (s) => s?.paused === true)).toMatchObject({ note: 'paused with tgpulse recap pause' });
    await resumeRecapSchedule(tw.client, name);
    expect((await describeRecapSchedule(tw.client, name)).paused).toBe(false);

    // Trigger: a run starts now and recaps the last week completed in Berlin at its scheduled time. "Now" is the
    // server's clock, so the expected week is read around the call (a trigger may straddle a Monday midnight).
    const before = new Date();
    const workflowId = await triggerRecapSchedule(tw.client, name);
    expect(workflowId).toMatch(new RegExp(`^${scheduleId}-`));
    const triggered: RecapResult = await tw.client.workflow.getHandle(workflowId!).result();
    expect([lastCompletedWeek(before, ZONE), lastCompletedWeek(new Date(), ZONE)]).toContain(triggered.week);
    expect(triggered.files.some((f) => f.endsWith(`-${triggered.week}.png`))).toBe(true);
    // That week is after the sample's last message (Sunday 15 Nov 2026, whatever day this runs): the user is told it
    // has no data, in the run's notes and the recap itself, rather than shown a quiet week of zeros.
    expect(triggered.week > '2026-W46').toBe(true);
    expect(triggered.messages).toBe(0);
    expect(triggered.notes).toContain(`${triggered.week}: no data for this week (the source holds 2 Nov 2026 – 15 Nov 2026).`);
    const triggeredMd = readFileSync(triggered.files.find((f) => f.endsWith('.md'))!, 'utf8');
    expect(triggeredMd).toContain('No data for this week (the source holds 2 Nov 2026 – 15 Nov 2026)');
    expect(triggeredMd).not.toMatch(/−100%|vs last week/);

    // A run the schedule takes for a past time (a catch-up after an outage, Temporal's own backfill) recaps the
    // week completed at that time, not at the time it really runs: Monday 9 Nov 09:00 in Berlin is W45's recap.
    await tw.client.schedule.getHandle(scheduleId).backfill({ start: new Date('2026-11-09T07:59:00Z'), end: new Date('2026-11-09T08:01:00Z') });
    const caughtUpId = `${scheduleId}-2026-11-09T08:00:00Z`;
    let caughtUp: RecapResult | undefined;
    for (let i = 0; i < 100 && !caughtUp; i++) {
      caughtUp = await tw.client.workflow.getHandle(caughtUpId).result().catch(async () => {
        await new Promise((r) => setTimeout(r, 100));
        return undefined;
      });
    }
    expect(caughtUp?.week).toBe('2026-W45');

    // Backfill: the last two weeks completed at a given time, oldest first, each its own run named after its week.
    const backfilled = await backfillRecaps(tw.client, name, 2, { outDir: join(dir, 'backfill'), now: new Date('2026-11-18T12:00:00Z') });
    const weeks = ['2026-W45', '2026-W46'];
    expect(shiftWeek(weeks[1]!, 1)).toBe(weeks[0]);
    expect(backfilled.map((r) => r.week)).toEqual(weeks);
    for (const week of weeks) expect((await tw.client.workflow.getHandle(recapWorkflowId(name, week)).describe()).status.name).toBe('COMPLETED');
    // Each week once, whichever run stored it: the trend passes add the export's weeks, not empty ones before them.
    expect(await listStoredWeeks(store, triggered.chatId)).toEqual([...new Set([...weeks, triggered.week])].sort());
    expect(formatHistoryTable(await loadTrend(store, triggered.chatId, triggered.week, 1))).toMatch(new RegExp(`^${triggered.week}\\s+—.*no data for this week`, 'm'));

    // Creating it again replaces it: one schedule, the new cron, still resumed.
    const again = await createRecapSchedule(tw.client, { input: input(), cron: '30 8 * * FRI', taskQueue: tw.taskQueue });
    expect(again.created).toBe(false);
    const replaced = await describeRecapSchedule(tw.client, name);
    expect([replaced.cron, replaced.paused]).toEqual(['30 8 * * FRI', false]);

    await deleteRecapSchedule(tw.client, name);
    await expect(describeRecapSchedule(tw.client, name)).rejects.toThrow(BadInputError);
    await listedAs(tw, scheduleId, (s) => s === undefined);
  });

  test('an unknown schedule is a clear error for every command', async () => {
    const ghost = uniqueName('ghost');
    for (const call of [pauseRecapSchedule, resumeRecapSchedule, deleteRecapSchedule, triggerRecapSchedule, describeRecapSchedule]) {
      await expect(call(tw.client, ghost)).rejects.toThrow(new RegExp(`no recap schedule for "${ghost}" \\(recap-${ghost}\\)\\. list them with`));
    }
    await expect(backfillRecaps(tw.client, ghost, 2, { outDir: dir })).rejects.toThrow(BadInputError);
  });

  test('a bad cron is refused before Temporal sees it, naming the field', async () => {
    const refused = uniqueName('Refused Cohort');
    const bad = (cron: string) => createRecapSchedule(tw.client, { input: input(refused), cron, taskQueue: tw.taskQueue });
    await expect(bad('0 9 * *')).rejects.toThrow(/bad cron "0 9 \* \*": it has 4 field\(s\), not 5/);
    await expect(bad('0 25 * * MON')).rejects.toThrow(/hour 25 is outside 0–23/);
    await expect(bad('0 9 * * MONDAYS')).rejects.toThrow(/"MONDAYS" is not a valid day of week/);
    await expect(bad('CRON_TZ=Europe/Berlin 0 9 * * MON')).rejects.toThrow(/the zone goes in --tz/);
    expect((await listRecapSchedules(tw.client)).find((s) => s.scheduleId === recapScheduleId(refused))).toBeUndefined();
  });
});
