import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import type { RecapResult } from '../../../domain';
import { runUrl } from '../../../temporal';
import type { ExportMembersResult, ExportMessagesResult } from '../../../workflows';
import { rerunRun } from '../../rerun';
import { cliConfig, withClient } from '../context';
import { printRecapResult } from '../recap-output';
import { printResult, watchRun } from '../run-output';
import type { RegisterCommand } from './index';
import { watchExport } from './export';

export const registerRerun: RegisterCommand = (program) => {
  program.addCommand(
    new Command('rerun')
      .description('start a run again with the same input: a summary, a recap week or an export (a new run; the old one and its files stay as they were)')
      .argument('<run>', 'the run to repeat, as `tgpulse runs` lists it')
      .addOption(new Option('--no-wait', 'start the run and return at once'))
      .action(async (run: string, opts: { wait: boolean }) => {
        const config = cliConfig();
        await withClient(config, async (client) => {
          const rerun = await rerunRun(client, config, run);
          const { handle } = rerun;
          process.stdout.write(`started ${handle.workflowId} (rerun of ${run})\nWeb UI: ${runUrl(config, handle.workflowId, handle.firstExecutionRunId)}\n`);
          if (rerun.kind === 'recap') process.stdout.write(`It recaps ${rerun.week} again and replaces that week's stored numbers and files.\n`);
          // A bare name lands in the worker's OUTPUT_DIR (writes are confined there): say the whole path.
          if (rerun.kind === 'export') process.stdout.write(`It writes ${resolve(config.OUTPUT_DIR, rerun.path)} (the first run's file stays).\n`);
          if (!opts.wait) return;
          switch (rerun.kind) {
            case 'summarize':
              printResult(await watchRun(handle as Parameters<typeof watchRun>[0]));
              return;
            case 'recap':
              printRecapResult((await handle.result()) as RecapResult);
              return;
            case 'export': {
              const result = await watchExport<ExportMembersResult | ExportMessagesResult>(handle, rerun.exportKind);
              const count = 'members' in result ? `${result.members} members` : `${result.messages} messages`;
              process.stdout.write(`${count} of "${result.chat.title}" written to ${result.path}\n`);
              return;
            }
          }
        });
      }),
  );
};

