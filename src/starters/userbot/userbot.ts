import type { Client } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import { createJobSlotActivities, type LimiterStatsReader } from '../../activities';
import type { JobSlots } from '../../limiter';
import type { ArtifactStore } from '../../store';
import { openUserbotAccount, type AccountDeps, type IncomingTelegramMessage, type UpdatesCursor } from '../../telegram';
import { startAccountWorker, type AccountWorkerOptions, type RunningAccountWorker } from '../../workers';
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
  /** Hears each catch-up's outcome (for metrics and /healthz): `missed`, the messages the listener had not handed on. */
  onCatchUp?: (result: CatchUpResult) => void;
  /** Hears a message the listener could not hand on (Temporal down), or a failed catch-up (no message): logged, the userbot goes on. */
  onError?: (err: unknown, message?: IncomingTelegramMessage) => void;
}

/** What one catch-up did: handed on `missed` messages the listener had not (they were sent while it was deaf), or failed. */
export type CatchUpResult = { ok: true; missed: number } | { ok: false };

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

/** Where the watchdog's cursor is kept: a restarted userbot catches up from there. */
export const updatesCursorKey = (account: string) => `userbot/${account}/updates-cursor.json`;

/** How many handed-on message ids the process remembers, so a catch-up does not send them again. */
const RECENT_IDS = 2000;

/**
 * Starts the userbot of one account: its account worker (the one connection of its session, the Telegram
 * activities, the limiter) and, on that same session, the listener. Messages are handed on one at a time, in the
 * order they arrived, so "link, then /go" reaches the conversation in that order.
 *
 * gramjs updates can stop while the connection looks healthy, and gramjs has no catch-up: a watchdog asks Telegram
 * for every message since its stored cursor (`updates.getDifference`) at start, right after every reconnect, and
 * every `watchdogMs`, hands on what the listener has not, and stores the new cursor. A message seen both ways acts once: the process skips
 * ids it handed on, and the conversation ignores a message id it has handled.
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
    outputDir: opts.outputDir,
    open: () => Promise.resolve(account),
    activities: createJobSlotActivities({ slots: opts.jobSlots }),
    ...(opts.floodTimerThresholdSeconds !== undefined ? { floodTimerThresholdSeconds: opts.floodTimerThresholdSeconds } : {}),
    ...(opts.heartbeatEveryMs !== undefined ? { heartbeatEveryMs: opts.heartbeatEveryMs } : {}),
    ...(opts.limiterStats ? { limiterStats: opts.limiterStats } : {}),
    ...(opts.dataConverter ? { dataConverter: opts.dataConverter } : {}),
  });
  const listener = { client: opts.client, taskQueue: opts.taskQueue, account: opts.account, selfId: account.selfId, allowlist: opts.allowlist };
  const recent = new Set<number>();
  let queue: Promise<unknown> = Promise.resolve();
  const handOn = (message: IncomingTelegramMessage) => {
    queue = queue
      .then(async () => {
        if (recent.has(message.id)) return;
        await handleMessage(listener, message);
        recent.add(message.id);
        if (recent.size > RECENT_IDS) recent.delete(recent.values().next().value!);
      })
      .catch((err: unknown) => opts.onError?.(err, message));
    return queue;
  };
  stopListening = account.onMessage((message) => void handOn(message));

  const key = updatesCursorKey(opts.account);
  const stored = await opts.store.tryGet(key);
  let cursor: UpdatesCursor = stored ? (JSON.parse(stored.toString('utf8')) as UpdatesCursor) : await account.updatesCursor();
  let catching: Promise<void> | undefined;
  /** One catch-up at a time: every message since the cursor handed on, then the cursor moved and stored. */
  const catchUp = () =>
    (catching ??= (async () => {
      try {
        const diff = await account.messagesSince(cursor);
        // What the listener holds is handed on first (as handOn would anyway): what is still not handed on, it missed.
        if (diff.messages.length > 0) await queue;
        const missed = diff.messages.filter((m) => !recent.has(m.id)).length;
        for (const message of diff.messages) await handOn(message);
        cursor = diff.cursor;
        await opts.store.put(key, JSON.stringify(cursor));
        opts.onCatchUp?.({ ok: true, missed });
      } catch (err) {
        opts.onCatchUp?.({ ok: false });
        throw err;
      } finally {
        catching = undefined;
      }
    })());
  try {
    await catchUp();
  } catch (err) {
    stopListening();
    await worker.stop();
    throw err;
  }
  // Updates sent while the connection was down are not pushed again: catch up as soon as it is back.
  const stopReconnects = account.onReconnect(() => {
    catchUp().catch((err: unknown) => opts.onError?.(err));
  });
  const timer = setInterval(() => {
    // A catch-up that fails may mean a connection gramjs gave up on: connect again (that catches up too).
    catchUp().catch((err: unknown) => {
      opts.onError?.(err);
      account.reconnect().catch((cause: unknown) => opts.onError?.(cause));
    });
  }, opts.watchdogMs ?? 30_000);
  const quiet = () => {
    clearInterval(timer);
    stopReconnects();
    stopListening?.();
    stopListening = undefined;
  };
  const done = worker.done.finally(quiet);
  return {
    selfId: account.selfId,
    worker,
    catchUp,
    done,
    /** Hands on what it holds, stores the cursor, then stops the worker. */
    async stop() {
      quiet();
      await catching?.catch(() => undefined);
      await queue;
      await worker.stop();
    },
  };
}
