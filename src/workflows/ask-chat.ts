import { proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ChatInfo, JobProgress } from '../domain';
import { accountActivities, extractChat, NON_RETRYABLE } from './extract-chat';
import { showWaits, withFloodWaits } from './flood-wait';
import { llmSummarize } from './llm-summary';
import { progressQuery } from './summarize-chat';

/** A question about a chat, answered into a Telegram chat (the userbot's `/ask`). */
export interface AskChatInput {
  /** The account that reads the chat and posts the answer. */
  account: string;
  /** The chat as the user typed it. */
  chat: string;
  question: string;
  /** Where the answer goes (the conversation's chat). */
  replyTo: string;
  /** The account that posts the answer when it is not `account` (the userbot's bot mode: the bot). */
  replyAccount?: string;
}

export interface AskChatResult {
  chat: ChatInfo;
  messages: number;
  /** `digest` for the no-model answer, else the model's name. */
  model: string;
  /** Message ids of the answer as posted. */
  posted: number[];
}

const steps = proxyActivities<Activities>({
  startToCloseTimeout: '15 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', nonRetryableErrorTypes: NON_RETRYABLE },
});

const DELIVERY_OPTIONS = {
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', nonRetryableErrorTypes: NON_RETRYABLE },
} as const;

/**
 * Extract → answer → post. With an LLM the question is the prompt of the map-reduce summary (every point linked to
 * the messages it rests on); without one, the messages that best match the question's words, ranked, each linked,
 * and the answer says it is a no-model one. Like `summarizeChat`, message data stays in the store.
 */
export async function askChat(input: AskChatInput): Promise<AskChatResult> {
  const jobId = workflowInfo().workflowId;
  const progress: JobProgress = { phase: 'starting', messages: 0 };
  setHandler(progressQuery, () => progress);
  const onWait = showWaits(progress);
  progress.phase = 'extracting';
  const { history, chat } = await extractChat({ jobId, source: { kind: 'telegram', account: input.account, chat: input.chat } }, { workflow: askChat, args: [input] }, onWait);
  progress.messages = history.messages;

  progress.phase = 'summarizing';
  const poster = accountActivities(input.replyAccount ?? input.account, DELIVERY_OPTIONS);
  const summarizer = await steps.summarizer();
  let posted: number[];
  if (summarizer.kind === 'llm') {
    const llm = await llmSummarize({ jobId, history, chat, prompt: input.question });
    progress.phase = 'delivering';
    posted = (await withFloodWaits(() => poster.deliverSummaryToChat({ jobId, chat, summaryKey: llm.summaryKey, delivery: { kind: 'telegram', account: input.replyAccount ?? input.account, chat: input.replyTo } }), onWait)).messageIds;
  } else {
    const answer = await steps.answerWithoutModel({ history, chat, question: input.question });
    progress.phase = 'delivering';
    posted = (await withFloodWaits(() => poster.postToChat({ chat: input.replyTo, parts: [answer.text], deliveryKey: `answer-${jobId}` }), onWait)).messageIds;
  }
  progress.phase = 'done';
  return { chat, messages: history.messages, model: summarizer.model, posted };
}
