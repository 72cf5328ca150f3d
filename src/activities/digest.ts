import type { ChatInfo, HistoryRef, Summary } from '../domain';
import { buildDigest } from '../digest';
import { readHistory } from '../store';
import type { ActivityDeps } from './deps';
import { withFailureMapping } from './failures';
import { withHeartbeats } from './heartbeat';

export const summaryKey = (jobId: string) => `jobs/${jobId}/summary.json`;

export function createDigestActivities(deps: ActivityDeps) {
  /** Builds the no-model digest of a stored history and stores it; returns its key and a few numbers. */
  async function digestHistory(input: { jobId: string; history: HistoryRef; chat: ChatInfo }): Promise<{ summaryKey: string; messages: number }> {
    return withHeartbeats(() => withFailureMapping(async () => {
      const summary: Summary = await buildDigest(input.chat, () => readHistory(deps.store, input.history));
      const key = summaryKey(input.jobId);
      await deps.store.put(key, JSON.stringify(summary));
      return { summaryKey: key, messages: summary.stats.messages };
    }));
  }
  return { digestHistory };
}
