import { Context } from '@temporalio/activity';
import { withFailureMapping } from '../../../src/activities/failures';
import type { Limiter } from '../../../src/limiter';
import type { FakeTelegram } from './fake-telegram';
import type { SkippedClock } from '../../support/temporal-test-env';

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
