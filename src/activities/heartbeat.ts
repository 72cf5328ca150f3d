import { Context } from '@temporalio/activity';

/** How often a long step tells Temporal it is alive; the SDK sends at most one per 80 % of the heartbeat timeout. */
export const HEARTBEAT_EVERY_MS = 2000;

/** The running activity's context, or undefined when called directly (a unit test). */
function currentContext(): Context | undefined {
  try {
    return Context.current();
  } catch (err) {
    // Outside an activity there is no one to tell; anything else is a real failure.
    if (err instanceof Error && /activity context/i.test(err.message)) return undefined;
    throw err;
  }
}

/**
 * Runs a step that can take long (a digest, a delivery, a model call) while heartbeating on a timer, so the
 * workflow's heartbeat timeout (seconds) rather than its start-to-close timeout (minutes) notices a worker that
 * died: a killed worker's step is retried elsewhere within seconds. Outside an activity it just runs `fn`.
 */
export async function withHeartbeats<T>(fn: () => Promise<T>, everyMs = HEARTBEAT_EVERY_MS): Promise<T> {
  const ctx = currentContext();
  if (!ctx) return fn();
  const beat = () => ctx.heartbeat();
  beat();
  const timer = setInterval(beat, everyMs);
  try {
    return await fn();
  } finally {
    clearInterval(timer);
  }
}
