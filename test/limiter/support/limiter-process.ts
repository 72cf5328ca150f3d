/**
 * A separate OS process using the limiter, for multi-process tests and the precision benchmark. Arguments: one
 * JSON object (see `Job`). Prints one JSON line with what it saw.
 */
import { QuotaExceededError } from '../../../src/domain';
import { createLimiter, createLimiterRedis, redisTimeMs } from '../../../src/limiter';
import { FakeTelegram } from './fake-telegram';

interface Job {
  /** grants: take tokens; flood: meet a flood wait; probe: report what a call meets now; dm: send DMs. */
  mode: 'grants' | 'flood' | 'probe' | 'dm';
  /** This process's clock runs this many ms ahead (behind when negative) of the host's: a skewed host. */
  clockSkewMs?: number;
  /** dm: how many DMs to try, and the daily limit. */
  dms?: number;
  maxDmPerDay?: number;
  redisUrl: string;
  prefix: string;
  account: string;
  ratePerSecond: number;
  burst: number;
  /** grants: concurrent callers in this process, for `durationMs` from the start moment read on stdin. */
  callers?: number;
  durationMs?: number;
  /** flood: the seconds of the flood wait the fake Telegram answers with. */
  floodSeconds?: number;
}

async function readStartAt(): Promise<number> {
  let input = '';
  for await (const chunk of process.stdin) input += String(chunk);
  const startAt = Number(input.trim());
  if (!Number.isFinite(startAt)) throw new Error(`expected a start time on stdin, got ${JSON.stringify(input)}`);
  return startAt;
}

/** Moves this process's wall clock (`Date.now()`, `new Date()`) by `skewMs`, as a host whose clock is off. */
function skewClock(skewMs: number): void {
  const RealDate = Date;
  class SkewedDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(RealDate.now() + skewMs);
      else super(...(args as [string | number]));
    }
    static override now(): number {
      return RealDate.now() + skewMs;
    }
  }
  globalThis.Date = SkewedDate as DateConstructor;
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as Job;
  if (job.clockSkewMs) skewClock(job.clockSkewMs);
  const redis = createLimiterRedis(job.redisUrl);
  try {
    const limiter = createLimiter({ redis, prefix: job.prefix, ratePerSecond: job.ratePerSecond, burst: job.burst, maxDmPerDay: job.maxDmPerDay, pauseDmSeconds: 0 });
    if (job.mode === 'probe') {
      // How long this process is told to wait, next to Redis's clock read just before: a skewed host must get the
      // same remaining wait as any other.
      const redisBefore = redisTimeMs(await redis.time());
      const waits: number[] = [];
      const stop = new AbortController();
      const err = await limiter
        .acquire(job.account, 'api', { signal: stop.signal, onWait: (w) => (waits.push(w.waitMs), stop.abort(new Error('probed'))) })
        .then(() => undefined, (e: unknown) => e);
      const stats = await limiter.getStats(job.account);
      const ownSkewMs = Date.now() - (performance.timeOrigin + performance.now());
      process.stdout.write(`${JSON.stringify({ waitMs: waits[0], redisBefore, error: String(err), pausedUntil: stats.pausedUntil, day: stats.day, ownSkewMs })}\n`);
      return;
    }
    if (job.mode === 'dm') {
      const telegram = new FakeTelegram(job.account);
      let refused = 0;
      for (let i = 0; i < (job.dms ?? 1); i++) {
        await limiter.safeCall(job.account, 'dm', 'messages.SendMessage', () => telegram.call('messages.SendMessage', i)).catch((e: unknown) => {
          if (!(e instanceof QuotaExceededError)) throw e;
          refused++;
        });
      }
      process.stdout.write(`${JSON.stringify({ sent: telegram.calls.length, refused })}\n`);
      return;
    }
    if (job.mode === 'flood') {
      const telegram = new FakeTelegram(job.account).floodNext(job.floodSeconds ?? 1);
      const err = await limiter.safeCall(job.account, 'api', 'messages.GetHistory', () => telegram.call('messages.GetHistory', 1)).catch((e: unknown) => e);
      const stats = await limiter.getStats(job.account);
      process.stdout.write(`${JSON.stringify({ error: (err as Error).name, pausedUntil: stats.pausedUntil })}\n`);
      return;
    }
    // Starting a process takes seconds on a loaded machine: say when ready, then start when the parent says.
    process.stdout.write('ready\n');
    const startAt = await readStartAt();
    const endAt = startAt + (job.durationMs ?? 1000);
    await new Promise((r) => setTimeout(r, Math.max(0, startAt - Date.now())));
    const grants: number[] = [];
    const caller = async () => {
      const signal = AbortSignal.timeout(Math.max(1, endAt - Date.now()));
      while (Date.now() < endAt) {
        const got = await limiter.acquire(job.account, 'api', { signal }).catch((err: unknown) => {
          if (signal.aborted) return undefined;
          throw err;
        });
        if (got && got.grantedAt < endAt) grants.push(got.grantedAt);
      }
    };
    await Promise.all(Array.from({ length: job.callers ?? 1 }, caller));
    process.stdout.write(`${JSON.stringify({ grants })}\n`);
  } finally {
    await redis.quit();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
