import { BadInputError, type ChatInfo, type Delivery, type Summary } from '../domain';
import { deliverToFiles } from '../deliver';
import type { ActivityDeps } from './deps';
import { withFailureMapping } from './failures';

export function createDeliverActivities(deps: ActivityDeps) {
  /** Delivers a stored summary where the job asked. Files are named after the chat and the whole job id: a retry replaces them, another run writes its own. */
  async function deliverSummary(input: { jobId: string; chat: ChatInfo; summaryKey: string; delivery: Delivery }): Promise<{ files: string[] }> {
    return withFailureMapping(async () => {
      // Telegram deliveries run on the account's own worker (`deliverSummaryToChat`); the workflow routes them there.
      if (input.delivery.kind !== 'files') throw new BadInputError(`deliverSummary delivers to files, not to ${input.delivery.kind}`);
      const summary = JSON.parse((await deps.store.get(input.summaryKey)).toString('utf8')) as Summary;
      const files = await deliverToFiles({ dir: input.delivery.dir, jobId: input.jobId, chat: input.chat, summary });
      return { files };
    });
  }
  return { deliverSummary };
}
