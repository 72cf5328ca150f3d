/** Workflows used only by the limiter's workflow tests. */
import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import { withFloodWaits } from '../../src/workflows/flood-wait';
import type { FloodTestActivities } from './support/flood-activities';

const acts = proxyActivities<FloodTestActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumAttempts: 5 },
});

export interface FloodWaitRun {
  page: string;
  waits: string[];
  /** What another call met while the account was paused. */
  probe?: string;
}

/** Fetches a page through `withFloodWaits`; during each wait, a second call probes the paused account. */
export async function fetchThroughFloodWaits(account: string): Promise<FloodWaitRun> {
  const waits: string[] = [];
  let probe: string | undefined;
  const page = await withFloodWaits(
    () => acts.fetchPage(account),
    async (resumeAt) => {
      if (!resumeAt) return; // the wait is over
      waits.push(resumeAt);
      probe = await acts.fetchPage(account).catch((err: unknown) =>
        err instanceof ActivityFailure && err.cause instanceof ApplicationFailure ? `${err.cause.type}` : 'other failure',
      );
    },
  );
  return { page, waits, ...(probe ? { probe } : {}) };
}
