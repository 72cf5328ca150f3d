import { startChild } from '@temporalio/workflow';
import type { ConversationJob, ConversationRun } from '../../domain';
import { exportMembers } from '../export-members';
import { exportMessages } from '../export-messages';
import { withFloodWaits } from '../flood-wait';
import type { ConversationContext } from './context';
import { startJobChild, type JobOutcome } from './job-child';

/**
 * `/export members|messages <chat>`: the export workflow writes the CSV or JSONL on the account worker's machine
 * (a path the worker picks), then the file is sent into the conversation as a document.
 */
export async function exportJob(ctx: ConversationContext, run: ConversationRun, job: Extract<ConversationJob, { kind: 'export' }>): Promise<JobOutcome> {
  const { input, tg } = ctx;
  const { path } = await tg.exportFilePath({ jobId: run.jobId, what: job.what });
  const result =
    job.what === 'members'
      ? await startJobChild(run, (workflowId) => startChild(exportMembers, { workflowId, args: [{ account: input.account, chat: job.chat, path }] })).then((r) => ({ count: r.members, chat: r.chat }))
      : await startJobChild(run, (workflowId) => startChild(exportMessages, { workflowId, args: [{ account: input.account, chat: job.chat, path }] })).then((r) => ({ count: r.messages, chat: r.chat }));
  const what = job.what === 'members' ? `${result.count} members of "${result.chat.title}" as CSV` : `${result.count} messages of "${result.chat.title}" as JSONL`;
  return {
    messages: result.count,
    status: `Run ${run.run} done: ${what}, in the file below.`,
    after: async () => {
      await withFloodWaits(() => tg.sendExportFile({ chatInfo: result.chat, what: job.what, jobId: run.jobId, chat: input.replyTo, deliveryKey: `files-${run.jobId}` }));
    },
  };
}
