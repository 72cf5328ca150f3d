import type Redis from 'ioredis';
import { ReplyError } from 'ioredis';
import { BadInputError, TransportError } from '../domain';
import { limiterKeys, type LimiterKeys } from './keys';
import { redisWhere } from './redis-client';
import { withLimiterCommands, type JobSlotRefusal, type LimiterCommands } from './scripts';

/** How many userbot jobs may run (config USERBOT_JOBS_PER_HOUR, USERBOT_JOBS_AT_ONCE, USERBOT_GLOBAL_JOBS_AT_ONCE). */
export interface JobSlotLimits {
  /** Jobs one user may start in any hour (a sliding window). */
  perHour: number;
  /** Jobs one user may have running at once. */
  atOnce: number;
  /** Jobs running at once across every user of every account that shares this Redis. */
  globalAtOnce: number;
}

/** What {@link JobSlots.claim} answers: a slot, or why not and when to ask again (ISO 8601, UTC). */
export type JobSlotClaim = { ok: true } | { ok: false; retryAt: string; reason: JobSlotRefusal };

/** Options of {@link createJobSlots}. */
export interface JobSlotOptions {
  redis: Redis;
  /** Key prefix (config REDIS_KEY_PREFIX). */
  prefix: string;
  limits: JobSlotLimits;
  /**
   * How long a slot is held if its job never gives it back (its conversation was terminated), ms. A job that runs
   * longer than this stops counting against the limits. Default 6 hours: past the longest flood wait a job sleeps.
   */
  slotTtlMs?: number;
  /** Epoch ms for tests; by default Redis's own clock (TIME), so every host counts the hour alike. */
  clock?: () => number;
  /** A Redis request that takes longer fails with a TransportError, ms (default 3000). */
  redisTimeoutMs?: number;
}

const DEFAULT_SLOT_TTL_MS = 6 * 3_600_000;

/**
 * Job slots of the userbot, in Redis: each user may start `perHour` jobs an hour and run `atOnce` at a time, and
 * all users together `globalAtOnce`. A claim is one Lua script (all limits checked and taken at once, across
 * processes); claiming again for a run that holds its slot is granted, and releasing twice is harmless.
 *
 * @example
 * const slots = createJobSlots({ redis, prefix: 'tgpulse:', limits: { perHour: 10, atOnce: 1, globalAtOnce: 4 } });
 * const claim = await slots.claim('12345', 'conversation-pulse-12345-run-77');
 * if (!claim.ok) reply(`You can start another job at ${claim.retryAt.slice(11, 16)} UTC`);
 * // … the job runs …
 * await slots.release('12345', 'conversation-pulse-12345-run-77');
 */
export interface JobSlots {
  claim(userId: string, runId: string): Promise<JobSlotClaim>;
  /** Gives the run's slot back; true when it held one (false: released before, or expired). */
  release(userId: string, runId: string): Promise<boolean>;
}

/** Builds {@link JobSlots} over a Redis client. Throws a BadInputError on a limit below 1. */
export function createJobSlots(opts: JobSlotOptions): JobSlots {
  for (const [name, value] of Object.entries(opts.limits)) {
    if (!Number.isInteger(value) || value < 1) throw new BadInputError(`job slot limit ${name} is ${value}`, 'Use a whole number of 1 or more');
  }
  const redis: Redis & LimiterCommands = withLimiterCommands(opts.redis);
  const keys: LimiterKeys = limiterKeys(opts.prefix);
  const ttl = opts.slotTtlMs ?? DEFAULT_SLOT_TTL_MS;
  const timeoutMs = opts.redisTimeoutMs ?? 3000;
  const member = (userId: string, runId: string) => `${userId}/${runId}`;
  // Empty: the script reads Redis's clock.
  const now = () => (opts.clock ? String(Math.round(opts.clock())) : '');

  async function redisOp<T>(run: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no reply within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([run(), deadline]);
    } catch (err) {
      if (err instanceof ReplyError) throw err;
      throw new TransportError(`Redis at ${redisWhere(redis)} is unreachable: no job slot was claimed or released`, { cause: err });
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    async claim(userId, runId) {
      const reply = await redisOp(() =>
        redis.tgpulseClaimJobSlot(keys.jobStarts(userId), keys.jobsRunning(userId), keys.jobsRunningAll(), now(), runId, member(userId, runId), opts.limits.perHour, opts.limits.atOnce, opts.limits.globalAtOnce, ttl),
      );
      if (reply[0] === 1) return { ok: true };
      return { ok: false, reason: reply[2], retryAt: new Date(Number(reply[3])).toISOString() };
    },
    async release(userId, runId) {
      return (await redisOp(() => redis.tgpulseReleaseJobSlot(keys.jobsRunning(userId), keys.jobsRunningAll(), now(), runId, member(userId, runId)))) === 1;
    },
  };
}
