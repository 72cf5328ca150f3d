import { Context } from '@temporalio/activity';
import { withFailureMapping } from '../../../src/activities/failures';
import type { Limiter } from '../../../src/limiter';
import type { FakeTelegram } from './fake-telegram';

/**
 * The limiter's clock in a time-skipping test: wall time, moved forward to the server's clock whenever an
 * activity attempt starts. The server skips an hour of timer in a blink; the limiter's Redis pause must see that
 * hour pass too, as it would in production.
 */
export class SkippedClock {
  private offset = 0;
  readonly now = (): number => Date.now() + this.offset;
  follow(serverMs: number): void {
    this.offset = Math.max(this.offset, serverMs - Date.now());
  }
}

/** A test activity: one guarded Telegram call through the real limiter, its errors mapped as real activities do. */
export function createFloodTestActivities(limiter: Limiter, telegram: FakeTelegram, clock: SkippedClock, floodTimerThresholdSeconds: number) {
  return {
    async fetchPage(account: string): Promise<string> {
      const ctx = Context.current();
      clock.follow(ctx.info.currentAttemptScheduledTimestampMs);
      return withFailureMapping(
        () => limiter.safeCall(account, 'api', 'messages.GetHistory', () => telegram.call('messages.GetHistory', 'page-1'), { signal: ctx.cancellationSignal }),
        { floodTimerThresholdSeconds, now: clock.now },
      );
    },
  };
}

export type FloodTestActivities = ReturnType<typeof createFloodTestActivities>;
