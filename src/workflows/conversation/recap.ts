import { startChild } from '@temporalio/workflow';
import type { ConversationJob, ConversationRun, RecapInput } from '../../domain';
import { weeklyRecap } from '../weekly-recap';
import type { ConversationContext } from './context';
import { startJobChild, type JobOutcome } from './job-child';

/** The cohort zone of a recap asked for in a conversation: the userbot has no per-chat zone setting (yet). */
const RECAP_ZONE = 'UTC';

/**
 * `/recap <chat> [week]`: the weekly recap workflow for that chat, delivered into this conversation (the
 * infographic, then the text). Without a week, the last week completed (UTC) when the run starts.
 */
export async function recapJob(ctx: ConversationContext, run: ConversationRun, job: Extract<ConversationJob, { kind: 'recap' }>): Promise<JobOutcome> {
  const { input } = ctx;
  const recapInput: RecapInput = {
    cohort: { name: job.chat, source: { kind: 'telegram', account: input.account, chat: job.chat }, zone: RECAP_ZONE },
    ...(job.week ? { week: job.week } : {}),
    delivery: { kind: 'telegram', account: input.replyAccount ?? input.account, chat: input.replyTo },
  };
  const result = await startJobChild(run, (workflowId) => startChild(weeklyRecap, { workflowId, args: [recapInput] }));
  const held = result.coverage === 'none' ? ': the chat holds no messages from that week (no data, not a quiet week)' : result.coverage === 'partial' ? ` (${result.messages} messages; the chat holds part of the week only)` : ` (${result.messages} messages)`;
  return { messages: result.messages, status: `Run ${run.run} done: recap of ${result.week} (${RECAP_ZONE}) for "${result.chatTitle}"${held}. It is below.` };
}
