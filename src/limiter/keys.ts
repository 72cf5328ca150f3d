/**
 * Every Redis key the limiter touches, from one place. An account's keys share the hash tag `{account}` so a Lua
 * script that reads several of them stays on one slot (Redis Cluster) and one script call stays atomic.
 */
export interface LimiterKeys {
  /** Hash {tokens, ts}: the account's token bucket. */
  bucket(account: string): string;
  /** String holding the epoch ms until which every call of the account waits (FLOOD_WAIT, SLOWMODE_WAIT). */
  floodPause(account: string): string;
  /** String holding the epoch ms until which calls of one pause group wait (the smart pauses). */
  opPause(account: string, group: PauseGroup): string;
  /** Counter behind a smart pause ("every N members", "every N messages"). */
  pauseCounter(account: string, group: PauseGroup): string;
  /** Daily quota counter for one UTC day (`YYYY-MM-DD`). */
  dailyQuota(account: string, quota: DailyQuota, day: string): string;
  /** What a daily quota's counters start with; the Lua scripts append the UTC day from Redis's clock. */
  dailyQuotaStem(account: string, quota: DailyQuota): string;
  /** Hash of what one guarded call took from the quotas, so it can be given back once (by claim id). */
  quotaClaim(account: string, claim: string): string;
  /** The number of groups the account has joined (the ceiling, not reset daily). */
  groups(account: string): string;
  /** Hash of per-day counters (calls, throttled, flood waits) for `tgpulse limits`. */
  stats(account: string, day: string): string;
  /** What the stats hashes start with; the Lua scripts append the UTC day from Redis's clock. */
  statsStem(account: string): string;
  /** Set of every account the limiter has seen. */
  accounts(): string;
  /** Sorted set of a user's userbot jobs started in the last hour (run id -> start). */
  jobStarts(userId: string): string;
  /** Sorted set of a user's userbot jobs running now (run id -> slot expiry). */
  jobsRunning(userId: string): string;
  /** Sorted set of every userbot job running now ("user/run id" -> slot expiry). */
  jobsRunningAll(): string;
}

/** Calls that share a smart pause: joins and leaves are spaced together. */
export type PauseGroup = 'dm' | 'join' | 'members';

/** The quotas counted per UTC day. */
export type DailyQuota = 'dm' | 'joins';

/** Builds the key set under `prefix` (config `REDIS_KEY_PREFIX`, a random one per test). */
export function limiterKeys(prefix: string): LimiterKeys {
  const base = `${prefix}limiter:`;
  // Accounts are names we choose (session names), but a colon or brace in one must not collide with another's keys.
  const tag = (account: string) => `{${encodeURIComponent(account)}}`;
  return {
    bucket: (account) => `${base}${tag(account)}:bucket`,
    floodPause: (account) => `${base}${tag(account)}:pause`,
    opPause: (account, group) => `${base}${tag(account)}:pause:${group}`,
    pauseCounter: (account, group) => `${base}${tag(account)}:count:${group}`,
    dailyQuota: (account, quota, day) => `${base}${tag(account)}:quota:${quota}:${day}`,
    dailyQuotaStem: (account, quota) => `${base}${tag(account)}:quota:${quota}:`,
    quotaClaim: (account, claim) => `${base}${tag(account)}:claim:${claim}`,
    groups: (account) => `${base}${tag(account)}:groups`,
    stats: (account, day) => `${base}${tag(account)}:stats:${day}`,
    statsStem: (account) => `${base}${tag(account)}:stats:`,
    accounts: () => `${base}accounts`,
    // One hash tag for every job-slot key: a claim checks one user's keys and the global set in one script.
    jobStarts: (userId) => `${base}{jobs}:starts:${encodeURIComponent(userId)}`,
    jobsRunning: (userId) => `${base}{jobs}:running:${encodeURIComponent(userId)}`,
    jobsRunningAll: () => `${base}{jobs}:running`,
  };
}
