import { Context } from '@temporalio/activity';
import type Redis from 'ioredis';
import type { Config } from '../config';
import { BadInputError } from '../domain';
import type { ArtifactStore } from '../store';
import { guardActivity } from './failures';
import { createBackup, type BackupDeps, type BackupSummary } from './maintenance-backup';
import { applyRetention, type RetentionDeps, type RetentionReport } from './maintenance-retention';

/** What the maintenance activities need: the worker's own folders, Redis and settings (it decides where it writes). */
export interface MaintenanceDeps {
  retention: Omit<RetentionDeps, 'openRunIds'> & {
    /** RETENTION_DAYS: used when a run does not name its own. */
    retentionDays: number;
    /** Open runs; default: asked of Temporal through the activity's client. */
    openRunIds?: () => Promise<Set<string>>;
  };
  backup: BackupDeps;
}

/** Retention and backup settings of a worker: its own folders, its Redis, RETENTION_DAYS and BACKUP_*. */
export function maintenanceDepsFromConfig(config: Config, redis: Redis, store: ArtifactStore): MaintenanceDeps {
  return {
    retention: { store, outputDir: config.OUTPUT_DIR, protectedDirs: [config.SESSION_DIR, config.BACKUP_DIR], retentionDays: config.RETENTION_DAYS },
    backup: { redis, prefix: config.REDIS_KEY_PREFIX, sessionDir: config.SESSION_DIR, store, backupDir: config.BACKUP_DIR, keep: config.BACKUP_KEEP, key: config.BACKUP_KEY },
  };
}

/** Input of the retention activity. `now` comes from the workflow's clock, so a test (or a replay) decides it. */
export interface RetentionActivityInput {
  now: number;
  dryRun: boolean;
  /** Overrides the worker's RETENTION_DAYS for this run. */
  retentionDays?: number;
}

/** The workflow ids of every open run of the namespace, from Temporal's visibility store. */
async function openRunIdsFromTemporal(): Promise<Set<string>> {
  const ids = new Set<string>();
  for await (const run of Context.current().client.workflow.list({ query: 'ExecutionStatus="Running"' })) ids.add(run.workflowId);
  return ids;
}

function notConfigured(): never {
  throw new BadInputError('this worker was started without retention and backup settings', 'run retention and backups on the general worker (npm run worker)');
}

/**
 * The activities of the `retention` and `backup` workflows. Without `deps` (a worker that does not run them) each
 * fails with one clear, non-retryable error.
 */
export function createMaintenanceActivities(deps: MaintenanceDeps | undefined) {
  return {
    /** Deletes (or, dry, counts) job artifacts and output files older than the retention period. */
    applyRetention: guardActivity(async (input: RetentionActivityInput): Promise<RetentionReport> => {
      if (!deps) notConfigured();
      const { retentionDays, openRunIds, ...where } = deps.retention;
      return applyRetention({ ...where, openRunIds: openRunIds ?? openRunIdsFromTemporal }, { now: input.now, dryRun: input.dryRun, retentionDays: input.retentionDays ?? retentionDays });
    }),
    /** Writes one encrypted backup archive and rotates the old ones. Its result holds counts and an id, no path or secret. */
    createBackup: guardActivity(async (input: { now: number }): Promise<BackupSummary & { removed: string[] }> => {
      if (!deps) notConfigured();
      return createBackup(deps.backup, input);
    }),
  };
}

export type MaintenanceActivities = ReturnType<typeof createMaintenanceActivities>;
