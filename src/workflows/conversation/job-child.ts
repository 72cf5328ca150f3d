import type { ChildWorkflowHandle, Workflow, WorkflowResultType } from '@temporalio/workflow';
import type { ConversationRun } from '../../domain';

/** What a job's runner hands back when its child finished. */
export interface JobOutcome {
  /** Messages read (members listed, for a members export). */
  messages: number;
  /** The status message's last text. */
  status: string;
  /** What is sent after the status (files), outside the job's cancellation scope. */
  after?: () => Promise<void>;
}

/**
 * Starts a job's child workflow under the run's job id (`start` calls `startChild` with it) and waits for its
 * result: the one place a conversation starts a child job.
 *
 * @example
 * await startJobChild(run, (workflowId) => startChild(askChat, { workflowId, args: [input] }))
 */
export async function startJobChild<W extends Workflow>(run: ConversationRun, start: (workflowId: string) => Promise<ChildWorkflowHandle<W>>): Promise<WorkflowResultType<W>> {
  const child = await start(run.jobId);
  return child.result();
}
