import { defineQuery, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { JobInput, JobProgress, JobResult, TokenUsage } from '../domain';
import { bestEffortStatus } from './best-effort-status';
import { accountActivities, extractChat, NON_RETRYABLE } from './extract-chat';
import { showWaits, withFloodWaits } from './flood-wait';
import { droppedIdsNote, llmSummarize } from './llm-summary';
import { HEARTBEAT_TIMEOUT } from './heartbeat-timeout';

/** Where a job is: the CLI's progress bar and `tgpulse runs` ask this. */
export const progressQuery = defineQuery<JobProgress>('progress');

const steps = proxyActivities<Activities>({
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', nonRetryableErrorTypes: NON_RETRYABLE },
});

const DELIVERY_OPTIONS = {
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', nonRetryableErrorTypes: NON_RETRYABLE },
} as const;

/**
 * Extract → summarize → deliver. Message data never passes through this workflow: activities store it and hand
 * back references and counts, so the history has the same few events for 100 messages or 10 million.
 */
export async function summarizeChat(input: JobInput): Promise<JobResult> {
  const jobId = workflowInfo().workflowId;
  const progress: JobProgress = { phase: 'starting', messages: 0 };
  setHandler(progressQuery, () => progress);

  const onWait = showWaits(progress);
  progress.phase = 'extracting';
  const { history, chat } = await extractChat(
    { jobId, source: input.source, ...(input.since ? { since: input.since } : {}), ...(input.until ? { until: input.until } : {}) },
    { workflow: summarizeChat, args: [input] },
    onWait,
  );
  progress.messages = history.messages;

  progress.phase = 'summarizing';
  const notes: string[] = [];
  // A Telegram delivery goes out through its account's own worker; a status message there shows the job's phase.
  const toTelegram = input.delivery.kind === 'telegram' ? input.delivery : undefined;
  const poster = toTelegram ? accountActivities(toTelegram.account, DELIVERY_OPTIONS) : undefined;
  // The status message may be gone (deleted by its reader): the summary still goes out.
  const status = (text: string) => (toTelegram && poster ? bestEffortStatus(() => withFloodWaits(() => poster.postStatus({ chat: toTelegram.chat, statusKey: `status-${jobId}`, text }), onWait)) : undefined);
  await status(`Summarizing "${chat.title}" (${history.messages} history entries: messages and service notices)…`);
  const summarizer = await steps.summarizer();
  let summaryKey: string;
  let usage: TokenUsage | undefined;
  if (summarizer.kind === 'llm') {
    const llm = await llmSummarize({ jobId, history, chat, ...(input.prompt ? { prompt: input.prompt } : {}) });
    summaryKey = llm.summaryKey;
    usage = llm.usage;
    const dropped = droppedIdsNote(llm.dropped, 'the chat');
    if (dropped) notes.push(dropped);
  } else {
    if (input.prompt) notes.push('No LLM endpoint is configured, so the prompt was not used: this is the no-model digest. Set OPENAI_BASE_URL to use it.');
    summaryKey = (await steps.digestHistory({ jobId, history, chat })).summaryKey;
  }

  progress.phase = 'delivering';
  let files: string[] = [];
  if (toTelegram && poster) {
    const { messageIds } = await withFloodWaits(() => poster.deliverSummaryToChat({ jobId, chat, summaryKey, delivery: input.delivery }), onWait);
    await status(`Summary of "${chat.title}" (${history.messages} history entries): ${messageIds.length} message(s) below.`);
    notes.push(`Posted ${messageIds.length} message(s) to ${toTelegram.chat} as account "${toTelegram.account}".`);
  } else {
    const delivered = await steps.deliverSummary({ jobId, chat, summaryKey, delivery: input.delivery });
    files = delivered.files;
    // Absent from results of workers from before the worker decided where it writes.
    notes.push(...(delivered.notes ?? []));
  }
  progress.phase = 'done';
  return { jobId, chat, messages: history.messages, model: summarizer.model, ...(usage ? { usage } : {}), files, notes };
}
