import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedis, type RunningService } from '../../src/devstack';

/** A throwaway loopback redis-server for one benchmark run (persistence off, like the tests'). */
export async function benchRedis(): Promise<{ url: string; service: RunningService }> {
  const service = await startRedis({ logDir: mkdtempSync(join(tmpdir(), 'tgpulse-bench-')) });
  return { url: `redis://127.0.0.1:${service.port}`, service };
}

/** The value at quantile q (0..1) of sorted numbers. */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
