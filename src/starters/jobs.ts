import { randomUUID } from 'node:crypto';
import { defaultPayloadConverter, WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { Config } from '../config';
import { BadInputError, JobInput, type JobProgress, type JobResult } from '../domain';
import { slug } from '../deliver';
import type { ExtractHeartbeat } from '../activities';
import type { summarizeChat } from '../workflows';

export const SUMMARIZE_WORKFLOW = 'summarizeChat';

/** A recent run, as `tgpulse runs` lists it. */
export interface RunSummary {
  workflowId: string;
  runId: string;
  status: string;
  startTime: Date;
  closeTime?: Date;
}

/** Validates a job before anything is started; every problem is named in one BadInputError. */
export function parseJobInput(raw: unknown): JobInput {
  const parsed = JobInput.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new BadInputError(parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; '));
}

/** Starts a `summarizeChat` run. The workflow id names the chat so the Web UI's list reads well. */
export async function startSummarize(client: Client, config: Pick<Config, 'TEMPORAL_TASK_QUEUE'>, input: JobInput, label: string) {
  const workflowId = `summarize-${slug(label)}-${randomUUID().slice(0, 8)}`;
  return client.workflow.start<typeof summarizeChat>(SUMMARIZE_WORKFLOW, {
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    workflowId,
    args: [parseJobInput(input)],
  });
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

/** Waits for a run, calling `onProgress` about twice a second while it works. */
export async function waitForResult(handle: WorkflowHandle<typeof summarizeChat>, onProgress: (p: JobProgress) => void): Promise<JobResult> {
  const result = handle.result();
  let done = false;
  void result.then(
    () => (done = true),
    () => (done = true),
  );
  while (!done) {
    const p = await readProgress(handle);
    if (p && !done) onProgress(p);
    await Promise.race([result.catch(() => undefined), new Promise((r) => setTimeout(r, 500))]);
  }
  return result;
}

/** The most recent summarize runs, newest first. */
export async function listRuns(client: Client, limit: number): Promise<RunSummary[]> {
  const runs: RunSummary[] = [];
  for await (const w of client.workflow.list({ query: `WorkflowType = '${SUMMARIZE_WORKFLOW}'`, pageSize: limit })) {
    runs.push({ workflowId: w.workflowId, runId: w.runId, status: w.status.name, startTime: w.startTime, ...(w.closeTime ? { closeTime: w.closeTime } : {}) });
    if (runs.length >= limit) break;
  }
  return runs;
}

/** The input a run was started with, read from its first history event: what `rerun` starts again. */
export async function runInput(client: Client, workflowId: string): Promise<JobInput> {
  let history;
  try {
    history = await client.workflow.getHandle(workflowId).fetchHistory();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new BadInputError(`no run named ${workflowId}`, 'List runs with `tgpulse runs`', { cause: err });
    throw err;
  }
  const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  const payload = started?.input?.payloads?.[0];
  if (!payload) throw new BadInputError(`run ${workflowId} has no input to rerun`);
  return JobInput.parse(defaultPayloadConverter.fromPayload(payload));
}
