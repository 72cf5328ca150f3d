/** One reading of a job's progress: when, and how many messages it had read by then. */
export interface ProgressSample {
  /** Epoch ms. */
  atMs: number;
  read: number;
}

/**
 * Below these the rate is noise (a first page that arrived in a burst, a job that just started): no estimate.
 */
const MIN_ELAPSED_MS = 5_000;
const MIN_READ_SINCE_FIRST = 1;

/**
 * How long a read has left, from the rate between the first and the latest sample and the number of messages the
 * chat is expected to hold (from an earlier read of the same chat: chats only grow). Undefined whenever that
 * cannot be estimated honestly: no expected count, too little time or progress to measure a rate, or more read
 * already than expected (the chat grew: the count is no longer a bound).
 *
 * @example
 * etaText(estimateRemainingMs({ atMs: 0, read: 0 }, { atMs: 60_000, read: 1000 }, 5000)!) // 'about 4 min left'
 */
export function estimateRemainingMs(first: ProgressSample, latest: ProgressSample, expected: number | undefined): number | undefined {
  if (expected === undefined || !Number.isFinite(expected) || expected <= 0) return undefined;
  const elapsed = latest.atMs - first.atMs;
  const gained = latest.read - first.read;
  if (elapsed < MIN_ELAPSED_MS || gained < MIN_READ_SINCE_FIRST) return undefined;
  if (latest.read >= expected) return undefined;
  return ((expected - latest.read) * elapsed) / gained;
}

/** The estimate as the status message says it: whole minutes, rounded up; under a minute says so. */
export function etaText(remainingMs: number): string {
  if (remainingMs < 60_000) return 'less than a minute left';
  return `about ${Math.ceil(remainingMs / 60_000)} min left`;
}
