import { Api } from 'telegram';
import type { ChatKind } from './port';

/**
 * Sends one request the way the adapter sends every request: through the account's limiter (`guard.safeCall`),
 * errors mapped to domain errors. `method` names the call for the limiter and error messages when the request
 * itself is only a wrapper.
 */
export type GuardedInvoke = <R extends Api.AnyRequest>(request: R, opts: { method?: string; signal?: AbortSignal }) => Promise<R['__response']>;

/** The part of an export a takeout session asks for: messages of one kind of chat, never files. */
function scopeOf(kind: ChatKind): ConstructorParameters<typeof Api.account.InitTakeoutSession>[0] {
  // Telegram checks each wrapped request against the flags; a channel ref covers supergroups and broadcast channels.
  if (kind === 'channel') return { messageMegagroups: true, messageChannels: true, files: false };
  if (kind === 'group') return { messageChats: true, files: false };
  return { messageUsers: true, files: false };
}

/**
 * A Telegram data-export (takeout) session: requests wrapped in `InvokeWithTakeout` get the higher limits of an
 * export, which is what a large backfill wants. Opening one may be refused with `TAKEOUT_INIT_DELAY_X` (mapped to
 * `TakeoutDelayError`) until the user confirms the export in another Telegram app or the delay passes. Every
 * request, opening and finishing included, goes through the caller's guarded invoke.
 *
 * @example
 * const takeout = await TakeoutSession.open(invoke, 'channel', signal);
 * try {
 *   const res = await takeout.invoke(new Api.messages.GetHistory({ ... }), { method: 'messages.GetHistory' });
 *   await takeout.finish(true);
 * } catch (err) {
 *   await takeout.finish(false);
 *   throw err;
 * }
 */
export class TakeoutSession {
  private finished = false;

  private constructor(
    private readonly send: GuardedInvoke,
    private readonly id: Api.account.Takeout['id'],
  ) {}

  /** Starts a session covering the messages of chats of `kind`. */
  static async open(send: GuardedInvoke, kind: ChatKind, signal?: AbortSignal): Promise<TakeoutSession> {
    const takeout = await send(new Api.account.InitTakeoutSession(scopeOf(kind)), { signal });
    return new TakeoutSession(send, takeout.id);
  }

  /** Sends `request` inside the session. */
  async invoke<R extends Api.AnyRequest>(request: R, opts: { signal?: AbortSignal } = {}): Promise<R['__response']> {
    const wrapped = new Api.InvokeWithTakeout({ takeoutId: this.id, query: request });
    // gramjs types the wrapper's answer as the wrapped request; on the wire it is the wrapped request's answer.
    return (await this.send(wrapped, { method: request.className, signal: opts.signal })) as unknown as R['__response'];
  }

  /**
   * Ends the session, telling Telegram whether the export succeeded. Once only: later calls do nothing. No signal:
   * a cancelled extraction still closes its session.
   */
  async finish(success: boolean): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    // Telegram knows which session to end from the wrapper: a bare FinishTakeoutSession is TAKEOUT_REQUIRED.
    await this.invoke(new Api.account.FinishTakeoutSession({ success }));
  }
}
