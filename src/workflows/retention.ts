import { proxyActivities } from '@temporalio/workflow';
import type { MaintenanceActivities, RetentionReport } from '../activities';
import { NON_RETRYABLE } from './extract-chat';

const steps = proxyActivities<MaintenanceActivities>({
  startToCloseTimeout: '30 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes', maximumAttempts: 5, nonRetryableErrorTypes: NON_RETRYABLE },
});

/** Input of {@link retention}: the schedule starts it with `{ dryRun: false }`. */
export interface RetentionWorkflowInput {
  /** Count what would be deleted, delete nothing. */
  dryRun: boolean;
  /** Overrides the worker's RETENTION_DAYS. */
  retentionDays?: number;
}

/**
 * Deletes job artifacts and output files older than the retention period (or counts them, dry). Ages are measured
 * from this workflow's clock (its start, or the schedule's fire time), handed to the activity as `now`.
 */
export async function retention(input: RetentionWorkflowInput): Promise<RetentionReport> {
  return steps.applyRetention({ now: Date.now(), dryRun: input.dryRun, ...(input.retentionDays !== undefined ? { retentionDays: input.retentionDays } : {}) });
}
