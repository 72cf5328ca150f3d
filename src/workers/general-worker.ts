import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { runWorkerOptions } from '../temporal';

/** Where the workflow code is: the worker bundles it (or takes a prebuilt bundle). */
export const WORKFLOWS_PATH = require.resolve('../workflows');

/**
 * The general worker: every workflow, and the activities that need no Telegram session (export, digest, LLM,
 * delivery to files).
 */
export function createGeneralWorker(opts: {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** The payload codec of TEMPORAL_CODEC_KEYS (`dataConverterFromConfig`); plain payloads when absent. */
  dataConverter?: WorkerOptions['dataConverter'];
}): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    activities: createActivities(opts.deps),
    ...(opts.dataConverter ? { dataConverter: opts.dataConverter } : {}),
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    // Two cores: a few activities at a time keep extraction and summaries from starving each other.
    maxConcurrentActivityTaskExecutions: 8,
    ...runWorkerOptions({ prebuiltBundle: opts.workflowBundle !== undefined }),
  });
}
