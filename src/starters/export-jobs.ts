import { randomUUID } from 'node:crypto';
import { extname } from 'node:path';
import type { Client, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { z } from 'zod';
import { BadInputError } from '../domain';
import { slug } from '../deliver';
import type { ExportMembersInput, ExportMessagesInput } from '../workflows';
import { startRun } from '../temporal';
import { describeIssues } from './input-issues';

export const EXPORT_MEMBERS_WORKFLOW = 'exportMembers';
export const EXPORT_MESSAGES_WORKFLOW = 'exportMessages';

const AccountName = z.string().regex(/^[A-Za-z0-9_-]+$/, 'an account name holds only letters, digits, _ and -');
const IsoDate = z.iso.datetime({ offset: true }).or(z.iso.date());
// A file name (the worker writes it into its OUTPUT_DIR) or an absolute path inside that folder; the worker checks which.
const AbsolutePath = z.string().refine((p) => p.startsWith('/') || /^[^/\\]+$/.test(p), 'a file name, or an absolute path in the worker\'s OUTPUT_DIR');

/** What an `exportMembers` run takes (the workflow's `ExportMembersInput`), checked before a start or a rerun. */
export const ExportMembersInputSchema = z.object({
  account: AccountName,
  chat: z.string().trim().min(1, 'no chat given'),
  path: AbsolutePath,
  includePhone: z.boolean().optional(),
}) satisfies z.ZodType<ExportMembersInput>;

/** What an `exportMessages` run takes (the workflow's `ExportMessagesInput`). */
export const ExportMessagesInputSchema = z.object({
  account: AccountName,
  chat: z.string().trim().min(1, 'no chat given'),
  path: AbsolutePath,
  since: IsoDate.optional(),
  until: IsoDate.optional(),
  takeout: z.boolean().optional(),
}) satisfies z.ZodType<ExportMessagesInput>;

export type ExportKind = 'members' | 'messages';

/** Validates an export's input; every problem in one BadInputError. */
export function parseExportInput<K extends ExportKind>(kind: K, raw: unknown): K extends 'members' ? ExportMembersInput : ExportMessagesInput {
  const schema = kind === 'members' ? ExportMembersInputSchema : ExportMessagesInputSchema;
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data as K extends 'members' ? ExportMembersInput : ExportMessagesInput;
  throw new BadInputError(describeIssues(parsed.error.issues));
}

/** A new run id for an export of `chat`: the chat (cut) for the Web UI's list, then a random suffix. */
export function exportWorkflowId(kind: ExportKind, chat: string): string {
  return `export-${kind}-${slug(chat)}-${randomUUID().slice(0, 8)}`;
}

/** Starts an export run on the general task queue; its activities run on the account's own worker. */
export function startExport(client: Client, taskQueue: string, kind: ExportKind, raw: ExportMembersInput | ExportMessagesInput, workflowId = exportWorkflowId(kind, raw.chat)): Promise<WorkflowHandleWithFirstExecutionRunId> {
  const input = parseExportInput(kind, raw);
  const range = 'since' in input && (input.since || input.until) ? `, ${input.since ?? 'the start'} to ${input.until ?? 'now'}` : '';
  const summary = `Export the ${kind} of ${input.chat}${range} as account ${input.account} → ${input.path}`;
  return startRun(
    client,
    kind === 'members' ? EXPORT_MEMBERS_WORKFLOW : EXPORT_MESSAGES_WORKFLOW,
    { taskQueue, workflowId, args: [input] },
    { kind: kind === 'members' ? 'export-members' : 'export-messages', chat: input.chat, account: input.account },
    { summary },
  );
}

/**
 * Where a rerun of an export writes: beside the first run's file, named with the new run's suffix, so the file the
 * first run wrote stays as it was (`members.csv` → `members-3f9a1c2e.csv`).
 */
export function rerunPath(path: string, workflowId: string): string {
  const suffix = /-([0-9a-f]{8})$/.exec(workflowId)?.[1] ?? slug(workflowId);
  const ext = extname(path);
  return `${path.slice(0, path.length - ext.length)}-${suffix}${ext}`;
}
