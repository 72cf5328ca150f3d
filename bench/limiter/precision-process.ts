/**
 * One of the processes of the precision benchmark: `callers` concurrent callers take tokens of one account
 * from `startAt` for `durationMs`, through tgpulse's limiter or rate-limiter-flexible. Prints the grant times.
 */
import Redis from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { createLimiter } from '../../src/limiter';

interface Job {
  impl: 'tgpulse' | 'rlf';
  redisUrl: string;
  prefix: string;
  rate: number;
  burst: number;
  callers: number;
  startAt: number;
  durationMs: number;
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as Job;
  const redis = new Redis(job.redisUrl);
  const endAt = job.startAt + job.durationMs;
  // observed: when the caller got its answer; granted: the bucket's own time of the grant (tgpulse only).
  const observed: number[] = [];
  const granted: number[] = [];
  let take: () => Promise<void>;
  if (job.impl === 'tgpulse') {
    const limiter = createLimiter({ redis, prefix: job.prefix, ratePerSecond: job.rate, burst: job.burst });
    const signal = AbortSignal.timeout(Math.max(1, endAt - Date.now()));
    take = async () => {
      const got = await limiter.acquire('bench', 'api', { signal });
      granted.push(got.grantedAt);
    };
  } else {
    // The fixed window rate-limiter-flexible offers over Redis: `rate` points a second; a refused caller waits
    // msBeforeNext and asks again.
    const rlf = new RateLimiterRedis({ storeClient: redis, keyPrefix: `${job.prefix}rlf`, points: job.rate, duration: 1 });
    take = async () => {
      for (;;) {
        try {
          await rlf.consume('bench');
          return;
        } catch (res) {
          if (!(res instanceof RateLimiterRes)) throw res;
          await new Promise((r) => setTimeout(r, Math.max(1, res.msBeforeNext)));
        }
      }
    };
  }
  const lateMs = Math.max(0, Date.now() - job.startAt);
  await new Promise((r) => setTimeout(r, Math.max(0, job.startAt - Date.now())));
  const caller = async () => {
    while (Date.now() < endAt) {
      try {
        await take();
      } catch (err) {
        if (Date.now() >= endAt) return;
        throw err;
      }
      const t = Date.now();
      if (t < endAt) observed.push(t);
    }
  };
  await Promise.all(Array.from({ length: job.callers }, caller));
  redis.disconnect();
  process.stdout.write(`${JSON.stringify({ lateMs, observed, granted: granted.filter((g) => g < endAt) })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
