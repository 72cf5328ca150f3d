import { rename } from 'node:fs/promises';
import { basename, dirname, isAbsolute, relative, resolve } from 'node:path';
import { copyResultFiles } from '../../copy-results';
import { Command, Option } from 'commander';
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { Config } from '../../../config';
import { BadInputError } from '../../../domain';
import { runUrl } from '../../../temporal';
import type { exportMembers, exportMessages, ExportMembersInput, ExportMessagesInput } from '../../../workflows';
import { parseExportInput, startExport, type ExportKind } from '../../export-jobs';
import { cliConfig, withClient } from '../context';
import { accountName, accountOption } from '../options';
import { warnIfNoWorker, watchAnyRun } from '../run-output';
import type { RegisterCommand } from './index';
import { isoDate, TAKEOUT_NOTE, telegramChat } from './summarize';

interface MembersFlags {
  account?: string;
  csv: string;
  includePhone?: boolean;
  wait: boolean;
}

interface MessagesFlags {
  account?: string;
  jsonl: string;
  takeout?: boolean;
  since?: string;
  until?: string;
  wait: boolean;
}

/** Waits for an export with a progress view on stderr (the count comes from the activity's heartbeat). */
export function watchExport<T>(handle: WorkflowHandle, unit: string): Promise<T> {
  return watchAnyRun<T>(handle, unit);
}

async function start(client: Client, config: Config, kind: ExportKind, input: ExportMembersInput | ExportMessagesInput): Promise<WorkflowHandle> {
  await warnIfNoWorker(client, config.TEMPORAL_TASK_QUEUE, input.account);
  const handle = await startExport(client, config.TEMPORAL_TASK_QUEUE, kind, input);
  process.stdout.write(`started ${handle.workflowId}\nWeb UI: ${runUrl(config, handle.workflowId, handle.firstExecutionRunId)}\n`);
  return handle;
}

function outputPath(flag: string, path: string, extension: string): string {
  if (path.trim() === '') throw new BadInputError(`${flag} is empty`, `Give a file name such as out${extension}`);
  return resolve(path);
}

/**
 * What the run asks the worker to write: the user's path when it lies in OUTPUT_DIR (the worker's folder, as this
 * CLI is configured), else only its file name; the worker refuses any other folder, and {@link handOver} copies
 * the file to where the user asked.
 */
function workerPath(config: { OUTPUT_DIR: string }, wanted: string): string {
  const inside = relative(resolve(config.OUTPUT_DIR), wanted);
  return inside !== '' && !inside.startsWith('..') && !isAbsolute(inside) ? wanted : basename(wanted);
}

/** The file where the user asked for it: copied from where the worker wrote it, when that is elsewhere. */
async function handOver(written: string, wanted: string): Promise<string> {
  if (resolve(written) === wanted) return wanted;
  const [copy] = await copyResultFiles([written], dirname(wanted));
  if (copy !== wanted) await rename(copy!, wanted);
  return wanted;
}

export const registerExport: RegisterCommand = (program) => {
  const exportCommand = new Command('export').description('export a live chat\'s members (CSV) or messages (JSONL) through an account; runs as a workflow');
  exportCommand.addCommand(
    new Command('members')
      .description('write a chat\'s members to a CSV file')
      .argument('<chat>', 'the chat: link, @username or id')
      .addOption(accountOption('the logged-in account to list them with; its worker must run'))
      .requiredOption('--csv <file>', 'the CSV file to write (the worker writes it into its OUTPUT_DIR; the CLI copies it here)')
      .option('--include-phone', 'add phone numbers (only those Telegram shows this account)')
      .addOption(new Option('--no-wait', 'start the export and return at once'))
      .action(async (chat: string, flags: MembersFlags) => {
        const config = cliConfig();
        const input = parseExportInput('members', {
          account: accountName(flags.account ?? config.SESSION_NAME),
          chat: telegramChat('<chat>', chat),
          path: workerPath(config, outputPath('--csv', flags.csv, '.csv')),
          ...(flags.includePhone ? { includePhone: true } : {}),
        });
        await withClient(config, async (client) => {
          const handle = await start(client, config, 'members', input);
          if (!flags.wait) return;
          const result = await watchExport<Awaited<ReturnType<typeof exportMembers>>>(handle, 'members');
          const path = await handOver(result.path, outputPath('--csv', flags.csv, '.csv'));
          process.stdout.write(`${result.members} members of "${result.chat.title}" written to ${path}${input.includePhone ? '' : ' (no phone numbers: add --include-phone for them)'}\n`);
        });
      }),
  );
  exportCommand.addCommand(
    new Command('messages')
      .description('write a chat\'s messages to a JSONL file, one message a line, oldest first')
      .argument('<chat>', 'the chat: link, @username or id')
      .addOption(accountOption('the logged-in account to read it with; its worker must run'))
      .requiredOption('--jsonl <file>', 'the JSONL file to write (the worker writes it into its OUTPUT_DIR; the CLI copies it here)')
      .option('--since <date>', 'only messages from this date (YYYY-MM-DD or ISO time, UTC)')
      .option('--until <date>', 'only messages before this date')
      .option('--takeout', `read through a Telegram data export (takeout), for large backfills; ${TAKEOUT_NOTE}`)
      .addOption(new Option('--no-wait', 'start the export and return at once'))
      .action(async (chat: string, flags: MessagesFlags) => {
        const config = cliConfig();
        const since = isoDate('--since', flags.since);
        const until = isoDate('--until', flags.until);
        if (since && until && Date.parse(since) >= Date.parse(until)) throw new BadInputError('--since must be before --until');
        const input = parseExportInput('messages', {
          account: accountName(flags.account ?? config.SESSION_NAME),
          chat: telegramChat('<chat>', chat),
          path: workerPath(config, outputPath('--jsonl', flags.jsonl, '.jsonl')),
          ...(since ? { since } : {}),
          ...(until ? { until } : {}),
          ...(flags.takeout ? { takeout: true } : {}),
        });
        await withClient(config, async (client) => {
          const handle = await start(client, config, 'messages', input);
          if (input.takeout) process.stdout.write(`Takeout: ${TAKEOUT_NOTE}\n`);
          if (!flags.wait) return;
          const result = await watchExport<Awaited<ReturnType<typeof exportMessages>>>(handle, 'messages');
          const path = await handOver(result.path, outputPath('--jsonl', flags.jsonl, '.jsonl'));
          process.stdout.write(`${result.messages} messages of "${result.chat.title}" written to ${path}\n`);
        });
      }),
  );
  program.addCommand(exportCommand);
};
