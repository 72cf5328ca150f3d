import type { CallGuard, SafeCallOptions, TelegramOp } from '../../src/limiter';

/** One call that went through {@link CountingGuard}. */
export interface GuardedCall {
  account: string;
  op: TelegramOp;
  method: string;
  /** `Date.now()` when the call went out (jest fake timers and the time-skipping server move it). */
  at: number;
  ok: boolean;
}

/**
 * A pass-through {@link CallGuard} for tests: no tokens or pauses, but it records every call and maps errors with
 * the caller's `mapError`, as the real limiter does, so a test sees what a user would.
 */
export class CountingGuard implements CallGuard {
  readonly calls: GuardedCall[] = [];

  async safeCall<T>(account: string, op: TelegramOp, method: string, fn: () => Promise<T>, opts: SafeCallOptions<T> = {}): Promise<T> {
    opts.signal?.throwIfAborted();
    const call: GuardedCall = { account, op, method, at: Date.now(), ok: false };
    this.calls.push(call);
    try {
      const result = await fn();
      call.ok = true;
      return result;
    } catch (err) {
      throw opts.mapError ? opts.mapError(err) : err;
    }
  }

  /** How many calls of a method (or all) went out. */
  count(method?: string): number {
    return this.calls.filter((c) => method === undefined || c.method === method).length;
  }
}
