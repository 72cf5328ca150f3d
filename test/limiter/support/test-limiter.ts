import type Redis from 'ioredis';
import { createLimiter, createLimiterRedis, type Limiter, type LimiterOptions } from '../../../src/limiter';
import { testStack, uniqueName } from '../../support/stack';

/** A client on the test Redis, and a way to close every client a test made. */
export function redisPool(): { client: () => Redis; closeAll: () => Promise<void> } {
  const clients: Redis[] = [];
  return {
    client: () => {
      const redis = createLimiterRedis(testStack().redisUrl);
      clients.push(redis);
      return redis;
    },
    closeAll: async () => {
      await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
    },
  };
}

/** A limiter on the test Redis under a fresh random prefix (pass `prefix` to share one between limiters). */
export function testLimiter(redis: Redis, opts: Partial<LimiterOptions> = {}): Limiter {
  return createLimiter({ redis, prefix: `${uniqueName('test')}:`, ...opts });
}

/** The most grants inside any window of `windowMs` (grants are epoch ms). */
export function maxInWindow(grants: number[], windowMs: number): number {
  const sorted = [...grants].sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < sorted.length; hi++) {
    while (sorted[hi]! - sorted[lo]! >= windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}
