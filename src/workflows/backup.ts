import { proxyActivities } from '@temporalio/workflow';
import type { BackupSummary, MaintenanceActivities } from '../activities';
import { NON_RETRYABLE } from './extract-chat';

const steps = proxyActivities<MaintenanceActivities>({
  startToCloseTimeout: '30 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes', maximumAttempts: 5, nonRetryableErrorTypes: NON_RETRYABLE },
});

/**
 * Writes one encrypted backup (session files, the Redis state, sync cursors) where the worker keeps them and rotates
 * the old ones. Only the backup's id and counts travel through history: never a path, a key or a session.
 */
export async function backup(): Promise<BackupSummary & { removed: string[] }> {
  return steps.createBackup({ now: Date.now() });
}
