import { FloodWaitError } from '../domain';

/**
 * A call met an account (or a kind of call) that is paused for longer than the caller will wait inside an
 * activity: no Telegram call was made. It is a {@link FloodWaitError}, so it travels the same way (a durable
 * workflow timer, then a retry).
 */
export class AccountPausedError extends FloodWaitError {
  constructor(
    seconds: number,
    method: string,
    account: string,
    readonly resumeAt: string,
    readonly reason: 'flood' | 'pause',
  ) {
    super(seconds, method, account, reason === 'flood' ? 'ACCOUNT_PAUSED' : 'SMART_PAUSE');
    this.name = 'AccountPausedError';
    const why = reason === 'flood' ? 'after a Telegram flood wait' : 'by a pause between calls of this kind';
    this.message = `account ${account} is paused ${why} until ${resumeAt} (${seconds} s): no Telegram call was made`;
  }
}
