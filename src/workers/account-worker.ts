import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { createTelegramActivities, createUserbotActivities, type LimiterStatsReader } from '../activities';
import { accountTaskQueue } from '../domain';
import type { ArtifactStore } from '../store';
import type { OpenAccount } from '../telegram';
import { runWorkerOptions } from '../temporal';

/** What an account worker needs. `open` takes the account's lease and connects (`openTelegramAccount`). */
export interface AccountWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  /** The base task queue (config TEMPORAL_TASK_QUEUE); the worker serves `accountTaskQueue(taskQueue, account)`. */
  taskQueue: string;
  account: string;
  /** Takes the lease (refused with `SessionInUseError` while another process holds it), then connects. */
  open(): Promise<OpenAccount>;
  store: ArtifactStore;
  /** Where exports are written (config OUTPUT_DIR); a run names only the file. */
  outputDir: string;
  floodTimerThresholdSeconds?: number;
  heartbeatEveryMs?: number;
  /** Epoch ms, for the trailing window of incremental syncs. */
  now?: () => number;
  /** The limiter's statistics of the account, for the userbot's `/limits`. */
  limiterStats?: LimiterStatsReader;
  /** The payload codec of TEMPORAL_CODEC_KEYS (`dataConverterFromConfig`); plain payloads when absent. */
  dataConverter?: WorkerOptions['dataConverter'];
  /** More activities on the account's queue (the userbot's job slots). */
  activities?: Record<string, (...args: never[]) => Promise<unknown>>;
}

/** The account's Telegram activities plus the userbot conversations' (replies, result files). */
function withUserbot(deps: Parameters<typeof createUserbotActivities>[0]) {
  return { ...createTelegramActivities(deps), ...createUserbotActivities(deps) };
}

/** A running account worker. */
export interface RunningAccountWorker {
  /** The task queue it serves. */
  taskQueue: string;
  worker: Worker;
  /**
   * Settles when the worker has stopped and the account is closed (client destroyed, lease given back). Rejects
   * with the lease's reason when the lease was lost: another process may hold the session now.
   */
  done: Promise<void>;
  /** Stops polling, lets running activities end, then closes the account. */
  stop(): Promise<void>;
}

/**
 * Starts the worker of one Telegram account: the only process that talks to Telegram as it. It holds the account's
 * lease for as long as it runs and serves the account's own task queue with the Telegram activities (no
 * workflows). A lost lease stops it at once. SIGINT and SIGTERM stop it through the Temporal runtime's shutdown
 * hook; the account is closed (gramjs `destroy()`, lease released) after the worker has drained.
 */
export async function startAccountWorker(opts: AccountWorkerOptions): Promise<RunningAccountWorker> {
  const account = await opts.open();
  const taskQueue = accountTaskQueue(opts.taskQueue, opts.account);
  let worker: Worker;
  try {
    worker = await Worker.create({
      connection: opts.connection,
      namespace: opts.namespace,
      taskQueue,
      ...(opts.dataConverter ? { dataConverter: opts.dataConverter } : {}),
      activities: {
        ...withUserbot({
          account: opts.account,
          telegram: account.telegram,
          store: opts.store,
          outputDir: opts.outputDir,
          ...(opts.floodTimerThresholdSeconds !== undefined ? { floodTimerThresholdSeconds: opts.floodTimerThresholdSeconds } : {}),
          ...(opts.heartbeatEveryMs !== undefined ? { heartbeatEveryMs: opts.heartbeatEveryMs } : {}),
          ...(opts.now ? { now: opts.now } : {}),
          ...(opts.limiterStats ? { limiterStats: opts.limiterStats } : {}),
        }),
        ...opts.activities,
      },
      // One account's calls pass one limiter anyway; a few at a time let a delivery go out during an extraction.
      maxConcurrentActivityTaskExecutions: 4,
      // Activities only: no workflow interceptors to load.
      ...runWorkerOptions({ prebuiltBundle: true }),
    });
  } catch (err) {
    await account.close();
    throw err;
  }
  const shutdown = () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
  };
  const lost = account.lease.lost;
  lost.addEventListener('abort', shutdown, { once: true });
  const done = (async () => {
    try {
      await worker.run();
    } finally {
      lost.removeEventListener('abort', shutdown);
      await account.close();
    }
    if (lost.aborted) throw lost.reason;
  })();
  return {
    taskQueue,
    worker,
    done,
    async stop() {
      shutdown();
      await done;
    },
  };
}
