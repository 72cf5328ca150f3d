import { randomUUID } from 'node:crypto';
import { defaultPayloadConverter, isGrpcServiceError, ServiceError, WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { Config } from '../config';
import { BadInputError, JobInput, type JobProgress } from '../domain';
import { slug } from '../deliver';
import type { ExtractHeartbeat } from '../activities';
import type { summarizeChat } from '../workflows';
import { EXPORT_MEMBERS_WORKFLOW, EXPORT_MESSAGES_WORKFLOW } from './export-jobs';
import { startRun, type RunDescription } from '../temporal';
import { describeIssues } from './input-issues';
import { RECAP_WORKFLOW } from './recap-schedules';

export const SUMMARIZE_WORKFLOW = 'summarizeChat';

/** A recent run, as `tgpulse runs` lists it. */
export interface RunSummary {
  workflowId: string;
  runId: string;
  /** The workflow type: summarizeChat, weeklyRecap, exportMembers, exportMessages. */
  type: string;
  status: string;
  startTime: Date;
  closeTime?: Date;
}

/** Validates a job before anything is started; every problem is named in one BadInputError. */
export function parseJobInput(raw: unknown): JobInput {
  const parsed = JobInput.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new BadInputError(describeIssues(parsed.error.issues));
}

/** A summarize run in words, for the Web UI: what it reads, which part, what it looks for, where it goes. */
export function describeSummarize(input: JobInput, label: string): RunDescription {
  const source = input.source.kind === 'export' ? `the export ${input.source.path}` : `live chat ${input.source.chat} as account ${input.source.account}${input.source.sync ? ' (new messages since the last sync)' : ''}${input.source.takeout ? ' (through a takeout)' : ''}`;
  const range = input.since || input.until ? `, ${input.since ?? 'the start'} to ${input.until ?? 'now'}` : '';
  const to = input.delivery.kind === 'files' ? `files in ${input.delivery.dir}` : `a post to ${input.delivery.chat} as ${input.delivery.account}`;
  const details = [`- **Reads:** ${source}${range}`, `- **Looks for:** ${input.prompt ? input.prompt.replace(/\s+/g, ' ') : 'the default digest'}`, `- **Delivers:** ${to}`];
  return { summary: `Summarize "${label}" from ${input.source.kind === 'export' ? 'an export' : 'Telegram'}${range} → ${to}`, details: details.join('\n') };
}

/** Starts a `summarizeChat` run. The workflow id names the chat so the Web UI's list reads well. */
export async function startSummarize(client: Client, config: Pick<Config, 'TEMPORAL_TASK_QUEUE'>, raw: JobInput, label: string) {
  const input = parseJobInput(raw);
  const workflowId = `summarize-${slug(label)}-${randomUUID().slice(0, 8)}`;
  const account = input.source.kind === 'telegram' ? input.source.account : input.delivery.kind === 'telegram' ? input.delivery.account : undefined;
  const chat = input.source.kind === 'telegram' ? input.source.chat : (input.source.chat ?? label);
  return startRun<typeof summarizeChat>(
    client,
    SUMMARIZE_WORKFLOW,
    { taskQueue: config.TEMPORAL_TASK_QUEUE, workflowId, args: [input] },
    { kind: 'summarize', chat, chatTitle: label, ...(account ? { account } : {}) },
    describeSummarize(input, label),
  );
}

/**
 * Where a run is: the workflow's own progress, and while it extracts, the messages counted so far by the
 * extraction activity's last heartbeat (which the workflow itself does not see).
 */
export async function readProgress(handle: WorkflowHandle): Promise<JobProgress | null> {
  let progress: JobProgress;
  try {
    progress = await handle.query<JobProgress>('progress');
  } catch {
    // Not picked up by a worker yet, or already closed: no progress to show.
    return null;
  }
  if (progress.phase === 'extracting') {
    const description = await handle.describe();
    for (const pending of description.raw.pendingActivities ?? []) {
      const payload = pending.heartbeatDetails?.payloads?.[0];
      if (!payload) continue;
      const beat = defaultPayloadConverter.fromPayload<ExtractHeartbeat>(payload);
      if (typeof beat?.messages === 'number') progress = { ...progress, messages: beat.messages };
    }
  }
  return progress;
}

/** Every workflow type the CLI starts: what `tgpulse runs` lists and `tgpulse rerun` can start again. */
export const CLI_WORKFLOWS = [SUMMARIZE_WORKFLOW, RECAP_WORKFLOW, EXPORT_MEMBERS_WORKFLOW, EXPORT_MESSAGES_WORKFLOW] as const;

/** The most recent runs the CLI (or a recap schedule) started, newest first. */
export async function listRuns(client: Client, limit: number): Promise<RunSummary[]> {
  const runs: RunSummary[] = [];
  const query = CLI_WORKFLOWS.map((t) => `WorkflowType = '${t}'`).join(' OR ');
  for await (const w of client.workflow.list({ query, pageSize: limit })) {
    runs.push({ workflowId: w.workflowId, runId: w.runId, type: w.type, status: w.status.name, startTime: w.startTime, ...(w.closeTime ? { closeTime: w.closeTime } : {}) });
    if (runs.length >= limit) break;
  }
  return runs;
}

/** A run as `rerun` needs it: its type, where it ran, when it was due, and its input as it was sent (unchecked). */
export interface StartedRun {
  workflowId: string;
  type: string;
  taskQueue: string;
  status: string;
  /** When a Schedule's action was due (its runs carry no week: they recap the week before this), else the start. */
  scheduledAt: Date;
  input: unknown;
}

/** The error for a run id nobody started (Temporal answers NOT_FOUND): a line, not a gRPC stack. */
export function noSuchRun(workflowId: string, cause?: unknown): BadInputError {
  return new BadInputError(`no run ${workflowId}; list runs with tgpulse runs`, undefined, { cause });
}

/** gRPC's NOT_FOUND status code. */
const GRPC_NOT_FOUND = 5;

function isNotFound(err: unknown): boolean {
  if (err instanceof WorkflowNotFoundError) return true;
  const grpc = err instanceof ServiceError ? err.cause : err;
  return isGrpcServiceError(grpc) && grpc.code === GRPC_NOT_FOUND;
}

const SCHEDULED_START = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

/** Reads a run's type and the input it was started with (its first history event). */
export async function findRun(client: Client, workflowId: string): Promise<StartedRun> {
  const handle = client.workflow.getHandle(workflowId);
  try {
    const d = await handle.describe();
    const history = await handle.fetchHistory();
    const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    return {
      workflowId,
      type: d.type,
      taskQueue: d.taskQueue,
      status: d.status.name,
      scheduledAt: d.typedSearchAttributes.get(SCHEDULED_START) ?? d.startTime,
      input: payload ? defaultPayloadConverter.fromPayload(payload) : undefined,
    };
  } catch (err) {
    if (isNotFound(err)) throw noSuchRun(workflowId, err);
    throw err;
  }
}
