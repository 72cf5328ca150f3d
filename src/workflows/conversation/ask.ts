import { startChild } from '@temporalio/workflow';
import type { ConversationJob, ConversationRun } from '../../domain';
import { askChat } from '../ask-chat';
import type { ConversationContext } from './context';
import { startJobChild, type JobOutcome } from './job-child';

/** `/ask <chat> <question>`: `askChat` reads the chat and posts the answer; the status says where it came from. */
export async function askJob(ctx: ConversationContext, run: ConversationRun, job: Extract<ConversationJob, { kind: 'ask' }>): Promise<JobOutcome> {
  const { input } = ctx;
  const result = await startJobChild(run, (workflowId) => startChild(askChat, { workflowId, args: [{ account: input.account, chat: job.chat, question: job.question, replyTo: input.replyTo, ...(input.replyAccount ? { replyAccount: input.replyAccount } : {}) }] }));
  const how = result.model === 'digest' ? 'the messages that best match your question are below' : 'the answer is below';
  return { messages: result.messages, status: `Run ${run.run} done: ${result.messages} messages read from "${result.chat.title}"; ${how}.` };
}
