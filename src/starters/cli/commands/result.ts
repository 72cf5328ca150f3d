import { Command } from 'commander';
import { WorkflowNotFoundError } from '@temporalio/client';
import { describeRunHealth, runUrl } from '../../../temporal';
import { noSuchRun, readProgress } from '../../jobs';
import { cliConfig, withClient } from '../context';
import { printResult } from '../run-output';
import type { RegisterCommand } from './index';
import type { summarizeChat } from '../../../workflows';

export const registerResult: RegisterCommand = (program) => {
  program.addCommand(
    new Command('result')
      .description('show the result of a run (or where it is, if it is still running)')
      .argument('<run>', 'the run id printed by `summarize` or listed by `runs`')
      .action(async (run: string) => {
        const config = cliConfig();
        await withClient(config, async (client) => {
          const handle = client.workflow.getHandle<typeof summarizeChat>(run);
          let status: string;
          let runId: string;
          try {
            ({ runId, status: { name: status } } = await handle.describe());
          } catch (err) {
            if (err instanceof WorkflowNotFoundError) throw noSuchRun(run, err);
            throw err;
          }
          process.stdout.write(`${run}: ${status}\nWeb UI: ${runUrl(config, run, runId)}\n`);
          if (status === 'RUNNING') {
            // What holds it up, if anything; its progress needs a worker to answer, so only when one serves it.
            const health = await describeRunHealth(handle);
            for (const line of health.lines) process.stdout.write(`waiting: ${line}\n`);
            if (health.state === 'stuck') return;
            const p = await readProgress(handle);
            if (p) process.stdout.write(`phase ${p.phase}, ${p.messages} history entries read so far\n`);
            return;
          }
          // A failed run throws its failure here, which the CLI prints as the reason.
          if (status !== 'COMPLETED') process.stderr.write(`Start it again with \`tgpulse rerun ${run}\` once the cause is fixed.\n`);
          printResult(await handle.result());
        });
      }),
  );
};
