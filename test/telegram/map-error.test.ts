import { Api, errors } from 'telegram';
import { BadInputError, FloodWaitError, RemoteRefusedError, TransportError } from '../../src/domain';
import { mapTelegramError, SessionRevokedError } from '../../src/telegram';
import { floodWait, rpcError } from '../fakes/fake-telegram';

const ctx = { account: 'work', method: 'messages.GetHistory' };

describe('mapTelegramError', () => {
  test('FLOOD_WAIT keeps its seconds, the account and the method', () => {
    const mapped = mapTelegramError(floodWait(3600), ctx);
    expect(mapped).toBeInstanceOf(FloodWaitError);
    expect(mapped).toMatchObject({ seconds: 3600, account: 'work', method: 'messages.GetHistory', code: 'FLOOD_WAIT', retryAfterSeconds: 3600 });
    expect((mapped as Error).message).toBe('Telegram asked account work to wait 3600 s before calling messages.GetHistory again');
    expect((mapped as Error).cause).toBeInstanceOf(errors.FloodWaitError);
  });

  test.each([
    ['SLOWMODE_WAIT_30', 30, 'SLOWMODE_WAIT'],
    ['FLOOD_WAIT_7', 7, 'FLOOD_WAIT'],
    ['FLOOD_PREMIUM_WAIT_12', 12, 'FLOOD_WAIT'],
  ])('%s as gramjs raises it becomes a flood wait of %i s', (message, seconds, code) => {
    const mapped = mapTelegramError(rpcError(message, 420), ctx);
    expect(mapped).toBeInstanceOf(FloodWaitError);
    expect(mapped).toMatchObject({ seconds, code });
  });

  test.each([
    ['CHANNEL_PRIVATE', /private, or this account was removed from it: join it with an invite link first/],
    ['USERNAME_NOT_OCCUPIED', /No chat or user has this username: check the spelling/],
    ['USERNAME_INVALID', /not a valid Telegram username/],
    ['CHAT_ADMIN_REQUIRED', /needs admin rights/],
    ['INVITE_HASH_EXPIRED', /invite link has expired or was revoked: ask for a new one/],
    ['INVITE_HASH_INVALID', /invite link is not valid/],
    ['PEER_FLOOD', /limited this account/],
  ])('%s becomes a refusal a user can act on', (code, message) => {
    const mapped = mapTelegramError(rpcError(code), ctx);
    expect(mapped).toBeInstanceOf(RemoteRefusedError);
    expect(mapped).not.toBeInstanceOf(SessionRevokedError);
    expect(mapped).toMatchObject({ code, method: 'messages.GetHistory' });
    expect((mapped as Error).message).toMatch(message);
  });

  test.each(['AUTH_KEY_UNREGISTERED', 'SESSION_REVOKED', 'USER_DEACTIVATED', 'USER_DEACTIVATED_BAN', 'AUTH_KEY_DUPLICATED', 'SESSION_EXPIRED'])('%s asks to log in again', (code) => {
    const mapped = mapTelegramError(rpcError(code, 401), ctx);
    expect(mapped).toBeInstanceOf(SessionRevokedError);
    expect(mapped).toBeInstanceOf(RemoteRefusedError);
    expect((mapped as Error).message).toMatch(/log in again with `tgpulse login --account work`/);
  });

  test('an unknown refusal keeps Telegram\'s code', () => {
    const mapped = mapTelegramError(rpcError('SOMETHING_NEW'), ctx);
    expect(mapped).toBeInstanceOf(RemoteRefusedError);
    expect(mapped).toMatchObject({ code: 'SOMETHING_NEW', message: 'Telegram refused messages.GetHistory: SOMETHING_NEW' });
  });

  test('Telegram\'s own failures and lost connections are transport errors (retried)', () => {
    expect(mapTelegramError(rpcError('RPC_CALL_FAIL', 500), ctx)).toBeInstanceOf(TransportError);
    expect(mapTelegramError(new errors.TimedOutError('Timeout', { className: 'x' } as unknown as Api.AnyRequest, -503), ctx)).toBeInstanceOf(TransportError);
    expect(mapTelegramError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), ctx)).toBeInstanceOf(TransportError);
    expect(mapTelegramError(new Error('TIMEOUT'), ctx)).toBeInstanceOf(TransportError);
    expect(mapTelegramError(new Error('Cannot send requests while disconnected. You need to call .connect()'), ctx)).toBeInstanceOf(TransportError);
  });

  test('domain errors and programming errors pass through unchanged', () => {
    const bad = new BadInputError('x');
    expect(mapTelegramError(bad, ctx)).toBe(bad);
    const bug = new TypeError('undefined is not a function');
    expect(mapTelegramError(bug, ctx)).toBe(bug);
  });
});
