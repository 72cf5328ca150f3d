import { MAX_PROMPT_CHARS, type ConversationCommand } from '../../domain';
import type { ConversationContext } from './context';
import { runJob } from './run-job';

/**
 * `/summarize`, a chat link, a forward, `/go` and plain text: a chat without a prompt waits for one (or /go); the
 * prompt, or /go, starts the job.
 */
export async function handleSummarize(ctx: ConversationContext, messageId: number, command: Extract<ConversationCommand, { kind: 'summarize' | 'go' | 'text' }>): Promise<void> {
  const { state, reply } = ctx;
  if (command.kind === 'summarize') {
    if (command.prompt !== undefined) return runJob(ctx, messageId, command.chat, command.prompt);
    state.pendingChat = command.chat;
    return reply(messageId, `What should I look for in ${command.chat}? Send it as a message, or /go for the default digest.`);
  }
  const chat = state.pendingChat;
  if (!chat) return reply(messageId, command.kind === 'go' ? 'Nothing to go on: send a chat link first.' : 'Send a chat link (or forward a message from the chat) to summarize it, or /help.');
  const prompt = command.kind === 'text' ? command.text.trim() : undefined;
  if (prompt && prompt.length > MAX_PROMPT_CHARS) return reply(messageId, `Your prompt has ${prompt.length} characters; the limit is ${MAX_PROMPT_CHARS}: shorten it and send it again.`);
  delete state.pendingChat;
  return runJob(ctx, messageId, chat, prompt || undefined);
}
