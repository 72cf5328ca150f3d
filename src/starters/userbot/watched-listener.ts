import type { ArtifactStore } from '../../store';
import type { IncomingTelegramMessage, UpdatesCursor, UserbotAccount } from '../../telegram';

/** What the watched listener listens on: a user's session ({@link UserbotAccount}) or a bot's (`BotAccount`). */
export type WatchedSource = Pick<UserbotAccount, 'onMessage' | 'updatesCursor' | 'messagesSince' | 'onReconnect' | 'reconnect'>;

/** What {@link startWatchedListener} needs. */
export interface WatchedListenerOptions {
  source: WatchedSource;
  /** Hands one message on (the listener's `handleMessage`); called one at a time, in order. */
  handle: (message: IncomingTelegramMessage) => Promise<unknown>;
  store: ArtifactStore;
  /** Where the cursor is kept in `store` ({@link updatesCursorKey}, {@link botUpdatesCursorKey}). */
  cursorKey: string;
  /** How often the watchdog catches up, in ms (default 30 s). */
  watchdogMs?: number;
  /** How soon a message that could not be handed on is tried again (a catch-up), in ms, doubling up to `watchdogMs` (default 1 s). */
  retryMs?: number;
  /** How long one catch-up may take before it is given up (and tried again at the next tick), in ms (default 2 min). */
  catchUpTimeoutMs?: number;
  /** Hears each catch-up's outcome (for metrics and /healthz): `missed`, the messages the live listener had not handed on. */
  onCatchUp?: (result: CatchUpResult) => void;
  /** Hears a message that could not be handed on, a failed catch-up, or a stored cursor that was unusable (no message): the listener goes on. */
  onError?: (err: unknown, message?: IncomingTelegramMessage) => void;
}

/** What one catch-up did: handed on `missed` messages the live listener had not (sent while it was deaf), or failed. */
export type CatchUpResult = { ok: true; missed: number } | { ok: false };

/** A running watched listener. */
export interface WatchedListener {
  /** Catches up now (the watchdog's tick): every message since the stored cursor not yet handed on, then the cursor stored. */
  catchUp(): Promise<void>;
  /** Stops listening: a last catch-up (so the stored cursor is current; at most {@link LAST_CATCH_UP_MS}), then waits for every message held to be handed on. */
  stop(): Promise<void>;
  /** Stops listening at once, nothing more (its worker is gone: nothing could be handed on). */
  quiet(): void;
}

/** Where a userbot's watchdog keeps its cursor: a restarted userbot catches up from there. */
export const updatesCursorKey = (account: string) => `userbot/${account}/updates-cursor.json`;

/** Where a bot's watchdog keeps its cursor (`account` is the bot's, `bot-<id>`): its own, beside the reading account's. */
export const botUpdatesCursorKey = (botAccount: string) => `userbot/${botAccount}/bot-updates-cursor.json`;

/** A catch-up that could not hand every message on (Temporal down): Telegram is fine, its cursor did not move. */
export class HandOnFailed extends Error {
  constructor(readonly missed: number) {
    super(`${missed} message(s) could not be handed on to Temporal; the next catch-up hands them on again`);
  }
}

/** How many handed-on message ids the process remembers, so a catch-up does not send them again. */
const RECENT_IDS = 2000;

/** The default of {@link WatchedListenerOptions.retryMs}. */
const RETRY_MS = 1000;

/** The default of {@link WatchedListenerOptions.catchUpTimeoutMs}. */
const CATCH_UP_TIMEOUT_MS = 120_000;

/** How long a stop waits for its last catch-up (a server that is down must not hold a stop). */
export const LAST_CATCH_UP_MS = 15_000;

/** A stored cursor, or why it cannot be used. */
function parseCursor(raw: string): UpdatesCursor | string {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return 'not JSON';
  }
  const v = value as Partial<Record<keyof UpdatesCursor, unknown>> | null;
  const ok = (n: unknown) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
  if (v === null || typeof v !== 'object' || !ok(v.pts) || !ok(v.qts) || !ok(v.date)) return 'not {pts, qts, date} as whole numbers';
  return { pts: v.pts as number, qts: v.qts as number, date: v.date as number };
}

/**
 * Listens on `source` so that every incoming message is handed on exactly once, in the order it arrived, messages
 * sent while the process was down included. gramjs pushes new messages but has no catch-up (for a user or a bot),
 * and its updates can stop while the connection looks healthy: a watchdog asks Telegram for every message since a
 * cursor stored in `store` (`updates.getDifference`) at start, right after every reconnect and every `watchdogMs`,
 * hands on what the live listener has not, and stores the new cursor. A message seen both ways acts once: this
 * skips ids it handed on, and the conversation ignores a message id it has handled (after a restart, too).
 *
 * A catch-up that fails (the server down, a gap) is reported to `onError` and tried again at the next tick; a
 * stored cursor that is unreadable, or ahead of the server's stream (which would hide every message up to it), is
 * reported and replaced by where the stream stands. A message `handle` could not take (Temporal down) is reported
 * with it; the messages after it wait, and a catch-up brings them all again, in order, after `retryMs`, then less
 * often.
 */
export async function startWatchedListener(opts: WatchedListenerOptions): Promise<WatchedListener> {
  const { source, store, cursorKey: key } = opts;
  const recent = new Set<number>();
  let queue: Promise<unknown> = Promise.resolve();
  /**
   * Set when a message could not be handed on, until a catch-up hands it on: a live message that came after it
   * waits for that catch-up too (it is behind the cursor), or it would be answered first.
   */
  let blocked = false;
  /** A live message was held back while blocked: the catch-up that clears the block is followed by another at once. */
  let heldBack = false;
  const watchdogMs = opts.watchdogMs ?? 30_000;
  /** While blocked, a catch-up comes after `retryMs`, then twice that, up to the watchdog's period: not only at its next tick. */
  let retry: NodeJS.Timeout | undefined;
  let retryMs = opts.retryMs ?? RETRY_MS;
  const retrySoon = () => {
    if (retry || !stopListening) return;
    retry = setTimeout(() => {
      retry = undefined;
      // A failure here blocks again, which schedules the next try.
      catchUp().catch((err: unknown) => opts.onError?.(err));
    }, retryMs);
    retry.unref();
    retryMs = Math.min(retryMs * 2, watchdogMs);
  };
  /** Resolves true once the message is handed on (or was before), false when it could not be (Temporal down) or waits for a catch-up. */
  const handOn = (message: IncomingTelegramMessage, live: boolean): Promise<boolean> => {
    const handed = queue
      .then(async () => {
        if (recent.has(message.id)) return true;
        if (blocked && live) {
          heldBack = true;
          return false;
        }
        await opts.handle(message);
        recent.add(message.id);
        if (recent.size > RECENT_IDS) recent.delete(recent.values().next().value!);
        return true;
      })
      .catch((err: unknown) => {
        blocked = true;
        opts.onError?.(err, message);
        retrySoon();
        return false;
      });
    queue = handed;
    return handed;
  };
  // A live message that cannot be handed on is not lost: the cursor is behind it, so the next catch-up brings it again.
  let stopListening: (() => void) | undefined = source.onMessage((message) => void handOn(message, true));

  let cursor: UpdatesCursor;
  try {
    cursor = await startingCursor(opts);
  } catch (err) {
    stopListening();
    throw err;
  }
  let catching: Promise<void> | undefined;
  const timeoutMs = opts.catchUpTimeoutMs ?? CATCH_UP_TIMEOUT_MS;
  /**
   * One catch-up at a time: every message since the cursor handed on, then the cursor moved and stored. A request
   * that is never answered (a connection dead in all but name) is given up after `timeoutMs`, its late answer
   * dropped: one hung catch-up must not hold every later one.
   */
  const catchUp = (): Promise<void> =>
    (catching ??= (async () => {
      let timer: NodeJS.Timeout | undefined;
      try {
        const late = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`The catch-up got no answer within ${timeoutMs / 1000} s: it is tried again at the next tick`)), timeoutMs);
          // A catch-up hung on a connection that is closing must not keep a stopping process alive.
          timer.unref();
        });
        const diff = await Promise.race([source.messagesSince(cursor), late]);
        // What the listener holds is handed on first (as handOn would anyway): what is still not handed on, it missed.
        if (diff.messages.length > 0) await queue;
        const missed = diff.messages.filter((m) => !recent.has(m.id)).length;
        // In order, and none after one that could not be handed on: it would overtake it. The cursor stays where
        // it was until every message is handed on: the next catch-up asks for them again.
        for (const [i, message] of diff.messages.entries()) {
          if (!(await handOn(message, false))) throw new HandOnFailed(diff.messages.length - i);
        }
        cursor = diff.cursor;
        await store.put(key, JSON.stringify(cursor));
        if (blocked) {
          blocked = false;
          clearTimeout(retry);
          retry = undefined;
          retryMs = opts.retryMs ?? RETRY_MS;
          // What the listener held back meanwhile is past this catch-up's cursor: fetch it now, not at the next tick.
          if (heldBack) {
            setImmediate(() => {
              if (stopListening) catchUp().catch((err: unknown) => opts.onError?.(err));
            });
          }
          heldBack = false;
        }
        opts.onCatchUp?.({ ok: true, missed });
      } catch (err) {
        opts.onCatchUp?.({ ok: false });
        throw err;
      } finally {
        clearTimeout(timer);
        catching = undefined;
      }
    })());
  // Messages sent while the process was down. A failure here is not fatal: the watchdog tries again.
  await catchUp().catch((err: unknown) => opts.onError?.(err));
  // Updates sent while the connection was down are not pushed again: catch up as soon as it is back.
  const stopReconnects = source.onReconnect(() => {
    catchUp().catch((err: unknown) => opts.onError?.(err));
  });
  const timer = setInterval(() => {
    // A tick during a catch-up (one that waits for its deadline) would only report its failure again.
    if (catching) return;
    // A catch-up that fails may mean a connection gramjs gave up on: connect again (that catches up too).
    catchUp().catch((err: unknown) => {
      opts.onError?.(err);
      if (!(err instanceof HandOnFailed)) source.reconnect().catch((cause: unknown) => opts.onError?.(cause));
    });
  }, watchdogMs);
  const quiet = () => {
    clearInterval(timer);
    clearTimeout(retry);
    stopReconnects();
    stopListening?.();
    stopListening = undefined;
  };
  let stopping: Promise<void> | undefined;
  return {
    catchUp,
    quiet,
    stop: () =>
      (stopping ??= (async () => {
        clearInterval(timer);
        clearTimeout(retry);
        stopReconnects();
        // The last catch-up, still listening: the next start replays nothing this process has seen.
        let bound: NodeJS.Timeout | undefined;
        await Promise.race([
          (catching ?? Promise.resolve()).catch(() => undefined).then(() => catchUp()).catch(() => undefined),
          new Promise((resolve) => (bound = setTimeout(resolve, LAST_CATCH_UP_MS))),
        ]);
        clearTimeout(bound);
        quiet();
        await queue;
      })()),
  };
}

/** The stored cursor, or where the stream stands now when there is none or it cannot be used (reported). */
async function startingCursor(opts: WatchedListenerOptions): Promise<UpdatesCursor> {
  const stored = await opts.store.tryGet(opts.cursorKey);
  if (!stored) return opts.source.updatesCursor();
  const parsed = parseCursor(stored.toString('utf8'));
  if (typeof parsed === 'string') {
    opts.onError?.(new Error(`The stored updates cursor ${opts.cursorKey} is unusable (${parsed}): catching up from now; messages sent while the listener was down may be missed`));
    return opts.source.updatesCursor();
  }
  const now = await opts.source.updatesCursor();
  if (parsed.pts > now.pts) {
    opts.onError?.(new Error(`The stored updates cursor ${opts.cursorKey} is ahead of the server's (pts ${parsed.pts} > ${now.pts}): catching up from now`));
    return now;
  }
  return parsed;
}
