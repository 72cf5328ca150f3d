import { CommanderError } from 'commander';
import { describeError } from '../../domain';

/** Prints an error the way a user can act on it and returns the exit code. */
export function reportCliError(err: unknown): number {
  // commander has already printed its own message (or the help).
  if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
  const { message, exitCode } = describeError(err);
  process.stderr.write(`${message}\n`);
  return exitCode;
}
