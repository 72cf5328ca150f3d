import { Command, InvalidArgumentError } from 'commander';
import { WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import { describeRunHealth, runUrl } from '../../../temporal';
import { noSuchRun } from '../../jobs';
import { cliConfig, withClient } from '../context';
import type { RegisterCommand } from './index';

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 3600) throw new InvalidArgumentError('a number of seconds from 0 to 3600');
  return n;
}

/** Waits until the run has closed or `ms` have passed; returns its last status. */
async function closedWithin(handle: WorkflowHandle, ms: number): Promise<string> {
  const deadline = Date.now() + ms;
  for (;;) {
    const status = (await handle.describe()).status.name;
    if (status !== 'RUNNING' || Date.now() >= deadline) return status;
    await new Promise((r) => setTimeout(r, 500));
  }
}

export const registerCancel: RegisterCommand = (program) => {
  program.addCommand(
    new Command('cancel')
      .description('cancel a run: its Telegram reads and LLM calls stop, the pages it stored stay whole')
      .argument('<run>', 'the run id printed by `summarize` or listed by `runs`')
      .option('--wait <seconds>', 'how long to wait for the run to stop', seconds, 60)
      .action(async (run: string, opts: { wait: number }) => {
        const config = cliConfig();
        await withClient(config, async (client) => {
          const handle = client.workflow.getHandle(run);
          let runId: string;
          let status: string;
          try {
            ({ runId, status: { name: status } } = await handle.describe());
          } catch (err) {
            if (err instanceof WorkflowNotFoundError) throw noSuchRun(run, err);
            throw err;
          }
          if (status !== 'RUNNING') {
            process.stdout.write(`${run} is not running (${status}): nothing to cancel\n`);
            return;
          }
          await handle.cancel();
          process.stdout.write(`cancel requested for ${run}\nWeb UI: ${runUrl(config, run, runId)}\n`);
          const final = await closedWithin(handle, opts.wait * 1000);
          if (final !== 'RUNNING') {
            process.stdout.write(`${run}: ${final}\n`);
            return;
          }
          // A cancellation is carried out by the run's worker: without one it waits, and says why.
          const health = await describeRunHealth(handle);
          const why = health.lines.length ? `: ${health.lines.join('; ')}` : '';
          process.stdout.write(`${run} is still stopping after ${opts.wait} s${why}\n`);
          process.exitCode = 1;
        });
      }),
  );
};
