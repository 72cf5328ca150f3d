import { errors } from 'telegram';
import { BadInputError, FloodWaitError, QuotaExceededError, RemoteRefusedError, TransportError } from '../domain';
import { SESSION_DEAD_CODES, SessionRevokedError, TakeoutDelayError } from './telegram-errors';

/** What a user should read for Telegram's usual refusals. Keyed by Telegram's error message. */
const REFUSALS: Record<string, string> = {
  CHANNEL_PRIVATE: 'This chat is private, or this account was removed from it: join it with an invite link first',
  CHANNEL_INVALID: 'Telegram does not know this chat for this account: use its link or @username, or join it first',
  CHAT_ID_INVALID: 'Telegram does not know this chat for this account: use its link or @username, or join it first',
  PEER_ID_INVALID: 'Telegram does not know this chat or user for this account: use its link or @username',
  USERNAME_NOT_OCCUPIED: 'No chat or user has this username: check the spelling',
  USERNAME_INVALID: 'This is not a valid Telegram username: check the spelling',
  CHAT_ADMIN_REQUIRED: 'This needs admin rights in the chat (listing the members of a channel, for example)',
  INVITE_HASH_EXPIRED: 'The invite link has expired or was revoked: ask for a new one',
  INVITE_HASH_INVALID: 'The invite link is not valid: check that it was copied whole',
  INVITE_HASH_EMPTY: 'The invite link has no code: check that it was copied whole',
  INVITE_REQUEST_SENT: 'The chat approves new members: a join request was sent, wait for an admin to accept it',
  USER_ALREADY_PARTICIPANT: 'This account is already a member of the chat',
  USER_NOT_PARTICIPANT: 'This account is not a member of the chat',
  CHANNELS_TOO_MUCH: 'This account is in too many groups and channels: leave some first',
  USER_BANNED_IN_CHANNEL: 'This account is banned from sending messages in this chat',
  CHAT_WRITE_FORBIDDEN: 'This account may not write in this chat',
  CHAT_RESTRICTED: 'This chat is restricted and cannot be used',
  PEER_FLOOD: 'Telegram limited this account for sending too many messages to strangers: wait a day, or check @SpamBot',
  USER_PRIVACY_RESTRICTED: 'The user\'s privacy settings do not allow this',
  MESSAGE_TOO_LONG: 'The message is longer than Telegram allows: split it',
  MESSAGE_EMPTY: 'The message is empty',
  MESSAGE_NOT_MODIFIED: 'The new text is the same as the old one',
  MESSAGE_ID_INVALID: 'No such message in this chat (deleted, or not sent by this account)',
  MESSAGE_EDIT_TIME_EXPIRED: 'The message is too old to edit',
  TAKEOUT_REQUIRED: 'Telegram wants this request made inside a data-export (takeout) session: run the command with --takeout',
  TAKEOUT_INVALID: 'The data-export (takeout) session is no longer valid (finished, expired, or cancelled in another Telegram app): run the command again to start a new one, or without --takeout',
  PHONE_NUMBER_INVALID: 'The phone number is not valid: give it in international form, like +4915123456789',
  PHONE_NUMBER_BANNED: 'This phone number is banned from Telegram',
  PHONE_CODE_INVALID: 'The login code is wrong: run `tgpulse login` again and type the code Telegram sent',
  PHONE_CODE_EXPIRED: 'The login code expired: run `tgpulse login` again for a new one',
  PHONE_CODE_EMPTY: 'No login code was given',
  PASSWORD_HASH_INVALID: 'The two-step verification password is wrong',
  API_ID_INVALID: 'TG_API_ID and TG_API_HASH do not match: copy both again from https://my.telegram.org',
  API_ID_PUBLISHED_FLOOD: 'This API id was published and Telegram limits it: create your own at https://my.telegram.org',
};

/** Errors of a connection rather than of the request: worth retrying once the network is back. */
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);
const NETWORK_MESSAGES = /^(TIMEOUT|Not connected|Cannot send requests while disconnected|Request was unsuccessful \d+ time\(s\)|Connection closed|Socket closed|WebSocket connection failed)/i;

const UNIMPLEMENTED = /^(NOT_IMPLEMENTED|METHOD_NOT_IMPLEMENTED|API_METHOD_INVALID|METHOD_INVALID)$/;
const WAIT_MESSAGE = /^(FLOOD_WAIT|SLOWMODE_WAIT|FLOOD_PREMIUM_WAIT|FLOOD_TEST_PHONE_WAIT)_(\d+)$/;
const TAKEOUT_DELAY = /^TAKEOUT_INIT_DELAY_(\d+)$/;

/** What a mapped error is about: the account whose call failed and the Telegram method it called. */
export interface TelegramCallContext {
  account: string;
  method: string;
}

/**
 * Turns what gramjs threw into a domain error: flood and slow-mode waits into {@link FloodWaitError} (seconds
 * kept), a held-back data export into {@link TakeoutDelayError} (seconds kept), dead sessions into {@link SessionRevokedError}, Telegram's usual refusals into {@link RemoteRefusedError}
 * with a message a user can act on, lost connections into {@link TransportError}. Domain errors and programming
 * errors pass through unchanged. The original error is kept as `cause`.
 */
export function mapTelegramError(err: unknown, ctx: TelegramCallContext): unknown {
  if (err instanceof RemoteRefusedError || err instanceof TransportError || err instanceof BadInputError || err instanceof QuotaExceededError) return err;
  const { account, method } = ctx;
  if (err instanceof errors.SlowModeWaitError) return new FloodWaitError(err.seconds, method, account, 'SLOWMODE_WAIT', { cause: err });
  if (err instanceof errors.FloodWaitError || err instanceof errors.FloodTestPhoneWaitError) return new FloodWaitError(err.seconds, method, account, 'FLOOD_WAIT', { cause: err });
  if (err instanceof errors.RPCError) {
    const code = err.errorMessage;
    const wait = WAIT_MESSAGE.exec(code);
    if (wait) return new FloodWaitError(Number(wait[2]), method, account, wait[1] === 'SLOWMODE_WAIT' ? 'SLOWMODE_WAIT' : 'FLOOD_WAIT', { cause: err });
    // Not a flood wait: the account may go on calling; only the export waits for the user (or the delay).
    const takeout = TAKEOUT_DELAY.exec(code);
    if (takeout) return new TakeoutDelayError(Number(takeout[1]), account, method, { cause: err });
    if (SESSION_DEAD_CODES.has(code)) return new SessionRevokedError(account, code, method, { cause: err });
    const known = REFUSALS[code];
    if (known) return new RemoteRefusedError(`${known} (Telegram: ${code} on ${method})`, code, method, undefined, { cause: err });
    // A method the server does not implement (piltover, a proxy, an old server) fails the same way every time:
    // retrying it would loop forever.
    if (UNIMPLEMENTED.test(code)) {
      return new RemoteRefusedError(`The Telegram server does not implement ${method} (${code}): this needs a server that supports it`, code, method, undefined, { cause: err });
    }
    // Telegram's own failures (500, -503 timeouts) are not about the request: try again later.
    if (err instanceof errors.ServerError || err instanceof errors.TimedOutError || (err.code !== undefined && Math.abs(err.code) >= 500)) {
      return new TransportError(`Telegram failed to answer ${method} (${code}): it will be retried`, { cause: err });
    }
    return new RemoteRefusedError(`Telegram refused ${method}: ${code}`, code, method, undefined, { cause: err });
  }
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    if ((code !== undefined && NETWORK_CODES.has(code)) || NETWORK_MESSAGES.test(err.message)) {
      return new TransportError(`The connection to Telegram failed during ${method} (${code ?? err.message}): it will be retried`, { cause: err });
    }
  }
  return err;
}
