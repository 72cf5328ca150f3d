import type Redis from 'ioredis';
import type { Config } from '../config';

/** The figures the limiter enforces. Every one has a setting in `src/config/config.ts`. */
export interface LimiterSettings {
  /** Tokens per second per account (RATE_RPS). */
  ratePerSecond: number;
  /** Bucket size: calls allowed back to back after a quiet spell (RATE_BURST). */
  burst: number;
  /** Direct messages per account per UTC day (MAX_DM_PER_DAY). */
  maxDmPerDay: number;
  /** Joins per account per UTC day (MAX_JOINS_PER_DAY). */
  maxJoinsPerDay: number;
  /** Ceiling on the groups an account is in (MAX_GROUPS); a leave frees one. */
  maxGroups: number;
  /** Pause `members` calls each time this many more members were fetched (PAUSE_MEMBERS_EVERY). */
  pauseMembersEvery: number;
  pauseMembersSeconds: number;
  /** Pause `dm` calls after each this many messages (PAUSE_DM_EVERY). */
  pauseDmEvery: number;
  pauseDmSeconds: number;
  /** Space between joins and leaves of one account, before and after each (PAUSE_JOIN_SECONDS). */
  pauseJoinSeconds: number;
  /**
   * Flood waits up to this long are waited inside the activity (or retried with `nextRetryDelay`); longer ones
   * fail the call so the workflow sleeps them as a durable timer (FLOOD_WAIT_TIMER_THRESHOLD_SECONDS).
   */
  floodTimerThresholdSeconds: number;
}

/** Something that can log a warning (pino's logger fits). */
export interface LimiterLogger {
  warn(obj: object, msg: string): void;
}

/** What {@link createLimiter} needs: a Redis client, a key prefix, and the settings (defaults: the config's). */
export interface LimiterOptions extends Partial<LimiterSettings> {
  redis: Redis;
  /** Key prefix (config REDIS_KEY_PREFIX); tests use a random one. */
  prefix: string;
  /**
   * Test-only: ms added to Redis's clock in every limiter script, for tests on Temporal's time-skipping server
   * (Redis cannot see the hours it skips). Leave it out anywhere else: the limiter's one clock is Redis's, and no
   * process's own clock moves a pause or a quota day.
   */
  testTimeShiftMs?: () => number;
  /** Longest wait for one Redis reply before the limiter fails closed (ms). */
  redisTimeoutMs?: number;
  /** Longest sleep between two looks at the bucket while waiting (ms): a lifted pause is noticed this fast. */
  maxPollMs?: number;
  /** Where failures after a call (its bookkeeping) are reported; they are never thrown (the call happened). */
  logger?: LimiterLogger;
}

/** The defaults, equal to the config's defaults. */
export const DEFAULT_LIMITER_SETTINGS: LimiterSettings = {
  ratePerSecond: 4,
  burst: 4,
  maxDmPerDay: 20,
  maxJoinsPerDay: 20,
  maxGroups: 200,
  pauseMembersEvery: 5000,
  pauseMembersSeconds: 1,
  pauseDmEvery: 20,
  pauseDmSeconds: 60,
  pauseJoinSeconds: 3,
  floodTimerThresholdSeconds: 60,
};

/** The limiter settings and key prefix from the loaded config; add `redis`. */
export function limiterOptionsFromConfig(config: Config): LimiterSettings & { prefix: string } {
  return {
    prefix: config.REDIS_KEY_PREFIX,
    ratePerSecond: config.RATE_RPS,
    burst: config.RATE_BURST,
    maxDmPerDay: config.MAX_DM_PER_DAY,
    maxJoinsPerDay: config.MAX_JOINS_PER_DAY,
    maxGroups: config.MAX_GROUPS,
    pauseMembersEvery: config.PAUSE_MEMBERS_EVERY,
    pauseMembersSeconds: config.PAUSE_MEMBERS_SECONDS,
    pauseDmEvery: config.PAUSE_DM_EVERY,
    pauseDmSeconds: config.PAUSE_DM_SECONDS,
    pauseJoinSeconds: config.PAUSE_JOIN_SECONDS,
    floodTimerThresholdSeconds: config.FLOOD_WAIT_TIMER_THRESHOLD_SECONDS,
  };
}
