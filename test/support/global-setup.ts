import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedis, startTemporal } from '../../src/devstack';
import { STACK_FILE } from './stack';

/**
 * Starts one real redis-server and one real Temporal dev server for the whole run. Suites read their addresses
 * from the environment (TGPULSE_TEST_REDIS_URL, TGPULSE_TEST_TEMPORAL_ADDRESS) and isolate themselves with random
 * key prefixes and task queues.
 */
export default async function globalSetup(): Promise<void> {
  const logDir = join(tmpdir(), `tgpulse-test-${process.pid}`);
  mkdirSync(logDir, { recursive: true });
  const [redis, temporal] = await Promise.all([startRedis({ logDir }), startTemporal({ logDir })]);
  process.env.TGPULSE_TEST_REDIS_URL = `redis://127.0.0.1:${redis.port}`;
  process.env.TGPULSE_TEST_TEMPORAL_ADDRESS = temporal.address;
  process.env.TGPULSE_TEST_LOG_DIR = logDir;
  writeFileSync(STACK_FILE, JSON.stringify({ pids: [redis.pid, temporal.pid], logDir }));
  (globalThis as Record<string, unknown>).__tgpulseStack = [redis, temporal];
}
