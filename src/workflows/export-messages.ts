import { setHandler, workflowInfo } from '@temporalio/workflow';
import type { ChatInfo, JobProgress } from '../domain';
import { accountActivities, extractChat } from './extract-chat';
import { withFloodWaits } from './flood-wait';
import { progressQuery } from './summarize-chat';

export interface ExportMessagesInput {
  account: string;
  /** The chat as the user typed it. */
  chat: string;
  /** ISO date or time: only messages from then on. */
  since?: string;
  until?: string;
  /** Absolute path of the JSONL on the account worker's machine. */
  path: string;
}

export interface ExportMessagesResult {
  messages: number;
  path: string;
  chat: ChatInfo;
}

/**
 * A chat's messages to a JSONL file: the same extraction as `summarizeChat` (checkpoint, flood-wait timers,
 * continue-as-new), then the stored pages written out as one file.
 */
export async function exportMessages(input: ExportMessagesInput): Promise<ExportMessagesResult> {
  const jobId = workflowInfo().workflowId;
  const progress: JobProgress = { phase: 'extracting', messages: 0 };
  setHandler(progressQuery, () => progress);
  const onWait = (resumeAt: string) => {
    progress.phase = 'waiting';
    progress.resumesAt = resumeAt;
  };
  const { history, chat } = await extractChat(
    { jobId, source: { kind: 'telegram', account: input.account, chat: input.chat }, ...(input.since ? { since: input.since } : {}), ...(input.until ? { until: input.until } : {}) },
    { workflow: exportMessages, args: [input] },
    onWait,
  );
  delete progress.resumesAt;
  progress.phase = 'delivering';
  progress.messages = history.messages;
  const out = await withFloodWaits(() => accountActivities(input.account).writeHistoryFile({ history, path: input.path }), onWait);
  progress.phase = 'done';
  return { messages: out.messages, path: out.path, chat };
}
