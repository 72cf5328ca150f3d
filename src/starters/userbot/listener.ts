import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { conversationWorkflowId, type ConversationInput, type ConversationUpdate } from '../../domain';
import type { IncomingTelegramMessage } from '../../telegram';
import { accessOf, botAccessOf, userbotIgnoredMessages, type Allowlist } from './access';
import { userbotHandedOn } from './metrics';
import { toCommand } from './to-command';

/** What the listener needs: where conversations run, whose account this is, who may talk to it. */
export interface ListenerOptions {
  client: Client;
  taskQueue: string;
  account: string;
  selfId: string;
  allowlist: Allowlist;
  /** Bot mode: the account that answers (the bot's, `bot-<id>`), and its owner's user id; `account` reads. */
  bot?: { replyAccount: string; ownerId: string };
}

/**
 * The userbot's listener: turns each message from the owner or an allowlisted user into a typed command and sends
 * it to that user's conversation workflow by update-with-start (started if it is not running). It keeps no state
 * and answers nothing itself: replies come from the conversation, through the account worker and its limiter. The
 * update's id is the message's, so a message delivered twice (a catch-up after a reconnect) acts once.
 *
 * Resolves when the conversation has accepted the message; the work runs on in the workflow.
 */
export async function handleMessage(opts: ListenerOptions, message: IncomingTelegramMessage): Promise<'sent' | 'ignored'> {
  const access = opts.bot ? botAccessOf(message, opts.bot.ownerId, opts.allowlist) : accessOf(message, opts.selfId, opts.allowlist);
  if (access.kind === 'ignored') {
    userbotIgnoredMessages.inc({ reason: access.reason });
    return 'ignored';
  }
  const userId = access.kind === 'owner' && !opts.bot ? opts.selfId : message.senderId;
  // A bot's conversations are its own: the same user may also talk to the account's userbot.
  const workflowId = conversationWorkflowId(opts.bot?.replyAccount ?? opts.account, userId);
  const input: ConversationInput = { account: opts.account, userId, replyTo: userId, ...(opts.bot ? { replyAccount: opts.bot.replyAccount } : {}) };
  const update: ConversationUpdate = {
    messageId: message.id,
    command: toCommand({ text: message.text, ...(message.forwardedFrom ? { forwardedFrom: message.forwardedFrom } : {}) }),
  };
  const startWorkflowOperation = new WithStartWorkflowOperation('conversation', {
    workflowId,
    taskQueue: opts.taskQueue,
    args: [input],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  await opts.client.workflow.startUpdateWithStart('message', {
    args: [update],
    // Temporal drops a second update with the same id: the first line of defence against a message seen twice.
    updateId: `message-${message.id}`,
    waitForStage: 'ACCEPTED',
    startWorkflowOperation,
  });
  userbotHandedOn.inc({ who: access.kind });
  return 'sent';
}
