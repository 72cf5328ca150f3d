import { startChild } from '@temporalio/workflow';
import { MAX_PROMPT_CHARS, type ConversationCommand, type JobInput, type ConversationJob, type ConversationRun } from '../../domain';
import { withFloodWaits } from '../flood-wait';
import { summarizeChat } from '../summarize-chat';
import type { ConversationContext } from './context';
import { startJobChild, type JobOutcome } from './job-child';

/**
 * `/summarize`, a chat link, a forward, `/go` and plain text: a chat without a prompt waits for one (or /go); the
 * prompt, or /go, starts the job.
 */
export async function handleSummarize(ctx: ConversationContext, messageId: number, command: Extract<ConversationCommand, { kind: 'summarize' | 'go' | 'text' }>): Promise<void> {
  const { state, reply } = ctx;
  if (command.kind === 'summarize') {
    if (command.prompt !== undefined) return ctx.runJob(messageId, { kind: 'summarize', chat: command.chat, prompt: command.prompt });
    state.pendingChat = command.chat;
    return reply(messageId, `What should I look for in ${command.chat}? Send it as a message, or /go for the default digest.`);
  }
  const chat = state.pendingChat;
  if (!chat) return reply(messageId, command.kind === 'go' ? 'Nothing to go on: send a chat link first.' : 'Send a chat link (or forward a message from the chat) to summarize it, or /help.');
  const prompt = command.kind === 'text' ? command.text.trim() : undefined;
  // A message without text (a photo, a sticker) is no prompt: starting the default digest on it would surprise.
  if (prompt === '') return reply(messageId, `Send what to look for in ${chat} as text, or /go for the default digest.`);
  if (prompt && prompt.length > MAX_PROMPT_CHARS) return reply(messageId, `Your prompt has ${prompt.length} characters; the limit is ${MAX_PROMPT_CHARS}: shorten it and send it again.`);
  delete state.pendingChat;
  return ctx.runJob(messageId, { kind: 'summarize', chat, ...(prompt ? { prompt } : {}) });
}

/** Runs `summarizeChat` (it posts the summary text itself), then sends the Markdown and JSON files. */
export async function summaryJob(ctx: ConversationContext, run: ConversationRun, job: Extract<ConversationJob, { kind: 'summarize' }>): Promise<JobOutcome> {
  const { input, tg } = ctx;
  const jobInput: JobInput = {
    source: { kind: 'telegram', account: input.account, chat: job.chat },
    ...(job.prompt ? { prompt: job.prompt } : {}),
    delivery: { kind: 'telegram', account: input.replyAccount ?? input.account, chat: input.replyTo },
  };
  const result = await startJobChild(run, (workflowId) => startChild(summarizeChat, { workflowId, args: [jobInput] }));
  // Without a model the digest stands in for a summary: a user who asked for something must hear it went unused.
  const unused = job.prompt && result.model === 'digest' ? ' No model is set up (OPENAI_BASE_URL), so your prompt was not used: this is the no-model digest.' : '';
  return {
    messages: result.messages,
    status: `Run ${run.run} done: ${result.messages} messages read from "${result.chat.title}". The summary is below.${unused}`,
    after: async () => {
      await withFloodWaits(() => tg.sendSummaryFiles({ jobId: run.jobId, chat: input.replyTo, chatInfo: result.chat, deliveryKey: `files-${run.jobId}` }));
    },
  };
}
