import { allHandlersFinished, condition, continueAsNew, defineQuery, defineUpdate, setHandler, workflowInfo } from '@temporalio/workflow';
import { CONVERSATION_HELP, type ConversationInput, type ConversationState, type ConversationUpdate } from '../../domain';
import { createContext, type ConversationContext } from './context';
import { handleLimits } from './limits';
import { runJob } from './run-job';
import { handleRuns } from './runs';
import { handleSchedules } from './schedules';
import { handleSummarize } from './summarize';

/** One message from the user, sent by the listener with update-with-start. */
export const conversationMessage = defineUpdate<void, [ConversationUpdate]>('message');
/** The conversation's memory, for tests and operators. */
export const conversationStateQuery = defineQuery<ConversationState>('conversationState');

/** How many handled message ids the conversation remembers (ids only grow, so older ones cannot come back as new). */
const HANDLED_WINDOW = 500;

/** Sends one command to its handler (one file per command family in this folder). */
async function handle(ctx: ConversationContext, { messageId, command }: ConversationUpdate): Promise<void> {
  switch (command.kind) {
    case 'help':
      return ctx.reply(messageId, CONVERSATION_HELP);
    case 'invalid':
      return ctx.reply(messageId, command.reply);
    case 'summarize':
    case 'go':
    case 'text':
      return handleSummarize(ctx, messageId, command);
    case 'status':
    case 'runs':
    case 'cancel':
    case 'rerun':
      return handleRuns(ctx, messageId, command);
    case 'ask':
    case 'recap':
    case 'export':
      return ctx.runJob(messageId, command);
    case 'schedules':
      return handleSchedules(ctx, messageId, command);
    case 'limits':
      return handleLimits(ctx, messageId);
  }
}

/**
 * One user's conversation with the userbot: a long-running workflow reached by update-with-start (one per account
 * and user). Each update is one message; a message id seen before is ignored, so a message delivered twice acts
 * once. It asks what to look for, starts `summarizeChat` as a child (which posts the status message and the
 * result text), then sends the Markdown and JSON files; `/ask`, `/recap` and `/export` run their workflows the same
 * way (`run-job.ts`), `/schedules` and `/limits` answer from activities. Every reply goes out through the account worker's
 * activities (the limiter), never from the listener. It continues as new when its history grows, once every
 * handler has finished.
 */
export async function conversation(input: ConversationInput): Promise<void> {
  const state: ConversationState = input.carried ?? { runs: [], handled: [] };
  const ctx = createContext(input, state, runJob);

  setHandler(conversationStateQuery, () => state);
  setHandler(conversationMessage, async (update) => {
    if (state.handled.includes(update.messageId)) return;
    state.handled.push(update.messageId);
    if (state.handled.length > HANDLED_WINDOW) state.handled.splice(0, state.handled.length - HANDLED_WINDOW);
    await handle(ctx, update);
  });

  await condition(() => workflowInfo().continueAsNewSuggested && allHandlersFinished());
  await continueAsNew<typeof conversation>({ ...input, carried: state });
}
