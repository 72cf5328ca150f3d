import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { loadDotenv } from '../../config';
import { registry } from './commands';
import { reportCliError } from './report-error';

/** The version in package.json, which `--version` prints. */
function packageVersion(): string {
  return (JSON.parse(readFileSync(resolve(__dirname, '../../../package.json'), 'utf8')) as { version: string }).version;
}

/** `tgpulse`: starts, watches and inspects jobs. Each command lives in `commands/<name>.ts`. */
async function main(argv: string[]): Promise<number> {
  // Before the commands are built: `--help` shows the defaults `.env` sets.
  loadDotenv();
  const program = new Command('tgpulse')
    .description('Observe, summarize and recap Telegram groups, on Temporal.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const register of registry) register(program);
  try {
    await program.parseAsync(argv);
    // A command that ends normally may still set a code of its own (`cancel` when the run has not stopped yet).
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
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
