import { setHandler, workflowInfo } from '@temporalio/workflow';
import type { ChatInfo, JobProgress } from '../domain';
import { accountActivities, extractChat } from './extract-chat';
import { showWaits, withFloodWaits } from './flood-wait';
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
  /** Read through a data-export (takeout) session (`JobSource.takeout`). */
  takeout?: boolean;
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
  const onWait = showWaits(progress);
  const { history, chat } = await extractChat(
    { jobId, source: { kind: 'telegram', account: input.account, chat: input.chat, ...(input.takeout ? { takeout: true } : {}) }, ...(input.since ? { since: input.since } : {}), ...(input.until ? { until: input.until } : {}) },
    { workflow: exportMessages, args: [input] },
    onWait,
  );
  progress.phase = 'delivering';
  progress.messages = history.messages;
  const out = await withFloodWaits(() => accountActivities(input.account).writeHistoryFile({ history, path: input.path }), onWait);
  progress.phase = 'done';
  return { messages: out.messages, path: out.path, chat };
}
