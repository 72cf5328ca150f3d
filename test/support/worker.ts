import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { ActivityDeps } from '../../src/activities';
import { createGeneralWorker } from '../../src/workers/general-worker';
import { testStack, uniqueName } from './stack';
import { quietSdkLogs } from './temporal-test-env';

export interface TestWorker {
  client: Client;
  taskQueue: string;
  worker: Worker;
  stop(): Promise<void>;
}

/**
 * A general worker on the real dev server, on its own task queue, with the workflows bundled once per run.
 * `temporalAddress` points it at another server than the run's (one a suite started with its own settings).
 */
export async function startTestWorker(deps: ActivityDeps, opts: { temporalAddress?: string } = {}): Promise<TestWorker> {
  quietSdkLogs();
  const temporalAddress = opts.temporalAddress ?? testStack().temporalAddress;
  const taskQueue = uniqueName('tq');
  const nativeConnection = await NativeConnection.connect({ address: temporalAddress });
  const bundlePath = process.env.TGPULSE_TEST_WORKFLOW_BUNDLE;
  const worker = await createGeneralWorker({
    connection: nativeConnection,
    namespace: 'default',
    taskQueue,
    deps,
    ...(bundlePath ? { workflowBundle: { codePath: bundlePath } } : {}),
  });
  const running = worker.run();
  const connection = await Connection.connect({ address: temporalAddress });
  const client = new Client({ connection, namespace: 'default' });
  return {
    client,
    taskQueue,
    worker,
    async stop() {
      worker.shutdown();
      await running;
      await connection.close();
      await nativeConnection.close();
    },
  };
}
