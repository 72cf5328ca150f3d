import { Command, InvalidArgumentError } from 'commander';
import { runUrl } from '../../../temporal';
import { listRuns } from '../../jobs';
import { cliConfig, withClient } from '../context';
import type { RegisterCommand } from './index';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new InvalidArgumentError('a whole number from 1 to 1000');
  return n;
}

export const registerRuns: RegisterCommand = (program) => {
  program.addCommand(
    new Command('runs')
      .description('list recent runs with their status')
      .option('--limit <n>', 'how many', positiveInt, 20)
      .action(async (opts: { limit: number }) => {
        const config = cliConfig();
        await withClient(config, async (client) => {
          const runs = await listRuns(client, opts.limit);
          if (runs.length === 0) {
            process.stdout.write('no runs yet: start one with `tgpulse summarize --export <result.json>`\n');
            return;
          }
          for (const r of runs) {
            const took = r.closeTime ? ` ${((r.closeTime.getTime() - r.startTime.getTime()) / 1000).toFixed(1)} s` : '';
            process.stdout.write(`${r.startTime.toISOString()}  ${r.status.padEnd(10)}${took.padEnd(10)}  ${r.workflowId}\n    ${runUrl(config, r.workflowId, r.runId)}\n`);
          }
        });
      }),
  );
};
