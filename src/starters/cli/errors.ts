import { CommanderError } from 'commander';
import { ConfigError } from '../../config';
import { BadInputError, QuotaExceededError, RemoteRefusedError, TransportError } from '../../domain';

/** Prints an error the way a user can act on it and returns the exit code. Never prints a stack for known errors. */
export function reportCliError(err: unknown): number {
  if (err instanceof CommanderError) {
    // commander already printed its message (or the help, or the version).
    return err.exitCode === 0 ? 0 : 2;
  }
  if (err instanceof ConfigError || err instanceof BadInputError || err instanceof QuotaExceededError || err instanceof RemoteRefusedError) {
    process.stderr.write(`error: ${err.message}\n`);
    return 2;
  }
  if (err instanceof TransportError) {
    process.stderr.write(`error: ${err.message}\n`);
    return 3;
  }
  process.stderr.write(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return 1;
}
