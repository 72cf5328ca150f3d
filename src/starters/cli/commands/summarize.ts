import { existsSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { BadInputError } from '../../../domain';
import { runUrl } from '../../../temporal';
import { parseJobInput, startSummarize } from '../../jobs';
import { cliConfig, withClient } from '../context';
import { printResult, watchRun } from '../run-output';
import type { RegisterCommand } from './index';

interface SummarizeOptions {
  export: string;
  chat?: string;
  since?: string;
  until?: string;
  prompt?: string;
  out?: string;
  wait: boolean;
}

/** Checks the export path before anything is started: a typo should not cost a workflow run. */
function exportPath(path: string): string {
  const abs = resolve(path);
  if (!existsSync(abs)) throw new BadInputError(`export file not found: ${abs}`, 'Pass the result.json written by Telegram Desktop (Settings → Advanced → Export Telegram data, format JSON)');
  if (!statSync(abs).isFile()) throw new BadInputError(`${abs} is a folder`, 'Pass the result.json file inside it');
  return abs;
}

function isoDate(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new BadInputError(`${flag} ${JSON.stringify(value)} is not a date`, `Use YYYY-MM-DD or a full ISO time such as 2026-11-02T09:00:00Z`);
  }
  return value;
}

export const registerSummarize: RegisterCommand = (program) => {
  program.addCommand(
    new Command('summarize')
      .description('summarize a chat from a Telegram Desktop export, and wait for the result')
      .requiredOption('--export <result.json>', 'path of a Telegram Desktop export (result.json)')
      .option('--chat <name|id>', 'which chat, when the export holds a whole account')
      .option('--since <date>', 'only messages from this date (YYYY-MM-DD or ISO time, UTC)')
      .option('--until <date>', 'only messages before this date')
      .option('--prompt <text>', 'what you want to know (used when an LLM endpoint is configured)')
      .option('--out <dir>', 'output folder (default: OUTPUT_DIR)')
      .addOption(new Option('--no-wait', 'start the run and return at once'))
      .action(async (opts: SummarizeOptions) => {
        const config = cliConfig();
        const since = isoDate('--since', opts.since);
        const until = isoDate('--until', opts.until);
        if (since && until && Date.parse(since) >= Date.parse(until)) throw new BadInputError('--since must be before --until');
        const input = parseJobInput({
          source: { kind: 'export', path: exportPath(opts.export), ...(opts.chat ? { chat: opts.chat } : {}) },
          ...(since ? { since } : {}),
          ...(until ? { until } : {}),
          ...(opts.prompt !== undefined ? { prompt: opts.prompt } : {}),
          delivery: { kind: 'files', dir: resolve(opts.out ?? config.OUTPUT_DIR) },
        });
        await withClient(config, async (client) => {
          const handle = await startSummarize(client, config, input, opts.chat ?? basename(dirname(input.source.path)));
          process.stdout.write(`started ${handle.workflowId}\nWeb UI: ${runUrl(config, handle.workflowId, handle.firstExecutionRunId)}\n`);
          if (!opts.wait) return;
          printResult(await watchRun(handle));
        });
      }),
  );
};
