import type { ActivityDeps } from './deps';
import { createAskActivities } from './ask';
import { createDeliverActivities } from './deliver';
import { createDigestActivities } from './digest';
import { createExtractActivities } from './extract';
import { createLlmActivities } from './llm';
import { createMaintenanceActivities } from './maintenance';
import { createRecapActivities } from './recap';

export type { ActivityDeps } from './deps';
export type { ExtractInput, ExtractOutput, ExtractHeartbeat } from './extract';
export { historyPrefix } from './extract';
export { summaryKey } from './digest';
export { recapKeyPrefix, cohortChatKey } from './recap';
export type { CohortChat } from './recap';
export { createTelegramActivities, readSyncCursor, syncCursorKey, syncQuery, SYNC_TRAILING_WINDOW_MS } from './telegram';
export { createUserbotActivities } from './userbot';
export { createMaintenanceActivities, maintenanceDepsFromConfig } from './maintenance';
export type { MaintenanceActivities, MaintenanceDeps, RetentionActivityInput } from './maintenance';
export { backupIdAt, createBackup, listBackups, parseBackupKey, restoreBackup } from './maintenance-backup';
export type { BackupDeps, BackupSummary } from './maintenance-backup';
export { applyRetention } from './maintenance-retention';
export type { RetentionCount, RetentionDeps, RetentionInput, RetentionKind, RetentionReport } from './maintenance-retention';
export type { UserbotActivities, UserbotActivityDeps } from './userbot';
export type { LimiterStatsReader } from './userbot-limits';
export { createJobSlotActivities } from './job-slots';
export type { JobSlotActivities, JobSlotInput } from './job-slots';
export type { PostToChatInput, SyncCursor, TelegramActivities, TelegramActivityDeps } from './telegram';

/** Every activity of the general worker, built over its dependencies. Workflows import this type only. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createExtractActivities(deps),
    ...createDigestActivities(deps),
    ...createDeliverActivities(deps),
    ...createLlmActivities({ store: deps.store, settings: deps.llm }),
    ...createRecapActivities(deps),
    ...createMaintenanceActivities(deps.maintenance),
    ...createAskActivities(deps),
    /** Which summarizer this worker runs: the workflow asks, since it cannot read configuration itself. */
    async summarizer(): Promise<{ kind: 'llm' | 'digest'; model: string }> {
      return deps.llm ? { kind: 'llm', model: deps.llm.model } : { kind: 'digest', model: 'digest' };
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
