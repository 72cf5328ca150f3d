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
