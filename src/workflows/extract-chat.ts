import { continueAsNew, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities, ExtractOutput, TelegramActivities } from '../activities';
import { accountTaskQueue, type JobSource } from '../domain';
import { withFloodWaits } from './flood-wait';

/** Failure types no retry can mend: the workflow sees them at once. */
export const NON_RETRYABLE = ['BadInput', 'QuotaExceeded', 'FloodWait', 'TakeoutDelay'];

const EXTRACTION_OPTIONS = {
  // A large chat on live Telegram at 4 requests/s takes hours; the stored checkpoint makes retries cheap.
  startToCloseTimeout: '24 hours',
  heartbeatTimeout: '20 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', nonRetryableErrorTypes: NON_RETRYABLE },
} as const;

const extraction = proxyActivities<Activities>(EXTRACTION_OPTIONS);

/**
 * The activities of a Telegram account, on its own task queue (served by the worker holding its session). The
 * base queue is this workflow's own: workflows cannot read the config.
 */
export function accountActivities(account: string, options: Parameters<typeof proxyActivities>[0] = EXTRACTION_OPTIONS) {
  return proxyActivities<TelegramActivities>({ ...options, taskQueue: accountTaskQueue(workflowInfo().taskQueue, account) });
}

export interface ExtractChatInput {
  jobId: string;
  source: JobSource;
  since?: string;
  until?: string;
}

/**
 * Extracts a chat's history into the artifact store, sleeping through long flood waits and held-back takeouts
 * (the wait for the user's approval of a data export) as durable timers. When the history grows long with waits,
 * the run continues as new with `restartWith` (the stored checkpoint keeps the progress). `onWait` hears when the
 * wait ends.
 */
export async function extractChat<A extends unknown[]>(
  input: ExtractChatInput,
  restart: { workflow: (...args: A) => Promise<unknown>; args: A },
  onWait?: (resumeAt: string | undefined) => void,
): Promise<ExtractOutput> {
  return withFloodWaits(async () => {
    if (workflowInfo().continueAsNewSuggested) await continueAsNew<typeof restart.workflow>(...restart.args);
    // Same activity name on both queues: a Telegram chat is read by its account's worker, an export by any worker.
    const acts = input.source.kind === 'telegram' ? accountActivities(input.source.account) : extraction;
    return acts.extractHistory({
      jobId: input.jobId,
      source: input.source,
      ...(input.since ? { since: input.since } : {}),
      ...(input.until ? { until: input.until } : {}),
    });
  }, onWait);
}
