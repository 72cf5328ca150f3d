import { ActivityFailure, ApplicationFailure, sleep } from '@temporalio/workflow';
import type { FloodWaitDetails } from '../activities/failures';

// Equal to FailureType.FloodWait in src/activities/failures.ts (workflows import activities by type only).
const FLOOD_WAIT = 'FloodWait';
// Wake a little after the pause ends, so the retried call finds the account free rather than a few ms early.
const MARGIN_MS = 1000;

/** The flood wait inside a failed activity call, when the activity left it to the workflow to sleep. */
function floodWaitOf(err: unknown): FloodWaitDetails | undefined {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (!(cause instanceof ApplicationFailure) || cause.type !== FLOOD_WAIT || !cause.nonRetryable) return undefined;
  const details = cause.details?.[0] as Partial<FloodWaitDetails> | undefined;
  if (typeof details?.seconds !== 'number') return undefined;
  return details as FloodWaitDetails;
}

/**
 * Runs an activity call; when it fails with a long flood wait (a non-retryable `FloodWait` failure), sleeps until
 * the account resumes as a durable timer (a worker restart loses nothing) and calls again. Short flood waits never
 * get here: Temporal retries them after `nextRetryDelay`. `onWait` hears when the account resumes (ISO 8601), for
 * a progress query; it may return a promise, awaited before the sleep, so `return continueAsNew(...)` from it
 * ends the run instead of sleeping.
 *
 * @example
 * const page = await withFloodWaits(() => acts.fetchHistory(input), (resumeAt) => (progress.resumesAt = resumeAt));
 */
export async function withFloodWaits<T>(call: () => Promise<T>, onWait?: (resumeAt: string) => void | Promise<unknown>): Promise<T> {
  for (;;) {
    try {
      return await call();
    } catch (err) {
      const wait = floodWaitOf(err);
      if (!wait) throw err;
      const resumeAtMs = Date.parse(wait.resumeAt);
      // Date.now() in a workflow is the deterministic workflow-task time.
      const ms = Number.isFinite(resumeAtMs) ? resumeAtMs - Date.now() : wait.seconds * 1000;
      await onWait?.(wait.resumeAt);
      await sleep(Math.max(0, ms) + MARGIN_MS);
    }
  }
}
