import { isCancellation, log } from '@temporalio/workflow';

/**
 * Runs one status edit as a view, not a step: an edit Telegram refuses for good (the status message deleted by the
 * user, the chat gone) is logged and passed over, so the job it describes still delivers. A cancellation still
 * goes through.
 */
export async function bestEffortStatus(edit: () => Promise<unknown>): Promise<void> {
  try {
    await edit();
  } catch (err) {
    if (isCancellation(err)) throw err;
    log.warn('A status edit failed; the job goes on without it', { error: err instanceof Error ? err.message : String(err) });
  }
}
