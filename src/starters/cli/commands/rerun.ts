import { Command, Option } from 'commander';
import { runUrl } from '../../../temporal';
import { runInput, startSummarize } from '../../jobs';
import { cliConfig, withClient } from '../context';
import { printResult, watchRun } from '../run-output';
import type { RegisterCommand } from './index';

export const registerRerun: RegisterCommand = (program) => {
  program.addCommand(
    new Command('rerun')
      .description('start a run again with the same input (a new run; the old one stays as it was)')
      .argument('<run>', 'the run to repeat')
      .addOption(new Option('--no-wait', 'start the run and return at once'))
      .action(async (run: string, opts: { wait: boolean }) => {
        const config = cliConfig();
        await withClient(config, async (client) => {
          const input = await runInput(client, run);
          const label = run.replace(/^summarize-/, '').replace(/-[0-9a-f]{8}$/, '');
          const handle = await startSummarize(client, config, input, label);
          process.stdout.write(`started ${handle.workflowId} (rerun of ${run})\nWeb UI: ${runUrl(config, handle.workflowId, handle.firstExecutionRunId)}\n`);
          if (opts.wait) printResult(await watchRun(handle));
        });
      }),
  );
};
