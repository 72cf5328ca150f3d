import { BadInputError, type ChatInfo, type Delivery, type Summary } from '../domain';
import { deliverToFiles } from '../deliver';
import type { ActivityDeps } from './deps';
import { withFailureMapping } from './failures';
import { withHeartbeats } from './heartbeat';
import { ignoredFolderNotes } from './output-folder';

export function createDeliverActivities(deps: ActivityDeps) {
  /**
   * Delivers a stored summary into the worker's output folder. Files are named after the chat and the whole job id:
   * a retry replaces them, another run writes its own. A folder named by the run (`delivery.dir`, from before the
   * worker decided) is not used; a note says where the files went instead.
   */
  async function deliverSummary(input: { jobId: string; chat: ChatInfo; summaryKey: string; delivery: Delivery }): Promise<{ files: string[]; notes: string[] }> {
    return withHeartbeats(() => withFailureMapping(async () => {
      // Telegram deliveries run on the account's own worker (`deliverSummaryToChat`); the workflow routes them there.
      if (input.delivery.kind !== 'files') throw new BadInputError(`deliverSummary delivers to files, not to ${input.delivery.kind}`);
      const summary = JSON.parse((await deps.store.get(input.summaryKey)).toString('utf8')) as Summary;
      const files = await deliverToFiles({ dir: deps.outputDir, jobId: input.jobId, chat: input.chat, summary });
      return { files, notes: ignoredFolderNotes(input.delivery.dir, deps.outputDir) };
    }));
  }
  return { deliverSummary };
}
