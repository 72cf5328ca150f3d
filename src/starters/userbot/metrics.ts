import { Counter, Gauge } from 'prom-client';
import { metricsRegistry, type HealthCheck } from '../../observability';
import type { CatchUpResult } from './watched-listener';

/** Messages the listener handed on to their conversation, by who sent them: the owner or an allowlisted user. */
export const userbotHandedOn = new Counter({
  name: 'userbot_messages_handed_on_total',
  help: 'Messages handed on to their conversation workflow, by sender (owner, allowed)',
  labelNames: ['who'] as const,
  registers: [metricsRegistry],
});

/** Messages that could not be handed on (Temporal down or refusing): the next catch-up tries them again. */
export const userbotNotHandedOn = new Counter({
  name: 'userbot_messages_not_handed_on_total',
  help: 'Messages the userbot could not hand on to their conversation (Temporal unreachable or refusing)',
  registers: [metricsRegistry],
});

/** The watchdog's catch-ups (`updates.getDifference`), by outcome (ok, failed). */
export const userbotCatchUps = new Counter({
  name: 'userbot_catch_ups_total',
  help: 'Catch-ups with Telegram (updates.getDifference), by outcome',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});

/** Messages a catch-up handed on that the listener had not: sent while it was down or its updates had stopped. */
export const userbotRecoveredMessages = new Counter({
  name: 'userbot_catch_up_recovered_messages_total',
  help: 'Messages found by a catch-up that the listener had missed (sent while it was down or deaf)',
  registers: [metricsRegistry],
});

/** The age of the last successful catch-up of this process's userbot (set by {@link watchCatchUps}), in seconds. */
let catchUpAge: () => number | undefined = () => undefined;

/** Seconds since the last successful catch-up: a rising line means Telegram is not reachable or not answering. */
export const userbotCatchUpAge = new Gauge({
  name: 'userbot_seconds_since_last_catch_up',
  help: 'Seconds since the last successful catch-up with Telegram',
  registers: [metricsRegistry],
  collect() {
    const age = catchUpAge();
    if (age !== undefined) this.set(age);
  },
});

/** How many watchdog periods may pass without a successful catch-up before `/healthz` fails. */
export const CATCH_UP_PERIODS = 3;

/** Follows the userbot's catch-ups: the `onCatchUp` option that counts them, and the `/healthz` check on their age. */
export interface CatchUpWatch {
  /** Pass as the userbot's `onCatchUp`. */
  onCatchUp(result: CatchUpResult): void;
  /** `updates`: fails when no catch-up has worked for {@link CATCH_UP_PERIODS} watchdog periods. */
  check: HealthCheck;
}

/** "45 s" or "3 min": how long, at the precision a reader of /healthz needs. */
function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 120 ? `${s} s` : `${Math.round(s / 60)} min`;
}

/**
 * Counts the catch-ups of the one userbot of this process and judges its listener by them: gramjs updates can stop
 * while the connection looks healthy, so the listener is alive when a catch-up (which asks Telegram itself) has
 * worked in the last few watchdog periods. `now` is for tests. Until the first catch-up, the age counts from here.
 */
export function watchCatchUps(opts: { watchdogMs: number; now?: () => number }): CatchUpWatch {
  const now = opts.now ?? Date.now;
  const since = now();
  let last: number | undefined;
  catchUpAge = () => (last === undefined ? undefined : (now() - last) / 1000);
  return {
    onCatchUp(result) {
      userbotCatchUps.inc({ outcome: result.ok ? 'ok' : 'failed' });
      if (!result.ok) return;
      userbotRecoveredMessages.inc(result.missed);
      last = now();
    },
    check: {
      name: 'updates',
      async check() {
        const age = now() - (last ?? since);
        if (age > CATCH_UP_PERIODS * opts.watchdogMs) throw new Error(`no successful catch-up for ${duration(age)} (Telegram unreachable?)`);
      },
    },
  };
}
