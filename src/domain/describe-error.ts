import { BadInputError, QuotaExceededError, RemoteRefusedError, TransportError } from './errors';

/** What an entry point prints for an error, and the exit code it ends with. */
export interface ErrorReport {
  message: string;
  exitCode: number;
}

/**
 * Turns an error into the line a user reads. Known families (bad input, refusals, quotas, configuration) print
 * their message alone and exit 2; an unreachable service exits 3; anything else is a bug and keeps its stack.
 */
export function describeError(err: unknown): ErrorReport {
  if (err instanceof BadInputError || err instanceof QuotaExceededError || err instanceof RemoteRefusedError || isConfigError(err)) {
    return { message: `error: ${err.message}`, exitCode: 2 };
  }
  if (err instanceof TransportError) return { message: `error: ${err.message}`, exitCode: 3 };
  return { message: `error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`, exitCode: 1 };
}

function isConfigError(err: unknown): err is Error {
  return err instanceof Error && err.name === 'ConfigError';
}
