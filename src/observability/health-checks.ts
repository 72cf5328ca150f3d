import { mkdir, statfs } from 'node:fs/promises';
import type { Redis } from 'ioredis';
import type { HealthCheck } from './ops-server';

/** Redis answers PING (the limiter, quotas and leases live there). */
export function redisCheck(redis: Redis): HealthCheck {
  return {
    name: 'redis',
    async check() {
      await redis.ping();
    },
  };
}

/** The Temporal worker is polling: anything but RUNNING (draining, failed) is unhealthy. */
export function workerCheck(worker: { getState(): string }): HealthCheck {
  return {
    name: 'temporal',
    async check() {
      const state = worker.getState();
      if (state !== 'RUNNING') throw new Error(`worker is ${state}`);
    },
  };
}

/** The artifact store's disk has room for a few more history pages. */
export function diskCheck(dir: string, minFreeBytes = 256 * 1024 * 1024): HealthCheck {
  return {
    name: 'disk',
    async check() {
      await mkdir(dir, { recursive: true });
      const s = await statfs(dir);
      const free = s.bavail * s.bsize;
      if (free < minFreeBytes) throw new Error(`only ${Math.round(free / 1048576)} MiB free in ${dir}`);
    },
  };
}
