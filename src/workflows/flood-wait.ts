import { ActivityFailure, ApplicationFailure, sleep } from '@temporalio/workflow';
import type { FloodWaitDetails, TakeoutDelayDetails } from '../activities/failures';

// Equal to FailureType.FloodWait and FailureType.TakeoutDelay in src/activities/failures.ts (workflows import
// activities by type only). Both are a wait until `resumeAt` that only the clock ends.
const WAIT_TYPES: ReadonlySet<string> = new Set(['FloodWait', 'TakeoutDelay']);
// Wake a little after the pause ends, so the retried call finds the account free rather than a few ms early.
const MARGIN_MS = 1000;

/** What a wait needs: how long, and until when. */
type WaitDetails = Pick<FloodWaitDetails | TakeoutDelayDetails, 'seconds' | 'resumeAt'>;

/**
 * The wait inside a failed activity call, when the activity left it to the workflow to sleep: a long flood wait,
 * or a data export Telegram holds back for the user's approval.
 */
function waitOf(err: unknown): WaitDetails | undefined {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (!(cause instanceof ApplicationFailure) || !WAIT_TYPES.has(cause.type ?? '') || !cause.nonRetryable) return undefined;
  const details = cause.details?.[0] as Partial<WaitDetails> | undefined;
  if (typeof details?.seconds !== 'number') return undefined;
  return details as WaitDetails;
}

/**
 * Runs an activity call; when it fails with a long flood wait (a non-retryable `FloodWait` failure) or a held-back
 * data export (`TakeoutDelay`, Telegram waiting for the user to approve a takeout), sleeps until then as a durable
 * timer (a worker restart loses nothing) and calls again. Short flood waits never get here: Temporal retries them
 * after `nextRetryDelay`. `onWait` hears when the wait will end (ISO 8601) before the sleep, and `undefined` after it,
 * for a progress query; it may return a promise, awaited, so `return continueAsNew(...)` from it ends the run
 * instead of sleeping.
 *
 * @example
 * const page = await withFloodWaits(() => acts.fetchHistory(input), showWaits(progress));
 */
export async function withFloodWaits<T>(call: () => Promise<T>, onWait?: (resumeAt: string | undefined) => void | Promise<unknown>): Promise<T> {
  for (;;) {
    try {
      return await call();
    } catch (err) {
      const wait = waitOf(err);
      if (!wait) throw err;
      const resumeAtMs = Date.parse(wait.resumeAt);
      // Date.now() in a workflow is the deterministic workflow-task time.
      const ms = Number.isFinite(resumeAtMs) ? resumeAtMs - Date.now() : wait.seconds * 1000;
      await onWait?.(wait.resumeAt);
      await sleep(Math.max(0, ms) + MARGIN_MS);
      // The wait is over: the progress query should show the step again, not a wait that has passed.
      await onWait?.(undefined);
    }
  }
}

/**
 * The `onWait` of a workflow with a progress query: the phase reads `waiting` (with `resumesAt`) while Telegram holds
 * the account back, and goes back to the step it interrupted when the wait is over.
 */
export function showWaits<P extends { phase: string; resumesAt?: string }>(progress: P): (resumeAt: string | undefined) => void {
  let interrupted = progress.phase;
  return (resumeAt) => {
    if (resumeAt) {
      if (progress.phase !== 'waiting') interrupted = progress.phase;
      progress.phase = 'waiting';
      progress.resumesAt = resumeAt;
    } else {
      progress.phase = interrupted;
      delete progress.resumesAt;
    }
  };
}
