import { createJobSlotActivities } from '../../activities';
import { openBotAccount, openTelegramAccount, type AccountDeps } from '../../telegram';
import { startAccountWorker, type RunningAccountWorker } from '../../workers';
import { handleMessage } from './listener';
import type { UserbotOptions } from './userbot';
import { botUpdatesCursorKey, startWatchedListener, type WatchedListener } from './watched-listener';

/** What bot mode needs beyond the userbot's options: the bot's token and account, and the owner's user id. */
export interface BotUserbotOptions extends UserbotOptions {
  /** The bot's account (`botAccountName(token)`): its lease, limiter bucket, peer cache and task queue. */
  botDeps: AccountDeps;
  /** USERBOT_BOT_TOKEN: passed to gramjs only, never logged nor put in workflow input. */
  token: string;
  /** USERBOT_OWNER_ID. */
  ownerId: string;
}

/** A running bot-mode userbot: the reading account's worker, the bot's worker and the bot's listener. */
export interface RunningBotUserbot {
  botId: string;
  botUsername?: string;
  /** The reading account's worker (history, job slots, progress). */
  worker: RunningAccountWorker;
  /** The bot's worker (replies, status edits, files). */
  botWorker: RunningAccountWorker;
  /** Catches up the bot's update stream now (the watchdog's tick). */
  catchUp(): Promise<void>;
  done: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Bot mode: the same conversations as the userbot, driven by direct messages to a bot. The bot's worker serves the
 * conversation's replies, status edits and files on its own queue; the account's worker reads the chats. gramjs does
 * no catch-up for a bot either: the bot's messages are watched as the userbot's are ({@link startWatchedListener},
 * the bot's own cursor under {@link botUpdatesCursorKey}), so each is handed on once, those sent while it was down
 * included.
 */
export async function startBotUserbot(opts: BotUserbotOptions): Promise<RunningBotUserbot> {
  const common = {
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    store: opts.store,
    outputDir: opts.outputDir,
    ...(opts.floodTimerThresholdSeconds !== undefined ? { floodTimerThresholdSeconds: opts.floodTimerThresholdSeconds } : {}),
    ...(opts.heartbeatEveryMs !== undefined ? { heartbeatEveryMs: opts.heartbeatEveryMs } : {}),
    ...(opts.limiterStats ? { limiterStats: opts.limiterStats } : {}),
    ...(opts.dataConverter ? { dataConverter: opts.dataConverter } : {}),
  };
  const worker = await startAccountWorker({ ...common, account: opts.account, open: () => openTelegramAccount(opts.deps), activities: createJobSlotActivities({ slots: opts.jobSlots }) });
  let bot: Awaited<ReturnType<typeof openBotAccount>>;
  try {
    bot = await openBotAccount(opts.botDeps, opts.token);
  } catch (err) {
    await worker.stop();
    throw err;
  }
  const listener = { client: opts.client, taskQueue: opts.taskQueue, account: opts.account, selfId: bot.selfId, allowlist: opts.allowlist, bot: { replyAccount: opts.botDeps.account, ownerId: opts.ownerId } };
  // The first catch-up runs before the bot's worker takes any reply or status edit: it puts everyone who wrote while
  // the bot was down, with the access hash this login sees, in the peer cache. A server may tie hashes to the login
  // (piltover does), and an edit to a hash it refuses fails for good: a job killed mid-run lost its result.
  let watched: WatchedListener;
  try {
    watched = await startWatchedListener({
      source: bot,
      handle: (message) => handleMessage(listener, message),
      store: opts.store,
      cursorKey: botUpdatesCursorKey(opts.botDeps.account),
      ...(opts.watchdogMs !== undefined ? { watchdogMs: opts.watchdogMs } : {}),
      ...(opts.catchUpTimeoutMs !== undefined ? { catchUpTimeoutMs: opts.catchUpTimeoutMs } : {}),
      ...(opts.onError ? { onError: opts.onError } : {}),
      ...(opts.onCatchUp ? { onCatchUp: opts.onCatchUp } : {}),
    });
  } catch (err) {
    await Promise.all([bot.close(), worker.stop()]);
    throw err;
  }
  let botWorker: RunningAccountWorker;
  try {
    botWorker = await startAccountWorker({ ...common, account: opts.botDeps.account, open: () => Promise.resolve(bot) });
  } catch (err) {
    // startAccountWorker has closed the bot's account.
    watched.quiet();
    await worker.stop();
    throw err;
  }
  const done = Promise.all([worker.done, botWorker.done]).then(() => undefined).finally(() => watched.quiet());
  return {
    botId: bot.selfId,
    ...(bot.username !== undefined ? { botUsername: bot.username } : {}),
    worker,
    botWorker,
    catchUp: () => watched.catchUp(),
    done,
    /** Hands on what it holds, stores the cursor, then stops both workers. */
    async stop() {
      await watched.stop();
      await Promise.all([botWorker.stop(), worker.stop()]);
    },
  };
}
