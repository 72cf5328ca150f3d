import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { Command, InvalidArgumentError } from 'commander';
import type { RetentionReport } from '../../../activities';
import { validateCron } from '../../recap-schedules';
import { createLabelledSchedule } from '../../../temporal';
import { cliConfig, withClient } from '../context';
import type { RegisterCommand } from './index';

/** The maintenance schedules: one each, UTC, a day's catch-up. */
export type MaintenanceKind = 'retention' | 'backup';

/** Default times: the backup first, then retention (which never touches what a backup reads). */
export const MAINTENANCE_CRON: Record<MaintenanceKind, string> = { backup: '0 3 * * *', retention: '30 3 * * *' };

/** The schedule id of a maintenance kind, and the prefix of the runs it starts. */
export function maintenanceScheduleId(kind: MaintenanceKind): string {
  return `tgpulse-${kind}`;
}

/**
 * Creates the daily schedule of `retention` or `backup` on the task queue, or replaces it (keeping it paused if it
 * was), as recap schedules are made: overlapping runs skipped, a run missed while Temporal was down taken if at
 * most a day late. Its runs carry `TgpulseKind` (retention, backup). `scheduleId` is another id than the kind's
 * own, for two deployments (or two tests) on one namespace.
 */
export async function createMaintenanceSchedule(
  client: Client,
  opts: { kind: MaintenanceKind; cron?: string; taskQueue: string; paused?: boolean; scheduleId?: string },
): Promise<{ scheduleId: string; created: boolean; cron: string }> {
  const cron = validateCron(opts.cron ?? MAINTENANCE_CRON[opts.kind]);
  const scheduleId = opts.scheduleId ?? maintenanceScheduleId(opts.kind);
  const args = opts.kind === 'retention' ? [{ dryRun: false }] : [];
  const create = (paused: boolean) =>
    createLabelledSchedule(
      client,
      {
        scheduleId,
        spec: { cronExpressions: [cron], timezone: 'UTC' },
        action: { type: 'startWorkflow', workflowType: opts.kind, taskQueue: opts.taskQueue, args, workflowId: scheduleId },
        policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
        memo: { kind: `tgpulse-${opts.kind}`, cron },
        state: { paused, note: paused ? 'created paused' : `daily ${opts.kind}` },
      },
      { kind: opts.kind },
    );
  try {
    await create(opts.paused ?? false);
    return { scheduleId, created: true, cron };
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  const existing = client.schedule.getHandle(scheduleId);
  const { state } = await existing.describe();
  await existing.delete();
  await create(opts.paused ?? state.paused);
  return { scheduleId, created: false, cron };
}

/** A size for people: `0 B`, `12.3 kB`, `4.1 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** A retention report as `tgpulse retention run` prints it: the counts per kind first, then what was done. */
export function formatRetentionReport(report: RetentionReport): string {
  const rows = [...report.kinds.map((k) => [k.kind, `${k.files} file(s)`, formatBytes(k.bytes)]), ['total', `${report.files} file(s)`, formatBytes(report.bytes)]];
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c]!.length)));
  const lines = [`older than ${report.cutoff}${report.dryRun ? ' (dry run)' : ''}:`, ...rows.map((r) => `  ${r[0]!.padEnd(widths[0]!)}  ${r[1]!.padStart(widths[1]!)}  ${r[2]!.padStart(widths[2]!)}`)];
  if (report.keptOpen.length > 0) lines.push(`kept, their run is still open: ${report.keptOpen.join(', ')}`);
  lines.push(report.dryRun ? 'dry run: nothing was deleted' : report.files > 0 ? `deleted ${report.files} file(s), ${formatBytes(report.bytes)}` : 'nothing to delete');
  return `${lines.join('\n')}\n`;
}

function positiveDays(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('give a whole number of days, 1 or more');
  return n;
}

export const registerRetention: RegisterCommand = (program) => {
  const retention = new Command('retention').description('delete job artifacts and output files older than RETENTION_DAYS (a Temporal Schedule)');
  retention
    .command('run')
    .description('run retention now on the worker: prints the counts per kind, then deletes (never session files, backups or cursors)')
    .option('--dry-run', 'count only, delete nothing')
    .option('--days <n>', 'older than this many days (default: the worker\'s RETENTION_DAYS)', positiveDays)
    .action(async (flags: { dryRun?: boolean; days?: number }) => {
      const config = cliConfig();
      await withClient(config, async (client) => {
        const report = await client.workflow.execute('retention', {
          taskQueue: config.TEMPORAL_TASK_QUEUE,
          workflowId: `retention-${new Date().toISOString().replace(/[:.]/g, '-')}`,
          args: [{ dryRun: flags.dryRun === true, ...(flags.days !== undefined ? { retentionDays: flags.days } : {}) }],
        });
        process.stdout.write(formatRetentionReport(report as RetentionReport));
      });
    });
  retention
    .command('schedule')
    .description(`run retention daily (default cron "${MAINTENANCE_CRON.retention}", UTC)`)
    .option('--cron <expr>', 'when, five cron fields in UTC')
    .option('--paused', 'create it paused')
    .action(async (flags: { cron?: string; paused?: boolean }) => {
      const config = cliConfig();
      await withClient(config, async (client) => {
        const made = await createMaintenanceSchedule(client, { kind: 'retention', cron: flags.cron, taskQueue: config.TEMPORAL_TASK_QUEUE, paused: flags.paused });
        process.stdout.write(`${made.created ? 'created' : 'replaced'} schedule ${made.scheduleId}: "${made.cron}" UTC${flags.paused ? ' (paused)' : ''}\n`);
      });
    });
  program.addCommand(retention);
};
