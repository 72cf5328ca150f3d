import { Context } from '@temporalio/activity';
import { join } from 'node:path';
import { decodePayload } from '../temporal';
import { BadInputError, type ChatInfo, type JobProgress, type Summary } from '../domain';
import { fileStem, renderMarkdown } from '../deliver';
import { summaryKey } from './digest';
import type { ExtractHeartbeat } from './extract';
import { withFailureMapping } from './failures';
import { createTelegramActivities, type TelegramActivityDeps } from './telegram';
import { createUserbotExportActivities } from './userbot-exports';
import { createUserbotLimitActivities, type LimiterStatsReader } from './userbot-limits';
import { createUserbotScheduleActivities } from './userbot-schedules';

/** What the userbot's activities need beyond the account's Telegram activities. */
export interface UserbotActivityDeps extends TelegramActivityDeps {
  /** The account limiter's statistics, for `/limits`; without it `/limits` says where to look instead. */
  limiterStats?: LimiterStatsReader;
}

/**
 * The activities the userbot's conversations add on an account worker. Replies and files go out through the
 * account's port (every call through its limiter) and the delivery records of `postToChat`, so a retry never posts
 * twice.
 */
export function createUserbotActivities(deps: UserbotActivityDeps) {
  const { postToChat } = createTelegramActivities(deps);

  /**
   * Sends a finished digest's Markdown and JSON as documents to `chat`. The files are written to the artifact store
   * first (named after the chat and the job, as the CLI names them), so a retry sends the same bytes.
   */
  async function sendSummaryFiles(input: { jobId: string; chat: string; chatInfo: ChatInfo; deliveryKey: string }): Promise<{ messageIds: number[] }> {
    return withFailureMapping(async () => {
      const raw = await deps.store.tryGet(summaryKey(input.jobId));
      if (!raw) throw new BadInputError(`Job ${input.jobId} left no summary to send`, 'Run it again with /rerun');
      const summary = JSON.parse(raw.toString('utf8')) as Summary;
      const stem = `jobs/${input.jobId}/files/${fileStem(input.chatInfo.title, input.jobId)}`;
      await deps.store.put(`${stem}.md`, renderMarkdown(summary, input.chatInfo));
      await deps.store.put(`${stem}.json`, JSON.stringify(summary, null, 2));
      return postToChat({ chat: input.chat, parts: [], files: [{ key: `${stem}.md` }, { key: `${stem}.json` }], deliveryKey: input.deliveryKey });
    });
  }

  /**
   * Where a job is, for its status message: the job's progress query and, while it extracts, the messages its
   * extraction activity has counted (its last heartbeat, which the job itself does not see). Null when the job
   * cannot say (not picked up yet, or closed).
   */
  async function jobProgress(input: { jobId: string }): Promise<JobProgress | null> {
    const client = Context.current().client;
    const handle = client.workflow.getHandle(input.jobId);
    let progress: JobProgress;
    try {
      progress = await handle.query<JobProgress>('progress');
    } catch {
      return null;
    }
    if (progress.phase !== 'extracting') return progress;
    const description = await handle.describe();
    for (const pending of description.raw.pendingActivities ?? []) {
      const payload = pending.heartbeatDetails?.payloads?.[0];
      const beat = payload ? await decodePayload<ExtractHeartbeat>(client, payload) : undefined;
      if (typeof beat?.messages === 'number') progress = { ...progress, messages: beat.messages };
    }
    return progress;
  }

  return {
    sendSummaryFiles,
    jobProgress,
    // Inside the worker's OUTPUT_DIR: the export workflows write nowhere else (confined writes).
    ...createUserbotExportActivities({ store: deps.store, postToChat, dir: join(deps.outputDir, 'userbot-exports') }),
    ...createUserbotScheduleActivities(),
    ...createUserbotLimitActivities(deps.limiterStats, deps.now),
  };
}

/** The userbot's activities on an account worker. Workflows import this type only. */
export type UserbotActivities = ReturnType<typeof createUserbotActivities>;
