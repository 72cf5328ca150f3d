import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type Redis from 'ioredis';
import type { RetentionReport } from '../../src/activities';
import { createLimiterRedis } from '../../src/limiter';
import { createMaintenanceSchedule, maintenanceScheduleId } from '../../src/starters/cli/commands/retention';
import { LocalArtifactStore } from '../../src/store';
import { openJobSource } from '../../src/workers';
import { testStack, uniqueName } from '../support/stack';
import { startTestWorker, type TestWorker } from '../support/worker';

const DAY = 86_400_000;

let dir: string;
let redis: Redis;
let tw: TestWorker;

/** A file last modified `ageDays` before now (the workflow measures from its own clock, which is now). */
function file(path: string, ageDays: number): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, 'x'.repeat(10));
  const at = new Date(Date.now() - ageDays * DAY);
  utimesSync(path, at, at);
  return path;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tgpulse-maint-sched-'));
  redis = createLimiterRedis(testStack().redisUrl);
  const store = new LocalArtifactStore(join(dir, 'data'));
  tw = await startTestWorker({
    store,
    outputDir: join(dir, 'out'),
    openSource: openJobSource,
    llm: null,
    maintenance: {
      retention: { store, outputDir: join(dir, 'out'), protectedDirs: [join(dir, 'sessions')], retentionDays: 30 },
      backup: { redis, prefix: `${uniqueName('sched')}:`, sessionDir: join(dir, 'sessions'), store, backupDir: join(dir, 'backups'), keep: 2, key: Buffer.alloc(32, 3).toString('base64') },
    },
  });
});

afterAll(async () => {
  for (const kind of ['retention', 'backup'] as const) await tw?.client.schedule.getHandle(maintenanceScheduleId(kind)).delete().catch(() => undefined);
  await tw?.stop();
  redis?.disconnect();
  rmSync(dir, { recursive: true, force: true });
});

/** Waits until Temporal's visibility store lists a run as open, or (`open` false) no longer (it follows a start or a close by a moment). */
async function listedOpen(workflowId: string, open = true): Promise<void> {
  const end = Date.now() + 60_000;
  for (;;) {
    let listed = false;
    for await (const run of tw.client.workflow.list({ query: `WorkflowId="${workflowId}" AND ExecutionStatus="Running"` })) if (run.workflowId === workflowId) listed = true;
    if (listed === open) return;
    if (Date.now() > end) throw new Error(`${workflowId} never showed as ${open ? 'running' : 'closed'}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Triggers a schedule and returns the result of the run it started. */
async function triggerAndWait<T>(scheduleId: string): Promise<T> {
  const handle = tw.client.schedule.getHandle(scheduleId);
  await handle.trigger();
  for (let i = 0; i < 300; i++) {
    const started = (await handle.describe()).info.recentActions[0]?.action.workflow.workflowId;
    if (started) return (await tw.client.workflow.getHandle(started).result()) as T;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${scheduleId} started no run`);
}

describe('retention and backups on the real Temporal dev server', () => {
  it('the retention workflow keeps the data of a run that is still open, and deletes it once closed', async () => {
    const openId = uniqueName('summarize-open');
    const oldOpen = file(join(dir, `data/jobs/${openId}/summary.json`), 45);
    const oldClosed = file(join(dir, `data/jobs/${uniqueName('summarize-done')}/summary.json`), 45);
    // A run that stays open: no worker polls its task queue.
    const open = await tw.client.workflow.start('summarizeChat', { taskQueue: uniqueName('idle'), workflowId: openId, args: [{}] });
    await listedOpen(openId);

    const dry = await tw.client.workflow.execute('retention', { taskQueue: tw.taskQueue, workflowId: uniqueName('retention'), args: [{ dryRun: true }] });
    expect(dry).toMatchObject({ dryRun: true, kinds: [{ kind: 'job artifacts', files: 1, bytes: 10 }, { kind: 'output files', files: 0 }], keptOpen: [openId] });
    expect(existsSync(oldClosed)).toBe(true);

    const real = (await tw.client.workflow.execute('retention', { taskQueue: tw.taskQueue, workflowId: uniqueName('retention'), args: [{ dryRun: false }] })) as RetentionReport;
    expect(real.files).toBe(1);
    expect(existsSync(oldClosed)).toBe(false);
    expect(existsSync(oldOpen)).toBe(true);

    await open.terminate('test over');
    // Retention learns which runs are open from the visibility store, which hears of the close a moment later.
    await listedOpen(openId, false);
    const after = (await tw.client.workflow.execute('retention', { taskQueue: tw.taskQueue, workflowId: uniqueName('retention'), args: [{ dryRun: false }] })) as RetentionReport;
    expect(after.keptOpen).toEqual([]);
    expect(existsSync(oldOpen)).toBe(false);
  });

  it('creates the daily retention schedule, which runs retention when triggered', async () => {
    const old = file(join(dir, 'out/old-report.md'), 40);
    const made = await createMaintenanceSchedule(tw.client, { kind: 'retention', taskQueue: tw.taskQueue, paused: true });
    expect(made).toEqual({ scheduleId: 'tgpulse-retention', created: true, cron: '30 3 * * *' });
    const d = await tw.client.schedule.getHandle(made.scheduleId).describe();
    expect(d.action).toMatchObject({ workflowType: 'retention', taskQueue: tw.taskQueue, args: [{ dryRun: false }] });
    expect(d.state.paused).toBe(true);
    // Next runs are 03:30 UTC, daily.
    const next = d.info.nextActionTimes.map((t) => t.toISOString());
    expect(next.every((t) => t.endsWith('T03:30:00.000Z'))).toBe(true);

    const report = await triggerAndWait<RetentionReport>(made.scheduleId);
    expect(report.kinds.find((k) => k.kind === 'output files')!.files).toBe(1);
    expect(existsSync(old)).toBe(false);

    // Made again: replaced, and still paused.
    expect(await createMaintenanceSchedule(tw.client, { kind: 'retention', taskQueue: tw.taskQueue, cron: '0 4 * * *' })).toMatchObject({ created: false, cron: '0 4 * * *' });
    expect((await tw.client.schedule.getHandle(made.scheduleId).describe()).state.paused).toBe(true);
    await expect(createMaintenanceSchedule(tw.client, { kind: 'retention', taskQueue: tw.taskQueue, cron: '0 25 * * *' })).rejects.toThrow(/hour 25 is outside 0–23/);
  });

  it('creates the daily backup schedule, which writes a backup when triggered', async () => {
    const made = await createMaintenanceSchedule(tw.client, { kind: 'backup', taskQueue: tw.taskQueue, paused: true });
    expect(made).toEqual({ scheduleId: 'tgpulse-backup', created: true, cron: '0 3 * * *' });
    const result = await triggerAndWait<{ id: string }>(made.scheduleId);
    expect(result.id).toMatch(/^backup-\d{8}T\d{6}Z$/);
    expect(readdirSync(join(dir, 'backups'))).toEqual([`${result.id}.tgpb`]);
  });
});
