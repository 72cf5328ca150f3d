import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api, helpers } from 'telegram';
import { BinaryReader } from 'telegram/extensions';
import { ConfigError } from '../../src/config';
import { RemoteRefusedError, TransportError } from '../../src/domain';
import { mapTelegramError, serverKeyFromPem, telegramServer } from '../../src/telegram';
import { chatInfoOf } from '../../src/telegram/map-chat';
import { mapMessage } from '../../src/telegram/map-message';
import { indexEntities, mapParticipant, userName } from '../../src/telegram/map-user';
import { LiveMessageShapeError } from '../../src/telegram/telegram-errors';
import { rpcError } from '../fakes/fake-telegram';

/**
 * Objects as gramjs reads them from a server: serialized to TL bytes and read back. gramjs sets every absent
 * optional field of such an object to null, where objects built in code leave it undefined.
 */
function fromWire<T extends { getBytes(): Buffer }>(obj: T): T {
  return new BinaryReader(obj.getBytes()).tgReadObject() as T;
}

const big = (n: number | string) => helpers.returnBigInt(n);
const make = <T>(Cls: new (args: never) => T, args: Record<string, unknown>): T => new Cls(args as never);
const CHAT_ID = 1_500_000_123;
const peer = new Api.PeerChannel({ channelId: big(CHAT_ID) });
const date = 1_736_154_000;
const alice = fromWire(make(Api.User, { id: big(11), accessHash: big(5), firstName: 'Alice', username: 'alice' }));
const channel = fromWire(make(Api.Channel, { id: big(CHAT_ID), accessHash: big(9), title: 'Builders', megagroup: true, photo: new Api.ChatPhotoEmpty(), date }));
const index = indexEntities([alice], [channel]);

describe('mapping objects as a server sends them (absent fields are null)', () => {
  test('the decoded objects really carry null, not undefined', () => {
    const msg = fromWire(make(Api.Message, { id: 1, peerId: peer, date, message: 'hi' }));
    expect(msg.media).toBeNull();
    expect(msg.replyTo).toBeNull();
    expect(msg.views).toBeNull();
    expect(alice.lastName).toBeNull();
  });

  test('a text message has no media, no views, no reply; a reply keeps its target', () => {
    const text = fromWire(make(Api.Message, { id: 2, peerId: peer, date, fromId: new Api.PeerUser({ userId: big(11) }), message: 'hello' }));
    const reply = fromWire(make(Api.Message, { id: 3, peerId: peer, date, fromId: new Api.PeerUser({ userId: big(11) }), message: 'hi back', replyTo: make(Api.MessageReplyHeader, { replyToMsgId: 2 }) }));
    expect(mapMessage(text, CHAT_ID, index)).toEqual({ id: 2, chatId: CHAT_ID, date: '2025-01-06T09:00:00.000Z', sender: { id: 'user11', name: 'Alice', username: 'alice' }, text: 'hello', reactions: [] });
    const mapped = mapMessage(reply, CHAT_ID, index)!;
    expect(mapped.replyToId).toBe(2);
    expect(mapped.media).toBeUndefined();
    expect(Object.values(mapped)).not.toContain(null);
  });

  test('a pin service message names the pinned message; a reply into another chat is no reply here', () => {
    const pin = fromWire(make(Api.MessageService, { id: 4, peerId: peer, date, fromId: new Api.PeerUser({ userId: big(11) }), action: new Api.MessageActionPinMessage(), replyTo: make(Api.MessageReplyHeader, { replyToMsgId: 2 }) }));
    expect(mapMessage(pin, CHAT_ID, index)).toMatchObject({ service: { action: 'pin_message', messageId: 2 } });
    const elsewhere = fromWire(make(Api.Message, { id: 5, peerId: peer, date, message: 'q', replyTo: make(Api.MessageReplyHeader, { replyToMsgId: 9, replyToPeerId: new Api.PeerChannel({ channelId: big(1) }) }) }));
    expect(mapMessage(elsewhere, CHAT_ID, index)?.replyToId).toBeUndefined();
  });

  test('users, members and chats: no "null" in names, no null counts', () => {
    expect(userName(alice)).toBe('Alice');
    expect(mapParticipant(alice)).toEqual({ id: 'user11', username: 'alice', firstName: 'Alice', bot: false, premium: false, verified: false });
    const info = chatInfoOf(channel, null);
    expect(info).toEqual({ id: CHAT_ID, title: 'Builders', type: 'private_supergroup' });
  });

  test('a message that does not fit the schema fails loudly, naming the field and its raw value', () => {
    const msg = fromWire(make(Api.Message, { id: 6, peerId: peer, date, message: 'x', views: 3, forwards: 0 }));
    (msg as unknown as { views: number }).views = 2.5;
    let err: unknown;
    try {
      mapMessage(msg, CHAT_ID, index);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LiveMessageShapeError);
    expect((err as Error).message).toMatch(new RegExp(`message 6 in chat ${CHAT_ID} does not fit tgpulse's message schema: views = 2.5`));
  });
});

describe('another MTProto server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tgpulse-server-'));
  const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const keyFile = join(dir, 'server.pem');
  writeFileSync(keyFile, pem);

  test('Telegram by default; host:port, key and DC id when set', () => {
    expect(telegramServer({})).toEqual({ label: 'Telegram', dcId: 2, connectTimeoutSeconds: 10 });
    const server = telegramServer({ TELEGRAM_SERVER: '127.0.0.1:24991', TELEGRAM_SERVER_KEY_FILE: keyFile, TELEGRAM_DC_ID: 1 });
    expect(server).toMatchObject({ host: '127.0.0.1', port: 24991, dcId: 1, label: '127.0.0.1:24991' });
    expect(server.key?.fingerprint).toBe(serverKeyFromPem(pem).fingerprint);
  });

  test("the fingerprint is MTProto's, as gramjs lists Telegram's own keys", () => {
    // Telegram's production key (core.telegram.org/mtproto/auth_key) and the fingerprint gramjs keeps for it.
    const telegramPem = [
      '-----BEGIN RSA PUBLIC KEY-----',
      'MIIBCgKCAQEA6LszBcC1LGzyr992NzE0ieY+BSaOW622Aa9Bd4ZHLl+TuFQ4lo4g',
      '5nKaMBwK/BIb9xUfg0Q29/2mgIR6Zr9krM7HjuIcCzFvDtr+L0GQjae9H0pRB2OO',
      '62cECs5HKhT5DZ98K33vmWiLowc621dQuwKWSQKjWf50XYFw42h21P2KXUGyp2y/',
      '+aEyZ+uVgLLQbRA1dEjSDZ2iGRy12Mk5gpYc397aYp438fsJoHIgJ2lgMv5h7WY9',
      't6N/byY9Nw9p21Og3AoXSL2q/2IJ1WRUhebgAdGVMlV1fkuOQoEzR7EdpqtQD9Cs',
      '5+bfo3Nhmcyvk5ftB0WkJ9z6bNZ7yxrP8wIDAQAB',
      '-----END RSA PUBLIC KEY-----',
    ].join('\n');
    expect(serverKeyFromPem(telegramPem).fingerprint).toBe('-3414540481677951611');
  });

  test('bad settings are refused with the setting named', () => {
    expect(() => telegramServer({ TELEGRAM_SERVER: 'localhost', TELEGRAM_SERVER_KEY_FILE: keyFile })).toThrow(/TELEGRAM_SERVER \("localhost"\): must be host:port/);
    expect(() => telegramServer({ TELEGRAM_SERVER: '127.0.0.1:40000', TELEGRAM_SERVER_KEY_FILE: keyFile })).toThrow(/port from 1 to 32767/);
    expect(() => telegramServer({ TELEGRAM_SERVER: '127.0.0.1:443' })).toThrow(/TELEGRAM_SERVER_KEY_FILE \(unset\)/);
    expect(() => telegramServer({ TELEGRAM_SERVER: '127.0.0.1:443', TELEGRAM_SERVER_KEY_FILE: join(dir, 'missing.pem') })).toThrow(ConfigError);
    expect(() => telegramServer({ TELEGRAM_SERVER_KEY_FILE: keyFile })).toThrow(/only used with TELEGRAM_SERVER/);
  });

  test('a method the server does not implement is refused, not retried', () => {
    const mapped = mapTelegramError(rpcError('NOT_IMPLEMENTED', 500), { account: 'a', method: 'account.InitTakeoutSession' });
    expect(mapped).toBeInstanceOf(RemoteRefusedError);
    expect(mapped).not.toBeInstanceOf(TransportError);
    expect((mapped as Error).message).toMatch(/does not implement account\.InitTakeoutSession/);
  });
});
