import { WorkflowFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure, TemporalFailure } from '@temporalio/common';
import type { JobProgress, RecapProgress } from '../domain';
import { CLI_WORKFLOWS, findRun, readProgress, type RunSummary } from '../starters/jobs';

/** How long the run page waits for a running workflow's `progress` answer. */
const PROGRESS_DEADLINE_MS = 2000;

/** What the run page shows of one workflow run. */
export interface RunView extends Omit<RunSummary, 'chat'> {
  /** The workflow's own `progress` answer while it runs; null when it cannot answer (closed, not picked up yet). */
  progress: (JobProgress | RecapProgress) | null;
  /** The workflow's result when it completed (a JobResult, a RecapResult, an export's result). */
  result: Record<string, unknown> | null;
  /** Why it failed, as its activity or workflow said it. */
  failure: string | null;
  /** The chat or cohort it is about, as far as its input or result says. */
  title: string | null;
  input: unknown;
}

/** The failure a run ended with: the first application failure in the chain (the reason a user can act on). */
function failureOf(err: WorkflowFailedError): string {
  for (let cause: unknown = err.cause; cause instanceof TemporalFailure; cause = cause.cause) {
    if (cause instanceof ApplicationFailure) return cause.message;
  }
  return (err.cause as Error | undefined)?.message ?? err.message;
}

function titleOf(input: unknown, result: Record<string, unknown> | null): string | null {
  const chat = result?.chat as { title?: unknown } | undefined;
  if (typeof chat?.title === 'string') return chat.title;
  if (typeof result?.chatTitle === 'string') return result.chatTitle;
  const i = input as { cohort?: { name?: unknown }; source?: { chat?: unknown }; chat?: unknown } | undefined;
  if (typeof i?.cohort?.name === 'string') return i.cohort.name;
  if (typeof i?.source?.chat === 'string') return i.source.chat;
  if (typeof i?.chat === 'string') return i.chat;
  return null;
}

/**
 * Reads one run: how it stands, where it is, and its result or failure. Throws the starters' "no run" BadInputError
 * for an id Temporal does not know.
 */
export async function loadRun(client: Client, workflowId: string): Promise<RunView> {
  const started = await findRun(client, workflowId);
  const handle = client.workflow.getHandle(workflowId);
  const d = await handle.describe();
  let progress: RunView['progress'] = null;
  let result: RunView['result'] = null;
  let failure: string | null = null;
  if (d.status.name === 'RUNNING') {
    // A run no worker has picked up cannot answer its query; the page does not wait the whole deadline for that.
    progress = await client.withDeadline(Date.now() + PROGRESS_DEADLINE_MS, () => readProgress(handle));
  } else if (d.status.name === 'COMPLETED' || d.status.name === 'FAILED') {
    try {
      const value: unknown = await handle.result();
      result = value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
    } catch (err) {
      if (!(err instanceof WorkflowFailedError)) throw err;
      failure = failureOf(err);
    }
  }
  return {
    workflowId,
    runId: d.runId,
    type: d.type,
    status: d.status.name,
    startTime: d.startTime,
    ...(d.closeTime ? { closeTime: d.closeTime } : {}),
    progress,
    result,
    failure,
    title: titleOf(started.input, result),
    input: started.input,
  };
}

/** The files a run's result names, in order (a summary's Markdown and JSON, a recap's PNG and Markdown, an export's CSV). */
export function resultFiles(result: Record<string, unknown> | null): string[] {
  if (!result) return [];
  if (Array.isArray(result.files)) return result.files.filter((f): f is string => typeof f === 'string');
  return typeof result.path === 'string' ? [result.path] : [];
}

/**
 * The most recent runs of this deployment, newest first: the workflow types the CLI, the userbot and recap schedules
 * start, on its task queue (a namespace may be shared with other applications, or other tgpulse deployments).
 */
export async function listRecentRuns(client: Client, taskQueue: string, limit: number): Promise<RunSummary[]> {
  const types = CLI_WORKFLOWS.map((t) => `WorkflowType = '${t}'`).join(' OR ');
  const query = `TaskQueue = '${taskQueue.replace(/'/g, "\\'")}' AND (${types})`;
  const runs: RunSummary[] = [];
  for await (const w of client.workflow.list({ query, pageSize: limit })) {
    runs.push({ workflowId: w.workflowId, runId: w.runId, type: w.type, status: w.status.name, startTime: w.startTime, ...(w.closeTime ? { closeTime: w.closeTime } : {}) });
    if (runs.length >= limit) break;
  }
  return runs;
}
