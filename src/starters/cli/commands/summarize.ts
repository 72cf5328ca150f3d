import { basename, dirname } from 'node:path';
import { Command, Option } from 'commander';
import { BadInputError, type Delivery, type JobSource } from '../../../domain';
import { runUrl } from '../../../temporal';
import { parseJobInput, startSummarize } from '../../jobs';
import { cliConfig, withClient } from '../context';
import { telegram } from '../lazy-modules';
import { accountName, accountOption, checkedExport, outOption } from '../options';
import { copyResultFiles } from '../../copy-results';
import { printResult, warnIfNoWorker, watchRun } from '../run-output';
import type { RegisterCommand } from './index';

interface SummarizeOptions {
  export?: string;
  chat?: string;
  account?: string;
  postTo?: string;
  sync?: boolean;
  takeout?: boolean;
  since?: string;
  until?: string;
  prompt?: string;
  out?: string;
  wait: boolean;
}

/** What a user should know before asking for a takeout (shown in `--help` and when such a run starts). */
export const TAKEOUT_NOTE =
  'Telegram may hold the first export back (often 24 h) and notify your other Telegram apps, where you confirm it was you; the run waits for that by itself and shows when it resumes';

export function isoDate(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new BadInputError(`${flag} ${JSON.stringify(value)} is not a date`, `Use YYYY-MM-DD or a full ISO time such as 2026-11-02T09:00:00Z`);
  }
  return value;
}

/** The chat a user typed, checked before anything starts (`parseChatInput` throws a BadInputError with examples). */
export function telegramChat(flag: string, value: string): string {
  try {
    telegram().parseChatInput(value);
  } catch (err) {
    if (err instanceof BadInputError) throw new BadInputError(`${flag}: ${err.message}`, undefined, { cause: err });
    throw err;
  }
  return value.trim();
}

/**
 * `--export` reads a Telegram Desktop export (checked whole here, before anything starts); otherwise `--chat` is a
 * live chat read by `--account`.
 */
async function jobSource(opts: SummarizeOptions, defaultAccount: string): Promise<JobSource> {
  if (opts.export !== undefined) {
    if (opts.account !== undefined) throw new BadInputError('--export and --account are mutually exclusive', 'Summarize an export file with --export, or a live chat with --chat and --account');
    if (opts.sync) throw new BadInputError('--sync applies to live chats only', 'Drop --sync, or use --chat instead of --export');
    if (opts.takeout) throw new BadInputError('--takeout applies to live chats only', 'Drop --takeout, or use --chat instead of --export');
    return { kind: 'export', path: await checkedExport(opts.export, opts.chat), ...(opts.chat ? { chat: opts.chat } : {}) };
  }
  if (opts.chat === undefined) throw new BadInputError('No chat to summarize', 'Give --export <result.json>, or --chat <link|@name|id> to read a live chat');
  return { kind: 'telegram', account: accountName(opts.account ?? defaultAccount), chat: telegramChat('--chat', opts.chat), ...(opts.sync ? { sync: true } : {}), ...(opts.takeout ? { takeout: true } : {}) };
}

export const registerSummarize: RegisterCommand = (program) => {
  program.addCommand(
    new Command('summarize')
      .description('summarize a chat (a Telegram Desktop export, or a live chat through an account), and wait for the result')
      .option('--export <result.json>', 'path of a Telegram Desktop export (result.json)')
      .option('--chat <chat>', 'with --export: which chat, when the export holds a whole account; without: the live chat (link, @username or id)')
      .addOption(accountOption('the logged-in account that reads the live chat and posts; its worker must run'))
      .option('--sync', 'live chats: read only what is new since the last --sync of this chat, plus the last 48 h (edits)')
      .option('--takeout', `live chats: read through a Telegram data export (takeout), for large backfills; ${TAKEOUT_NOTE}`)
      .option('--post-to <chat>', 'post the summary to this Telegram chat (link, @username or id) as --account, instead of writing files')
      .option('--since <date>', 'only messages from this date (YYYY-MM-DD or ISO time, UTC)')
      .option('--until <date>', 'only messages before this date')
      .option('--prompt <text>', 'what you want to know (used when an LLM endpoint is configured)')
      .addOption(outOption('output folder'))
      .addOption(new Option('--no-wait', 'start the run and return at once'))
      .action(async (opts: SummarizeOptions) => {
        const config = cliConfig();
        const since = isoDate('--since', opts.since);
        const until = isoDate('--until', opts.until);
        if (since && until && Date.parse(since) >= Date.parse(until)) throw new BadInputError('--since must be before --until');
        if (opts.postTo !== undefined && opts.out !== undefined) throw new BadInputError('--post-to and --out are mutually exclusive', 'The summary goes either to a chat or to files');
        const account = opts.account !== undefined ? accountName(opts.account) : config.SESSION_NAME;
        const delivery: Delivery = opts.postTo !== undefined ? { kind: 'telegram', account, chat: telegramChat('--post-to', opts.postTo) } : { kind: 'files' };
        const source = await jobSource(opts, config.SESSION_NAME);
        const input = parseJobInput({
          source,
          ...(since ? { since } : {}),
          ...(until ? { until } : {}),
          ...(opts.prompt !== undefined ? { prompt: opts.prompt } : {}),
          delivery,
        });
        const label = input.source.kind === 'export' ? (input.source.chat ?? basename(dirname(input.source.path))) : input.source.chat;
        await withClient(config, async (client) => {
          const account = input.source.kind === 'telegram' ? input.source.account : input.delivery.kind === 'telegram' ? input.delivery.account : undefined;
          await warnIfNoWorker(client, config.TEMPORAL_TASK_QUEUE, account);
          const handle = await startSummarize(client, config, input, label);
          process.stdout.write(`started ${handle.workflowId}\nWeb UI: ${runUrl(config, handle.workflowId, handle.firstExecutionRunId)}\n`);
          if (input.source.kind === 'telegram' && input.source.takeout) process.stdout.write(`Takeout: ${TAKEOUT_NOTE}\n`);
          if (!opts.wait) return;
          const result = await watchRun(handle);
          printResult(opts.out !== undefined ? { ...result, files: await copyResultFiles(result.files, opts.out) } : result);
        });
      }),
  );
};
