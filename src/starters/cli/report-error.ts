import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure, TemporalFailure } from '@temporalio/common';
import { CommanderError } from 'commander';
import { describeError } from '../../domain';

/** The failure a run ended with, as its activity or workflow said it: the first application failure in the chain. */
function runFailure(err: WorkflowFailedError): { message: string; nonRetryable: boolean } {
  for (let cause: unknown = err.cause; cause instanceof TemporalFailure; cause = cause.cause) {
    if (cause instanceof ApplicationFailure) return { message: cause.message, nonRetryable: cause.nonRetryable === true };
  }
  const cause = err.cause as Error | undefined;
  return { message: cause?.message ?? err.message, nonRetryable: false };
}

/** Prints an error the way a user can act on it and returns the exit code. */
export function reportCliError(err: unknown): number {
  // commander has already printed its own message (or the help).
  if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
  if (err instanceof WorkflowFailedError && err.cause instanceof CancelledFailure) {
    process.stderr.write('the run was cancelled (tgpulse cancel, the userbot\'s /cancel or the Web UI); what it stored so far is kept\n');
    return 1;
  }
  if (err instanceof WorkflowFailedError) {
    // A refusal no retry can mend (bad input, a quota, a bad key) is the user's to fix: exit 2, like bad input here.
    const { message, nonRetryable } = runFailure(err);
    process.stderr.write(`error: the run failed: ${message}\n`);
    return nonRetryable ? 2 : 1;
  }
  const { message, exitCode } = describeError(err);
  process.stderr.write(`${message}\n`);
  return exitCode;
}
