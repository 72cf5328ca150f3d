import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChatInfo } from '../domain';
import { fileStem } from '../deliver';
import type { ArtifactStore } from '../store';
import { withFailureMapping } from './failures';
import type { PostToChatInput } from './telegram';

const EXTENSION = { members: 'csv', messages: 'jsonl' } as const;

/**
 * The account worker's part of `/export`: a place for the export workflow's file on this machine, then the file
 * sent as a document (copied into the artifact store first, so a retry sends the same bytes) and removed.
 */
export function createUserbotExportActivities(deps: { store: ArtifactStore; postToChat(input: PostToChatInput): Promise<{ messageIds: number[] }>; dir: string }) {
  const root = deps.dir;
  const folderOf = (jobId: string) => join(root, jobId.replace(/[^A-Za-z0-9._-]/g, '_'));

  const fileOf = (jobId: string, what: 'members' | 'messages') => join(folderOf(jobId), `${what}.${EXTENSION[what]}`);

  /** An absolute path for an export's file on this worker (the export workflows write where they are told). */
  async function exportFilePath(input: { jobId: string; what: 'members' | 'messages' }): Promise<{ path: string }> {
    await mkdir(folderOf(input.jobId), { recursive: true, mode: 0o700 });
    return { path: fileOf(input.jobId, input.what) };
  }

  /**
   * Sends a job's export file to `chat` as a document named after the chat, then deletes the local file. The file
   * read is the one {@link exportFilePath} gave for the job, never a path from the input: a run's input must not
   * make this worker send a file of its choosing (a session file) into a chat. `path` is kept for runs made before.
   */
  async function sendExportFile(input: { path?: string; chatInfo: ChatInfo; what: 'members' | 'messages'; jobId: string; chat: string; deliveryKey: string }): Promise<{ messageIds: number[] }> {
    return withFailureMapping(async () => {
      const key = `jobs/${input.jobId}/files/${fileStem(input.chatInfo.title, input.jobId)}-${input.what}.${EXTENSION[input.what]}`;
      // A retry after the file was removed finds the copy in the store.
      if (!(await deps.store.tryGet(key))) await deps.store.put(key, await readFile(fileOf(input.jobId, input.what)));
      const sent = await deps.postToChat({ chat: input.chat, parts: [], files: [{ key }], deliveryKey: input.deliveryKey });
      await rm(folderOf(input.jobId), { recursive: true, force: true });
      return sent;
    });
  }

  return { exportFilePath, sendExportFile };
}
