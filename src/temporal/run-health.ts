import { temporal } from '@temporalio/proto';
import type { Client, WorkflowHandle } from '@temporalio/client';

/** What the health check asks Temporal through: a `Client`, or a handle's own `handle.client`. */
export type TemporalService = Pick<Client['workflow'], 'workflowService'> & { options: { namespace: string } };
import { optionalTsToMs } from '@temporalio/common/lib/time';
import { accountTaskQueue } from '../domain';

/**
 * How a run stands, from Temporal's own view of it:
 * - `working`: something is working on it (or it waits for a timer, a signal or its next step);
 * - `stuck`: nothing can work on it until someone acts (no worker polls its queue, none holds its account);
 * - `retrying`: a step failed and Temporal tries it again (the lines say why, which attempt, and when);
 * - `closed`: it has ended (completed, failed, cancelled, terminated, timed out).
 */
export type RunState = 'working' | 'stuck' | 'retrying' | 'closed';

/** A run's state and the lines that explain it to a person, most urgent first (empty while all is well). */
export interface RunHealth {
  state: RunState;
  /** The run's status as Temporal names it (RUNNING, COMPLETED, FAILED, CANCELLED, ...). */
  status: string;
  lines: string[];
}

/**
 * A worker that polls a queue sends a new long poll at least this often (a poll waits at most about a minute);
 * Temporal keeps listing a poller for minutes after its last poll, so an older one has gone away.
 */
const POLLER_FRESH_MS = 90_000;

/** The workers polling a task queue (of the given type) now, by identity. Exported for the pre-start check. */
export async function livePollers(client: TemporalService, taskQueue: string, type: 'workflow' | 'activity', now: number = Date.now()): Promise<string[]> {
  const response = await client.workflowService.describeTaskQueue({
    namespace: client.options.namespace,
    taskQueue: { name: taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    taskQueueType: type === 'workflow' ? temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW : temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
  });
  return (response.pollers ?? []).filter((p) => now - (optionalTsToMs(p.lastAccessTime) ?? 0) < POLLER_FRESH_MS).map((p) => p.identity ?? '?');
}

/** The line for a queue nobody polls: an account's queue names the account and the worker that holds it. */
export function noWorkerLine(baseQueue: string, queue: string): string {
  const prefix = accountTaskQueue(baseQueue, '');
  if (queue.startsWith(prefix) && queue.length > prefix.length) {
    const account = queue.slice(prefix.length);
    return `no worker holds account "${account}" (nothing polls task queue ${queue}): start it with \`npm run worker:account -- --account ${account}\``;
  }
  return `no worker polls task queue ${queue}: start one with \`npm run worker\` (TEMPORAL_TASK_QUEUE=${queue})`;
}

function seconds(ms: number): string {
  return ms < 90_000 ? `${Math.max(0, Math.round(ms / 1000))} s` : `${Math.round(ms / 60_000)} min`;
}

/** The innermost message of a failure chain: the cause a person can act on, not "Activity task failed". */
function rootMessage(failure: temporal.api.failure.v1.IFailure | null | undefined): string {
  let f = failure;
  while (f?.cause) f = f.cause;
  return (f?.message ?? 'unknown failure').split('\n')[0]!;
}

const { PendingActivityState, PendingWorkflowTaskState } = temporal.api.enums.v1;

/**
 * Says what is wrong with a run, within seconds, from Temporal's view of it (DescribeWorkflowExecution and
 * DescribeTaskQueue): no worker polls its queue, no worker holds the account its step needs, or a step is retrying
 * (its last failure, attempt and next try). Reads only; the CLI prints the lines while it waits, and the userbot's
 * status message and the web page can show the same.
 *
 * @example
 * const health = await describeRunHealth(client.workflow.getHandle(runId));
 * if (health.state !== 'working') for (const line of health.lines) console.error(line);
 */
export async function describeRunHealth(handle: WorkflowHandle, now: number = Date.now(), client: TemporalService = handle.client): Promise<RunHealth> {
  return describeHealth(client, handle, now);
}

async function describeHealth(client: TemporalService, handle: WorkflowHandle, now: number = Date.now()): Promise<RunHealth> {
  const d = await handle.describe();
  const status = d.status.name;
  if (status !== 'RUNNING') return { state: 'closed', status, lines: [] };
  const baseQueue = d.taskQueue;
  const stuck: string[] = [];
  const retrying: string[] = [];
  const checked = new Map<string, Promise<string[]>>();
  const pollers = (queue: string, type: 'workflow' | 'activity') => {
    const key = `${type}:${queue}`;
    if (!checked.has(key)) checked.set(key, livePollers(client, queue, type, now));
    return checked.get(key)!;
  };

  const wft = d.raw.pendingWorkflowTask;
  if (wft) {
    if (wft.state === PendingWorkflowTaskState.PENDING_WORKFLOW_TASK_STATE_SCHEDULED && (await pollers(baseQueue, 'workflow')).length === 0) stuck.push(noWorkerLine(baseQueue, baseQueue));
    else if ((wft.attempt ?? 1) > 1) retrying.push(`the workflow's code fails on the worker (attempt ${wft.attempt}); the worker's log says why`);
  }

  for (const pa of d.raw.pendingActivities ?? []) {
    const step = pa.activityType?.name ?? 'a step';
    const queue = pa.activityOptions?.taskQueue?.name || baseQueue;
    const attempt = pa.attempt ?? 1;
    if (pa.state === PendingActivityState.PENDING_ACTIVITY_STATE_SCHEDULED && (await pollers(queue, 'activity')).length === 0) {
      stuck.push(`step ${step} is waiting: ${noWorkerLine(baseQueue, queue)}`);
    }
    if (attempt > 1 && pa.lastFailure) {
      const next = optionalTsToMs(pa.nextAttemptScheduleTime);
      const when = pa.state === PendingActivityState.PENDING_ACTIVITY_STATE_STARTED ? 'now running again' : next !== undefined ? `next try in ${seconds(next - now)}` : 'next try soon';
      const of = pa.maximumAttempts ? ` of ${pa.maximumAttempts}` : '';
      retrying.push(`step ${step} is retrying (attempt ${attempt}${of}, ${when}): ${rootMessage(pa.lastFailure)}`);
    }
  }
  // Parallel steps failing alike (chunks of one summary against a dead endpoint) say it once.
  if (stuck.length) return { state: 'stuck', status, lines: [...new Set([...stuck, ...retrying])] };
  if (retrying.length) return { state: 'retrying', status, lines: [...new Set(retrying)] };
  return { state: 'working', status, lines: [] };
}
