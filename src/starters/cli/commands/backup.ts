import { Command } from 'commander';
import type { BackupSummary, listBackups } from '../../../activities';
import { artifactStoreFromConfig } from '../../../store';
import { cliConfig, withClient } from '../context';
import { activities, limiter } from '../lazy-modules';
import type { RegisterCommand } from './index';
import { createMaintenanceSchedule, formatBytes, MAINTENANCE_CRON } from './retention';

function contents(b: Pick<BackupSummary, 'redisKeys' | 'sessions' | 'cursors'>): string {
  return `${b.redisKeys} Redis key(s), ${b.sessions} session file(s), ${b.cursors} sync cursor(s)`;
}

/** The backups as `tgpulse backup list` prints them, newest first. */
export function formatBackupList(backups: Awaited<ReturnType<typeof listBackups>>, dir: string): string {
  if (backups.length === 0) return `no backup in ${dir} yet (make one with tgpulse backup now)\n`;
  return `${backups.map((b) => (b.damaged ? `${b.id}  DAMAGED (not a readable tgpulse backup)` : `${b.id}  ${b.createdAt}  ${formatBytes(b.bytes).padStart(9)}  ${contents(b)}`)).join('\n')}\n`;
}

export const registerBackup: RegisterCommand = (program) => {
  const backup = new Command('backup').description('encrypted backups of the session files, the Redis state and the sync cursors');
  backup
    .command('now')
    .description('make a backup now, on the worker (into its BACKUP_DIR, keeping BACKUP_KEEP)')
    .action(async () => {
      const config = cliConfig();
      await withClient(config, async (client) => {
        const made = (await client.workflow.execute('backup', {
          taskQueue: config.TEMPORAL_TASK_QUEUE,
          workflowId: `backup-${new Date().toISOString().replace(/[:.]/g, '-')}`,
        })) as BackupSummary & { removed: string[] };
        process.stdout.write(`backup ${made.id}: ${contents(made)}, ${formatBytes(made.bytes)}\n`);
        if (made.removed.length > 0) process.stdout.write(`removed (past BACKUP_KEEP=${config.BACKUP_KEEP}): ${made.removed.join(', ')}\n`);
      });
    });
  backup
    .command('list')
    .description('the backups in BACKUP_DIR, newest first')
    .action(async () => {
      const config = cliConfig();
      process.stdout.write(formatBackupList(await activities().listBackups(config.BACKUP_DIR), config.BACKUP_DIR));
    });
  backup
    .command('restore')
    .description('restore a backup into an empty Redis and session folder (stop the workers first); needs its BACKUP_KEY')
    .argument('<id>', 'a backup id from tgpulse backup list')
    .action(async (id: string) => {
      const config = cliConfig();
      const redis = limiter().createLimiterRedis(config.REDIS_URL);
      try {
        const restored = await activities().restoreBackup(
          { redis, prefix: config.REDIS_KEY_PREFIX, sessionDir: config.SESSION_DIR, store: artifactStoreFromConfig(config), backupDir: config.BACKUP_DIR, key: config.BACKUP_KEY },
          id,
        );
        const expired = restored.expired > 0 ? ` (${restored.expired} key(s) had expired since, and stay gone)` : '';
        process.stdout.write(`restored ${restored.id} (${restored.createdAt}): ${contents(restored)}${expired}\n`);
      } finally {
        redis.disconnect();
      }
    });
  backup
    .command('schedule')
    .description(`back up daily (default cron "${MAINTENANCE_CRON.backup}", UTC)`)
    .option('--cron <expr>', 'when, five cron fields in UTC')
    .option('--paused', 'create it paused')
    .action(async (flags: { cron?: string; paused?: boolean }) => {
      const config = cliConfig();
      await withClient(config, async (client) => {
        const made = await createMaintenanceSchedule(client, { kind: 'backup', cron: flags.cron, taskQueue: config.TEMPORAL_TASK_QUEUE, paused: flags.paused });
        process.stdout.write(`${made.created ? 'created' : 'replaced'} schedule ${made.scheduleId}: "${made.cron}" UTC${flags.paused ? ' (paused)' : ''}\n`);
      });
    });
  program.addCommand(backup);
};
