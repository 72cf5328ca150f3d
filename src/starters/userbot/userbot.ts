import type { Client } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import { createJobSlotActivities, type LimiterStatsReader } from '../../activities';
import type { JobSlots } from '../../limiter';
import type { ArtifactStore } from '../../store';
import { openUserbotAccount, type AccountDeps, type IncomingTelegramMessage } from '../../telegram';
import { startAccountWorker, type AccountWorkerOptions, type RunningAccountWorker } from '../../workers';
import type { Allowlist } from './access';
import { handleMessage } from './listener';
import { startWatchedListener, updatesCursorKey, type CatchUpResult, type WatchedListener } from './watched-listener';

/** What a userbot process needs. */
export interface UserbotOptions {
  connection: NativeConnection;
  client: Client;
  namespace: string;
  /** The base task queue (TEMPORAL_TASK_QUEUE): conversations run there, the account's activities on its own queue. */
  taskQueue: string;
  account: string;
  deps: AccountDeps;
  store: ArtifactStore;
  /** Where exports are written (config OUTPUT_DIR). */
  outputDir: string;
  allowlist: Allowlist;
  /** The job limits the conversations claim a slot from before each job (`createJobSlots`). */
  jobSlots: JobSlots;
  floodTimerThresholdSeconds?: number;
  heartbeatEveryMs?: number;
  /** The limiter's statistics of the account, for `/limits`. */
  limiterStats?: LimiterStatsReader;
  /** The payload codec of TEMPORAL_CODEC_KEYS, the same as `client`'s (`dataConverterFromConfig`). */
  dataConverter?: AccountWorkerOptions['dataConverter'];
  /** How often the watchdog catches up with `updates.getDifference`, in ms (default 30 s). */
  watchdogMs?: number;
  /** How long one catch-up may wait for Telegram before it is given up until the next tick, in ms (default 2 min). */
  catchUpTimeoutMs?: number;
  /** Hears each catch-up's outcome (for metrics and /healthz). */
  onCatchUp?: (result: CatchUpResult) => void;
  /** Hears a message the listener could not hand on (Temporal down), or a failed catch-up (no message): logged, the userbot goes on. */
  onError?: (err: unknown, message?: IncomingTelegramMessage) => void;
}

/** A running userbot: the account's worker and its listener. */
export interface RunningUserbot {
  selfId: string;
  worker: RunningAccountWorker;
  /** Catches up now (the watchdog's tick), e.g. after a reconnect. */
  catchUp(): Promise<void>;
  /** Settles when the worker has stopped (see {@link RunningAccountWorker.done}). */
  done: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the userbot of one account: its account worker (the one connection of its session, the Telegram
 * activities, the limiter) and, on that same session, the listener. Messages are handed on one at a time, in the
 * order they arrived, so "link, then /go" reaches the conversation in that order.
 *
 * Every message is handed on once, those sent while it was down included: see {@link startWatchedListener} (its
 * cursor is kept under {@link updatesCursorKey}).
 */
export async function startUserbot(opts: UserbotOptions): Promise<RunningUserbot> {
  const account = await openUserbotAccount(opts.deps);
  const worker = await startAccountWorker({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    account: opts.account,
    store: opts.store,
    outputDir: opts.outputDir,
    open: () => Promise.resolve(account),
    activities: createJobSlotActivities({ slots: opts.jobSlots }),
    ...(opts.floodTimerThresholdSeconds !== undefined ? { floodTimerThresholdSeconds: opts.floodTimerThresholdSeconds } : {}),
    ...(opts.heartbeatEveryMs !== undefined ? { heartbeatEveryMs: opts.heartbeatEveryMs } : {}),
    ...(opts.limiterStats ? { limiterStats: opts.limiterStats } : {}),
    ...(opts.dataConverter ? { dataConverter: opts.dataConverter } : {}),
  });
  const listener = { client: opts.client, taskQueue: opts.taskQueue, account: opts.account, selfId: account.selfId, allowlist: opts.allowlist };
  let watched: WatchedListener;
  try {
    watched = await startWatchedListener({
      source: account,
      handle: (message) => handleMessage(listener, message),
      store: opts.store,
      cursorKey: updatesCursorKey(opts.account),
      ...(opts.watchdogMs !== undefined ? { watchdogMs: opts.watchdogMs } : {}),
      ...(opts.catchUpTimeoutMs !== undefined ? { catchUpTimeoutMs: opts.catchUpTimeoutMs } : {}),
      ...(opts.onError ? { onError: opts.onError } : {}),
      ...(opts.onCatchUp ? { onCatchUp: opts.onCatchUp } : {}),
    });
  } catch (err) {
    await worker.stop();
    throw err;
  }
  const done = worker.done.finally(() => watched.quiet());
  return {
    selfId: account.selfId,
    worker,
    catchUp: () => watched.catchUp(),
    done,
    /** Hands on what it holds, stores the cursor, then stops the worker. */
    async stop() {
      await watched.stop();
      await worker.stop();
    },
  };
}
