/** A refused job slot, as the workflow sees the `claimJobSlot` activity's answer. */
export interface JobSlotRefused {
  reason: 'hourly' | 'running' | 'global';
  /** ISO 8601, UTC. */
  retryAt: string;
}

/**
 * The one line a user gets when a job is refused by the job limits: why, and when to try again (in UTC; the date
 * too when it is not today). For jobs already running the time is an upper bound: the slot frees when a job ends.
 */
export function jobSlotReply(refused: JobSlotRefused, now: Date): string {
  const day = refused.retryAt.slice(0, 10);
  const at = `${day === now.toISOString().slice(0, 10) ? '' : `${day} `}${refused.retryAt.slice(11, 16)} UTC`;
  switch (refused.reason) {
    case 'hourly':
      return `You have started as many jobs this hour as you may. You can start another job at ${at}.`;
    case 'running':
      return `Your other jobs are still running: you can start another job when one finishes (at ${at} at the latest), or stop one with /cancel.`;
    case 'global':
      return `The userbot is busy with other people's jobs. You can start another job when one of them finishes (at ${at} at the latest).`;
  }
}
