/** The kinds of Telegram call the limiter tells apart: each has its own quotas and pauses. */
export type TelegramOp = 'api' | 'dm' | 'join' | 'leave' | 'members';

export interface SafeCallOptions<T> {
  /** Aborts the wait for a token (Temporal activity cancellation). */
  signal?: AbortSignal;
  /** For `members` calls: how many members the result holds, for the pause every N members. */
  itemsOf?: (result: T) => number;
  /**
   * Turns what `fn` threw into a domain error (the Telegram adapter maps gramjs errors here, so the limiter
   * never imports gramjs). A resulting `FloodWaitError` pauses the whole account.
   */
  mapError?: (err: unknown) => unknown;
  /**
   * Called each time the call has to wait (no token yet, or a pause), before the wait: an activity heartbeats
   * here so a long wait does not look like a dead worker.
   */
  onWait?: (wait: WaitInfo) => void;
  /**
   * Whether the (mapped) error proves the request never left this host, so a DM or join gives its quota back.
   * Default: a refused or never-made connection anywhere in the `cause` chain (`neverSent` in `never-sent.ts`). Telegram's own
   * refusals always give it back.
   */
  neverSent?: (err: unknown) => boolean;
}

/** Why and how long a guarded call waits before it may go out. */
export interface WaitInfo {
  /** How long this wait is, in ms. */
  waitMs: number;
  /** `rate`: no token yet; `pause`: a smart pause of the call's kind; `flood`: the account is paused (FLOOD_WAIT). */
  reason: 'rate' | 'pause' | 'flood';
  /** When the wait ends, ISO 8601 UTC. */
  until: string;
}

/**
 * The one guarded entry to Telegram: token, quota, pauses, latency metric and error mapping around one call.
 *
 * @example
 * const history = await guard.safeCall(account, 'api', 'messages.GetHistory', () => client.invoke(req), { signal, mapError });
 */
export interface CallGuard {
  safeCall<T>(account: string, op: TelegramOp, method: string, fn: () => Promise<T>, opts?: SafeCallOptions<T>): Promise<T>;
}
