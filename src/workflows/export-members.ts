import { setHandler } from '@temporalio/workflow';
import type { ChatInfo, JobProgress } from '../domain';
import { accountActivities } from './extract-chat';
import { showWaits, withFloodWaits } from './flood-wait';
import { progressQuery } from './summarize-chat';

export interface ExportMembersInput {
  /** The account that lists the members; its worker runs the export. */
  account: string;
  /** The chat as the user typed it. */
  chat: string;
  /** Absolute path of the CSV on the account worker's machine. */
  path: string;
  /** Phone numbers in the CSV (only those Telegram shows this account). */
  includePhone?: boolean;
}

export interface ExportMembersResult {
  members: number;
  path: string;
  chat: ChatInfo;
}

/**
 * A chat's members to a CSV file, on the account's worker. `progress` answers with the phase; the count while it
 * runs is in the activity's heartbeat (`readProgress` reads both). Long flood waits are slept as timers.
 */
export async function exportMembers(input: ExportMembersInput): Promise<ExportMembersResult> {
  const progress: JobProgress = { phase: 'extracting', messages: 0 };
  setHandler(progressQuery, () => progress);
  const acts = accountActivities(input.account);
  const out = await withFloodWaits(
    () => acts.exportMembersCsv(input),
    showWaits(progress),
  );
  progress.phase = 'done';
  progress.messages = out.members;
  return out;
}
