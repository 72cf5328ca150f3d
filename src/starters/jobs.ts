import { randomUUID } from 'node:crypto';
import { isGrpcServiceError, ServiceError, WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { Config } from '../config';
import { BadInputError, JobInput, type JobProgress } from '../domain';
import { slug } from '../deliver';
import type { ExtractHeartbeat } from '../activities';
import { decodePayload } from '../temporal';
import type { summarizeChat } from '../workflows';
import { EXPORT_MEMBERS_WORKFLOW, EXPORT_MESSAGES_WORKFLOW } from './export-jobs';
import { RUN_SEARCH_ATTRIBUTES, searchAttributeCommand, startRun, type RunDescription } from '../temporal';
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
  /** The chat the run is about, from its search attributes (absent on runs started before they were set). */
  chat?: string;
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
      const beat = await decodePayload<ExtractHeartbeat>(handle.client, payload);
      if (typeof beat?.messages === 'number') progress = { ...progress, messages: beat.messages };
    }
  }
  return progress;
}

/** Every workflow type the CLI starts: what `tgpulse rerun` can start again. */
export const CLI_WORKFLOWS = [SUMMARIZE_WORKFLOW, RECAP_WORKFLOW, EXPORT_MEMBERS_WORKFLOW, EXPORT_MESSAGES_WORKFLOW] as const;

/** The kinds `tgpulse runs --kind` takes, and the workflow type of each (the userbot's dialogs are `conversation`). */
export const RUN_KINDS = { summarize: SUMMARIZE_WORKFLOW, recap: RECAP_WORKFLOW, 'export-members': EXPORT_MEMBERS_WORKFLOW, 'export-messages': EXPORT_MESSAGES_WORKFLOW, conversation: 'conversation', retention: 'retention', backup: 'backup' } as const;
export type RunKindName = keyof typeof RUN_KINDS;

/** The statuses `tgpulse runs --status` takes, as Temporal's list query names them. */
export const RUN_STATUSES = { running: 'Running', completed: 'Completed', failed: 'Failed', cancelled: 'Canceled', terminated: 'Terminated', 'timed-out': 'TimedOut', 'continued-as-new': 'ContinuedAsNew' } as const;
export type RunStatusName = keyof typeof RUN_STATUSES;

/** What `tgpulse runs` narrows the list to. */
export interface RunFilters {
  status?: RunStatusName;
  kind?: RunKindName;
  /** The chat as it was named at start (link, @username, id or an export's chat name), or its title. */
  chat?: string;
}

/** A string inside a list query: single-quoted, its quotes and backslashes escaped. */
const quoted = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** The list query for `filters` (empty: every run in the namespace, whatever its workflow type). */
export function runsQuery(filters: RunFilters): string {
  const parts: string[] = [];
  if (filters.kind) parts.push(`WorkflowType = ${quoted(RUN_KINDS[filters.kind])}`);
  if (filters.status) parts.push(`ExecutionStatus = ${quoted(RUN_STATUSES[filters.status])}`);
  if (filters.chat !== undefined) {
    const chat = quoted(filters.chat.trim());
    parts.push(`(${RUN_SEARCH_ATTRIBUTES.chat.name} = ${chat} OR ${RUN_SEARCH_ATTRIBUTES.chatTitle.name} = ${chat})`);
  }
  return parts.join(' AND ');
}

/** gRPC's INVALID_ARGUMENT: a list query naming a search attribute the namespace does not know. */
const GRPC_INVALID_ARGUMENT = 3;

/** The most recent runs of every kind (or those `filters` picks), newest first. */
export async function listRuns(client: Client, limit: number, filters: RunFilters = {}): Promise<RunSummary[]> {
  const runs: RunSummary[] = [];
  const query = runsQuery(filters);
  try {
    for await (const w of client.workflow.list({ ...(query ? { query } : {}), pageSize: limit })) {
      const chat = w.typedSearchAttributes.get(RUN_SEARCH_ATTRIBUTES.chatTitle) ?? w.typedSearchAttributes.get(RUN_SEARCH_ATTRIBUTES.chat);
      runs.push({ workflowId: w.workflowId, runId: w.runId, type: w.type, status: w.status.name, startTime: w.startTime, ...(w.closeTime ? { closeTime: w.closeTime } : {}), ...(chat ? { chat } : {}) });
      if (runs.length >= limit) break;
    }
  } catch (err) {
    const grpc = err instanceof ServiceError ? err.cause : err;
    if (filters.chat !== undefined && isGrpcServiceError(grpc) && grpc.code === GRPC_INVALID_ARGUMENT) {
      throw new BadInputError(`namespace ${client.options.namespace} does not know tgpulse's search attributes, so runs cannot be found by chat`, `register them once: ${searchAttributeCommand(client.options.namespace)}`, { cause: err });
    }
    throw err;
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
      input: payload ? await decodePayload(client, payload) : undefined,
    };
  } catch (err) {
    if (isNotFound(err)) throw noSuchRun(workflowId, err);
    throw err;
  }
}
