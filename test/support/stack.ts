import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';

/** Written by the global setup so a crashed run's servers can be found. */
export const STACK_FILE = join(tmpdir(), 'tgpulse-test-stack.json');

/** The real Redis and Temporal started for this test run. */
export function testStack(): { redisUrl: string; temporalAddress: string; logDir: string } {
  const redisUrl = process.env.TGPULSE_TEST_REDIS_URL;
  const temporalAddress = process.env.TGPULSE_TEST_TEMPORAL_ADDRESS;
  if (!redisUrl || !temporalAddress) throw new Error('test stack not started: run the tests with `npm test`');
  return { redisUrl, temporalAddress, logDir: process.env.TGPULSE_TEST_LOG_DIR ?? tmpdir() };
}

/** A name no other test uses: for task queues, key prefixes, folders. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}
