import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Redis from 'ioredis';

/** One reply of `acquire.lua`: granted flag, wait in ms, why, and the moment it refers to (epoch ms). */
export type AcquireReply = [granted: 0 | 1, waitMs: number, reason: 'granted' | 'flood' | 'pause' | 'rate', at: number];

/** The limiter's Lua scripts as ioredis commands (see each file's header for KEYS, ARGV and the reply). */
export interface LimiterCommands {
  tgpulseAcquire(bucket: string, floodPause: string, groupPause: string, statsStem: string, ...argv: (string | number)[]): Promise<AcquireReply>;
  tgpulseConsumeQuotas(numKeys: number, ...keysAndArgv: (string | number)[]): Promise<number[]>;
  tgpulseReleaseQuotas(numKeys: number, ...keysAndArgv: (string | number)[]): Promise<number[]>;
  tgpulseReleaseClaim(claim: string): Promise<(string | number)[]>;
  tgpulseAdvancePause(counter: string, pause: string, ...argv: (string | number)[]): Promise<[count: number, pausedUntil: number]>;
  tgpulsePauseAccount(pause: string, statsStem: string, ...argv: (string | number)[]): Promise<number>;
  tgpulseClaimJobSlot(starts: string, running: string, runningAll: string, ...argv: (string | number)[]): Promise<[1, number] | [0, number, JobSlotRefusal, number]>;
  tgpulseReleaseJobSlot(running: string, runningAll: string, ...argv: (string | number)[]): Promise<number>;
}

/** Why `claim-job-slot.lua` refused a slot. */
export type JobSlotRefusal = 'hourly' | 'running' | 'global';

const SCRIPTS: { name: keyof LimiterCommands; file: string; numberOfKeys?: number }[] = [
  { name: 'tgpulseAcquire', file: 'acquire.lua', numberOfKeys: 4 },
  // Variable key counts: the caller passes numKeys first.
  { name: 'tgpulseConsumeQuotas', file: 'consume-quotas.lua' },
  { name: 'tgpulseReleaseQuotas', file: 'release-quotas.lua' },
  { name: 'tgpulseReleaseClaim', file: 'release-claim.lua', numberOfKeys: 1 },
  { name: 'tgpulseAdvancePause', file: 'advance-pause.lua', numberOfKeys: 2 },
  { name: 'tgpulsePauseAccount', file: 'pause-account.lua', numberOfKeys: 2 },
  { name: 'tgpulseClaimJobSlot', file: 'claim-job-slot.lua', numberOfKeys: 3 },
  { name: 'tgpulseReleaseJobSlot', file: 'release-job-slot.lua', numberOfKeys: 2 },
];

let sources: Map<string, string> | undefined;
let clock: string | undefined;

/**
 * The Lua every limiter script starts with: `now_ms()` (Redis's TIME plus ARGV[1], the test-only shift),
 * `utc_day(ms)` and `next_utc_midnight(ms)`. Exported so its day arithmetic can be tested on Redis itself.
 */
export function clockLua(): string {
  clock ??= readFileSync(join(__dirname, 'lua', 'includes', 'clock.lua'), 'utf8');
  return clock;
}
const registered = new WeakSet<Redis>();

/**
 * Registers the limiter's scripts on a client (once per client) and returns it typed with them. ioredis sends
 * EVALSHA and falls back to EVAL by itself, so a restarted Redis that lost its script cache needs nothing from us.
 */
export function withLimiterCommands(redis: Redis): Redis & LimiterCommands {
  if (!registered.has(redis)) {
    sources ??= new Map(SCRIPTS.map((s) => [s.file, `${clockLua()}\n${readFileSync(join(__dirname, 'lua', s.file), 'utf8')}`]));
    for (const script of SCRIPTS) {
      redis.defineCommand(script.name, { lua: sources.get(script.file) ?? '', numberOfKeys: script.numberOfKeys });
    }
    registered.add(redis);
  }
  return redis as Redis & LimiterCommands;
}
