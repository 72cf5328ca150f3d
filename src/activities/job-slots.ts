import type { JobSlotClaim, JobSlots } from '../limiter';
import { withFailureMapping } from './failures';

/** Input of the job-slot activities: whose job, and which run (the child job's workflow id). */
export interface JobSlotInput {
  userId: string;
  runId: string;
}

/**
 * The activities that hold the userbot's job limits (per user per hour, per user at once, all users at once) in
 * Redis. The conversation claims a slot before it starts a job and releases it when the job ends, however it ends.
 */
export function createJobSlotActivities(deps: { slots: JobSlots }) {
  return {
    /** Takes a slot for the run, or says why not and when to try again (ISO 8601, UTC). Claiming twice is granted once. */
    async claimJobSlot(input: JobSlotInput): Promise<JobSlotClaim> {
      return withFailureMapping(() => deps.slots.claim(input.userId, input.runId));
    },
    /** Gives the run's slot back. Idempotent: a retry, or a slot that already expired, changes nothing. */
    async releaseJobSlot(input: JobSlotInput): Promise<void> {
      await withFailureMapping(() => deps.slots.release(input.userId, input.runId));
    },
  };
}

/** The job-slot activities, registered on the userbot's account worker. Workflows import this type only. */
export type JobSlotActivities = ReturnType<typeof createJobSlotActivities>;
