import { Command } from 'commander';
import { registry } from './commands';
import { reportCliError } from './report-error';

/** `tgpulse`: starts, watches and inspects jobs. Each command lives in `commands/<name>.ts`. */
async function main(argv: string[]): Promise<number> {
  const program = new Command('tgpulse')
    .description('Observe, summarize and recap Telegram groups, on Temporal.')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const register of registry) register(program);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    return reportCliError(err);
  }
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.exitCode = reportCliError(err);
  },
);
