import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Redis from 'ioredis';

/** One reply of `acquire.lua`: granted flag, wait in ms, why, and the moment it refers to (epoch ms). */
export type AcquireReply = [granted: 0 | 1, waitMs: number, reason: 'granted' | 'flood' | 'pause' | 'rate', at: number];

/** The limiter's Lua scripts as ioredis commands (see each file's header for KEYS, ARGV and the reply). */
export interface LimiterCommands {
  tgpulseAcquire(bucket: string, floodPause: string, groupPause: string, stats: string, ...argv: (string | number)[]): Promise<AcquireReply>;
  tgpulseConsumeQuotas(numKeys: number, ...keysAndArgv: (string | number)[]): Promise<number[]>;
  tgpulseReleaseQuotas(numKeys: number, ...keysAndArgv: (string | number)[]): Promise<number[]>;
  tgpulseAdvancePause(counter: string, pause: string, ...argv: (string | number)[]): Promise<[count: number, pausedUntil: number]>;
  tgpulsePauseAccount(pause: string, stats: string, ...argv: (string | number)[]): Promise<number>;
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
  { name: 'tgpulseAdvancePause', file: 'advance-pause.lua', numberOfKeys: 2 },
  { name: 'tgpulsePauseAccount', file: 'pause-account.lua', numberOfKeys: 2 },
  { name: 'tgpulseClaimJobSlot', file: 'claim-job-slot.lua', numberOfKeys: 3 },
  { name: 'tgpulseReleaseJobSlot', file: 'release-job-slot.lua', numberOfKeys: 2 },
];

let sources: Map<string, string> | undefined;
const registered = new WeakSet<Redis>();

/**
 * Registers the limiter's scripts on a client (once per client) and returns it typed with them. ioredis sends
 * EVALSHA and falls back to EVAL by itself, so a restarted Redis that lost its script cache needs nothing from us.
 */
export function withLimiterCommands(redis: Redis): Redis & LimiterCommands {
  if (!registered.has(redis)) {
    sources ??= new Map(SCRIPTS.map((s) => [s.file, readFileSync(join(__dirname, 'lua', s.file), 'utf8')]));
    for (const script of SCRIPTS) {
      redis.defineCommand(script.name, { lua: sources.get(script.file) ?? '', numberOfKeys: script.numberOfKeys });
    }
    registered.add(redis);
  }
  return redis as Redis & LimiterCommands;
}
