import type { Client, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import type { z } from 'zod';
import type { Config } from '../config';
import { BadInputError, JobInput, RecapInput } from '../domain';
import { lastCompletedWeek } from '../recap';
import { checkJobSource } from './check-source';
import { EXPORT_MEMBERS_WORKFLOW, EXPORT_MESSAGES_WORKFLOW, exportWorkflowId, ExportMembersInputSchema, ExportMessagesInputSchema, rerunPath, startExport, type ExportKind } from './export-jobs';
import { describeIssues } from './input-issues';
import { findRun, SUMMARIZE_WORKFLOW, startSummarize } from './jobs';
import { RECAP_WORKFLOW, recapWorkflowId, startRecap } from './recap-schedules';

/** What `rerun` started: the new run, and what the user should know about where its output goes. */
export type Rerun =
  | { kind: 'summarize'; handle: WorkflowHandleWithFirstExecutionRunId }
  | { kind: 'recap'; handle: WorkflowHandleWithFirstExecutionRunId; week: string }
  | { kind: 'export'; exportKind: ExportKind; handle: WorkflowHandleWithFirstExecutionRunId; path: string };

const COMMAND_OF: Record<string, string> = {
  [SUMMARIZE_WORKFLOW]: 'tgpulse summarize',
  [RECAP_WORKFLOW]: 'tgpulse recap run',
  [EXPORT_MEMBERS_WORKFLOW]: 'tgpulse export members',
  [EXPORT_MESSAGES_WORKFLOW]: 'tgpulse export messages',
};

/** The run's stored input checked against what its workflow takes today; a mismatch is one line, not a ZodError. */
function inputOf<S extends z.ZodType>(schema: S, workflowId: string, type: string, raw: unknown): z.infer<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = describeIssues(parsed.error.issues);
  throw new BadInputError(`cannot rerun ${workflowId}: its input does not fit what ${type} takes now (${problems})`, `start it anew with ${COMMAND_OF[type]}`);
}

/**
 * Starts a run again with the input it was started with, each workflow type with its own input schema. A new run
 * never writes over the first one's output: a summary gets files named after the new run id, an export a file
 * beside the first (see `rerunPath`); a recap replaces its cohort week's stored results, as recapping that week
 * again always does, and is refused while the week's run is still going.
 */
export async function rerunRun(client: Client, config: Pick<Config, 'TEMPORAL_TASK_QUEUE'>, workflowId: string): Promise<Rerun> {
  const run = await findRun(client, workflowId);
  switch (run.type) {
    case SUMMARIZE_WORKFLOW: {
      const input = inputOf(JobInput, workflowId, run.type, run.input);
      await checkJobSource(input.source);
      const label = workflowId.replace(/^summarize-/, '').replace(/-[0-9a-f]{8}$/, '');
      return { kind: 'summarize', handle: await startSummarize(client, { TEMPORAL_TASK_QUEUE: run.taskQueue }, input, label) };
    }
    case RECAP_WORKFLOW: {
      const input = inputOf(RecapInput, workflowId, run.type, run.input);
      await checkJobSource(input.cohort.source);
      // A scheduled run carries no week: it recapped the week completed when it was due.
      const week = input.week ?? lastCompletedWeek(run.scheduledAt, input.cohort.zone);
      if (run.status === 'RUNNING' && recapWorkflowId(input.cohort.name, week) === workflowId) {
        throw new BadInputError(`${workflowId} is still running: a rerun of ${week} would stop it and start over`, `wait for it (tgpulse result ${workflowId}), then rerun`);
      }
      return { kind: 'recap', week, handle: await startRecap(client, run.taskQueue, { ...input, week }) };
    }
    case EXPORT_MEMBERS_WORKFLOW:
    case EXPORT_MESSAGES_WORKFLOW: {
      const exportKind: ExportKind = run.type === EXPORT_MEMBERS_WORKFLOW ? 'members' : 'messages';
      const input = inputOf(exportKind === 'members' ? ExportMembersInputSchema : ExportMessagesInputSchema, workflowId, run.type, run.input);
      const newId = exportWorkflowId(exportKind, input.chat);
      const path = rerunPath(input.path, newId);
      return { kind: 'export', exportKind, path, handle: await startExport(client, run.taskQueue, exportKind, { ...input, path }, newId) };
    }
    default:
      throw new BadInputError(`${workflowId} is a ${run.type} run, which tgpulse rerun does not start`, 'rerun starts summarize, recap and export runs again');
  }
}
