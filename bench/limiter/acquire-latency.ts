/**
 * `acquire` latency when a token is free, ours against rate-limiter-flexible on the same loopback Redis.
 * Run: npx tsx bench/limiter/acquire-latency.ts [--n 20000]
 */
import Redis from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { createLimiter } from '../../src/limiter';
import { benchRedis, quantile } from './bench-redis';

const n = Number(process.argv[process.argv.indexOf('--n') + 1] ?? 0) || 20_000;

type Case = { name: string; once: () => Promise<unknown>; samples: number[] };

function row(c: Case): string {
  const sorted = [...c.samples].sort((a, b) => a - b);
  const f = (ms: number) => `${(ms * 1000).toFixed(0)} µs`;
  return `| ${c.name} | ${sorted.length} | ${f(quantile(sorted, 0.5))} | ${f(quantile(sorted, 0.99))} | ${f(quantile(sorted, 0.999))} | ${f(sorted[sorted.length - 1]!)} |`;
}

/** Rounds alternate between the cases, so load from elsewhere on the machine falls on both alike. */
async function measure(cases: Case[]): Promise<void> {
  for (const c of cases) for (let i = 0; i < 1000; i++) await c.once();
  const rounds = 10;
  for (let r = 0; r < rounds; r++) {
    for (const c of cases) {
      for (let i = 0; i < n / rounds; i++) {
        const t = performance.now();
        await c.once();
        c.samples.push(performance.now() - t);
      }
    }
  }
}

async function main(): Promise<void> {
  const { url, service } = await benchRedis();
  const redis = new Redis(url);
  try {
    // Rates so high the bucket is never empty: this measures the round trip and the script, not waiting.
    const limiter = createLimiter({ redis, prefix: 'bench:', ratePerSecond: 1e9, burst: 1e9 });
    const rlf = new RateLimiterRedis({ storeClient: redis, keyPrefix: 'bench-rlf', points: 1e9, duration: 1 });
    const cases: Case[] = [
      { name: 'tgpulse acquire (Lua token bucket)', once: () => limiter.acquire('bench', 'api'), samples: [] },
      { name: 'rate-limiter-flexible RateLimiterRedis.consume', once: () => rlf.consume('bench'), samples: [] },
      { name: 'bare PING round trip (floor)', once: () => redis.ping(), samples: [] },
    ];
    await measure(cases);
    process.stdout.write(`| limiter | calls | p50 | p99 | p99.9 | max |\n|---|---|---|---|---|---|\n${cases.map(row).join('\n')}\n`);
  } finally {
    redis.disconnect();
    await service.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
