import { ApplicationFailure, CancelledFailure, TemporalFailure } from '@temporalio/common';
import { BadInputError, FloodWaitError, QuotaExceededError, RemoteRefusedError, TransportError } from '../domain';
import { TakeoutDelayError } from '../telegram';

/** Temporal failure types our activities raise; `RetryPolicy.nonRetryableErrorTypes` and workflows refer to them. */
export const FailureType = {
  FloodWait: 'FloodWait',
  TakeoutDelay: 'TakeoutDelay',
  QuotaExceeded: 'QuotaExceeded',
  BadInput: 'BadInput',
  RemoteRefused: 'RemoteRefused',
  Transport: 'Transport',
} as const;

/** `details[0]` of a `FloodWait` failure: what the workflow needs to sleep it out. */
export interface FloodWaitDetails {
  seconds: number;
  account: string;
  /** When the account may call again, ISO 8601 UTC. */
  resumeAt: string;
  method: string;
  code: string;
}

/**
 * `details[0]` of a `TakeoutDelay` failure: Telegram holds the account's data export back until the user confirms
 * it or the delay passes. The workflow sleeps until `resumeAt` the way it sleeps a long flood wait.
 */
export interface TakeoutDelayDetails {
  seconds: number;
  account: string;
  /** When the export may start, ISO 8601 UTC. */
  resumeAt: string;
  method: string;
}

/** Options of {@link toApplicationFailure}. */
export interface FailureMappingOptions {
  /**
   * Flood waits up to this many seconds are retried by Temporal after `nextRetryDelay`; longer ones fail the
   * activity without retry, and `withFloodWaits` in the workflow sleeps them as a durable timer. Pass config
   * FLOOD_WAIT_TIMER_THRESHOLD_SECONDS; the default equals its default.
   */
  floodTimerThresholdSeconds?: number;
  /** The clock for `resumeAt` (epoch ms). */
  now?: () => number;
}

const DEFAULT_FLOOD_TIMER_THRESHOLD_SECONDS = 60;

/**
 * Turns a domain error into the Temporal failure that makes Temporal do the right thing with it:
 *
 * - `FloodWaitError` → type `FloodWait`, details `[{ seconds, account, resumeAt, method, code }]`; retryable after
 *   `nextRetryDelay` up to the threshold, non-retryable above it (the workflow sleeps, then calls again).
 * - `TakeoutDelayError` → type `TakeoutDelay`, details `[{ seconds, account, resumeAt, method }]`, non-retryable
 *   whatever its length: the workflow sleeps until `resumeAt`, then runs the activity again.
 * - `QuotaExceededError`, `BadInputError` → non-retryable: retrying cannot help.
 * - `RemoteRefusedError` → retryable after `retryAfterSeconds` when Telegram named one, else non-retryable: a
 *   refusal repeated at an account is exactly what gets it limited.
 * - `TransportError` → retryable (Redis or the network is back soon).
 *
 * Anything else (already a Temporal failure, or an unknown error) is returned as it is.
 */
export function toApplicationFailure(err: unknown, opts: FailureMappingOptions = {}): unknown {
  if (err instanceof TemporalFailure || err instanceof CancelledFailure) return err;
  const threshold = opts.floodTimerThresholdSeconds ?? DEFAULT_FLOOD_TIMER_THRESHOLD_SECONDS;
  if (err instanceof FloodWaitError) {
    const now = (opts.now ?? Date.now)();
    const resumeAt = 'resumeAt' in err && typeof err.resumeAt === 'string' ? err.resumeAt : new Date(now + err.seconds * 1000).toISOString();
    const details: FloodWaitDetails = { seconds: err.seconds, account: err.account, resumeAt, method: err.method, code: err.code };
    const long = err.seconds > threshold;
    return ApplicationFailure.create({
      type: FailureType.FloodWait,
      message: err.message,
      nonRetryable: long,
      details: [details],
      ...(long ? {} : { nextRetryDelay: err.seconds * 1000 }),
      cause: err,
    });
  }
  if (err instanceof TakeoutDelayError) {
    const details: TakeoutDelayDetails = { seconds: err.seconds, account: err.account, resumeAt: err.resumeAt, method: err.method };
    return ApplicationFailure.create({ type: FailureType.TakeoutDelay, message: err.message, nonRetryable: true, details: [details], cause: err });
  }
  if (err instanceof QuotaExceededError) {
    return ApplicationFailure.create({
      type: FailureType.QuotaExceeded,
      message: err.message,
      nonRetryable: true,
      details: [{ quota: err.quota, used: err.used, limit: err.limit, resetsAt: err.resetsAt }],
      cause: err,
    });
  }
  if (err instanceof BadInputError) {
    return ApplicationFailure.create({ type: FailureType.BadInput, message: err.message, nonRetryable: true, details: [{ hint: err.hint }], cause: err });
  }
  if (err instanceof RemoteRefusedError) {
    const retryAfter = err.retryAfterSeconds;
    return ApplicationFailure.create({
      type: FailureType.RemoteRefused,
      message: err.message,
      nonRetryable: retryAfter === undefined,
      details: [{ code: err.code, method: err.method, retryAfterSeconds: retryAfter }],
      ...(retryAfter === undefined ? {} : { nextRetryDelay: retryAfter * 1000 }),
      cause: err,
    });
  }
  if (err instanceof TransportError) {
    return ApplicationFailure.create({ type: FailureType.Transport, message: err.message, nonRetryable: false, cause: err });
  }
  return err;
}

/**
 * Runs an activity's body and throws what it throws as a Temporal failure ({@link toApplicationFailure}).
 *
 * @example
 * async function sendMessage(input: SendInput): Promise<void> {
 *   return withFailureMapping(() => telegram.send(input), { floodTimerThresholdSeconds: config.FLOOD_WAIT_TIMER_THRESHOLD_SECONDS });
 * }
 */
export async function withFailureMapping<T>(body: () => Promise<T>, opts: FailureMappingOptions = {}): Promise<T> {
  try {
    return await body();
  } catch (err) {
    throw toApplicationFailure(err, opts);
  }
}

/** Wraps an activity function so every call goes through {@link withFailureMapping}. */
export function guardActivity<A extends unknown[], T>(fn: (...args: A) => Promise<T>, opts: FailureMappingOptions = {}): (...args: A) => Promise<T> {
  return (...args: A) => withFailureMapping(() => fn(...args), opts);
}
