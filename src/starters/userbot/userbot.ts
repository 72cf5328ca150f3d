import type { Client } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import type { ArtifactStore } from '../../store';
import { openUserbotAccount, type AccountDeps, type IncomingTelegramMessage } from '../../telegram';
import { startAccountWorker, type RunningAccountWorker } from '../../workers';
import type { Allowlist } from './access';
import { handleMessage } from './listener';

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
  allowlist: Allowlist;
  floodTimerThresholdSeconds?: number;
  heartbeatEveryMs?: number;
  /** Hears a message the listener could not hand on (Temporal down): it is logged, the userbot goes on. */
  onError?: (err: unknown, message: IncomingTelegramMessage) => void;
}

/** A running userbot: the account's worker and its listener. */
export interface RunningUserbot {
  selfId: string;
  worker: RunningAccountWorker;
  /** Settles when the worker has stopped (see {@link RunningAccountWorker.done}). */
  done: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the userbot of one account: its account worker (the one connection of its session, the Telegram
 * activities, the limiter) and, on that same session, the listener. Messages are handed on one at a time, in the
 * order they arrived, so "link, then /go" reaches the conversation in that order.
 */
export async function startUserbot(opts: UserbotOptions): Promise<RunningUserbot> {
  const account = await openUserbotAccount(opts.deps);
  let stopListening: (() => void) | undefined;
  const worker = await startAccountWorker({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    account: opts.account,
    store: opts.store,
    open: () => Promise.resolve(account),
    ...(opts.floodTimerThresholdSeconds !== undefined ? { floodTimerThresholdSeconds: opts.floodTimerThresholdSeconds } : {}),
    ...(opts.heartbeatEveryMs !== undefined ? { heartbeatEveryMs: opts.heartbeatEveryMs } : {}),
  });
  const listener = { client: opts.client, taskQueue: opts.taskQueue, account: opts.account, selfId: account.selfId, allowlist: opts.allowlist };
  let queue: Promise<unknown> = Promise.resolve();
  stopListening = account.onMessage((message) => {
    queue = queue.then(() => handleMessage(listener, message)).catch((err: unknown) => opts.onError?.(err, message));
  });
  const done = worker.done.finally(() => stopListening?.());
  return {
    selfId: account.selfId,
    worker,
    done,
    async stop() {
      stopListening?.();
      stopListening = undefined;
      await queue;
      await worker.stop();
    },
  };
}
