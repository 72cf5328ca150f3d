/**
 * A separate OS process using the limiter, for multi-process tests and the precision benchmark. Arguments: one
 * JSON object (see `Job`). Prints one JSON line with what it saw.
 */
import { createLimiter, createLimiterRedis } from '../../../src/limiter';
import { FakeTelegram } from './fake-telegram';

interface Job {
  mode: 'grants' | 'flood';
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

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as Job;
  const redis = createLimiterRedis(job.redisUrl);
  try {
    const limiter = createLimiter({ redis, prefix: job.prefix, ratePerSecond: job.ratePerSecond, burst: job.burst });
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
