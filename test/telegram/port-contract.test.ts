import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { BadInputError, FloodWaitError, RemoteRefusedError, type ChatMessage } from '../../src/domain';
import { GramjsTelegram, PeerCache, SessionRevokedError, telegramKeys, type ChatRef, type TelegramPort } from '../../src/telegram';
import { FakeTelegram, fakeMembers, fakeMessages, floodWait, rpcError, type FakeTelegramScenario } from '../fakes/fake-telegram';
import { FakeGramClient } from '../fakes/fake-telegram-client';
import { CountingGuard } from '../fakes/fake-telegram-guard';
import { testStack, uniqueName } from '../support/stack';
import { collectHistory, ids, rejection } from './support/port-probes';

/** A port under test and how to make its Telegram refuse the next calls with gramjs's own errors. */
interface Subject {
  port: TelegramPort;
  failNext(count: number, error: Error): void;
}

let redis: Redis;
beforeAll(() => {
  redis = new Redis(testStack().redisUrl);
});
afterAll(async () => {
  await redis.quit();
});

const subjects: [string, (scenario: FakeTelegramScenario) => Subject][] = [
  [
    'FakeTelegram',
    (scenario) => {
      const port = new FakeTelegram(scenario);
      return { port, failNext: (n, e) => void port.failNext(n, e) };
    },
  ],
  [
    'GramjsTelegram on gramjs Api answers',
    (scenario) => {
      const client = new FakeGramClient(scenario);
      const peers = new PeerCache(redis, telegramKeys(`${uniqueName('tg')}:`), 'work');
      const port = new GramjsTelegram({ client, guard: new CountingGuard(), account: 'work', peers });
      return { port, failNext: (n, e) => void client.failNext(n, e) };
    },
  ],
];

const CHAT_ID = 1_700_000_001;
const INVITE = 'AbCdEf123456';

function scenario(overrides: Partial<FakeTelegramScenario> = {}): FakeTelegramScenario {
  const messages = fakeMessages(250);
  // A few messages carry everything the mapping has to keep.
  messages[9] = { ...messages[9]!, links: ['https://demo.example/app'], replyToId: 9, reactions: [{ emoji: '🔥', count: 3 }], views: 12, edited: '2025-01-06T12:00:00.000Z', media: 'photo', forwardedFrom: 'Other group' };
  messages[19] = { ...messages[19]!, text: '', service: { action: 'invite_members', members: [{ id: 'user2', name: 'Member 2', username: 'member_2' }] } };
  return { chat: { id: CHAT_ID, title: 'Fake builders', type: 'public_supergroup', username: 'fake_builders' }, messages, members: fakeMembers(5), inviteHash: INVITE, ...overrides };
}

const collect = collectHistory;
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe.each(subjects)('TelegramPort contract: %s', (_name, makeSubject) => {
  let subject: Subject;
  let port: TelegramPort;
  let chat: ChatRef;
  beforeEach(async () => {
    subject = makeSubject(scenario());
    port = subject.port;
    chat = await port.resolveChat('@fake_builders');
  });

  test('resolves usernames, links, invite links and Bot API ids to the same chat', async () => {
    expect(chat).toEqual({ id: CHAT_ID, kind: 'channel' });
    for (const input of ['fake_builders', 'https://t.me/fake_builders/12', `https://t.me/+${INVITE}`, `-100${CHAT_ID}`, `https://t.me/c/${CHAT_ID}/5`, String(CHAT_ID)]) {
      expect(await port.resolveChat(input)).toEqual(chat);
    }
    expect(await port.resolveChat('@member_2')).toEqual({ id: 2, kind: 'user' });
  });

  test('refuses chats that do not exist, with what to do', async () => {
    expect(await rejection(port.resolveChat('@nobody_here'))).toMatchObject({ code: 'USERNAME_NOT_OCCUPIED', message: expect.stringMatching(/check the spelling/) });
    expect(await rejection(port.resolveChat('https://t.me/+Expired123456'))).toMatchObject({ code: 'INVITE_HASH_EXPIRED', message: expect.stringMatching(/ask for a new one/) });
    expect(await rejection(port.resolveChat('not a chat'))).toBeInstanceOf(BadInputError);
    const unknown = await rejection(port.resolveChat('-1004242424242'));
    expect(unknown).toBeInstanceOf(BadInputError);
    expect(unknown.message).toMatch(/not among this account's chats.*link or @username/);
  });

  test('describes the chat', async () => {
    expect(await port.chatInfo(chat)).toMatchObject({ id: CHAT_ID, title: 'Fake builders', type: 'public_supergroup', username: 'fake_builders', memberCount: 5 });
    expect(await port.creationDate(chat)).toBe('2025-01-06T09:00:00.000Z');
  });

  test('pages the whole history oldest first, 100 at a time, every message once and intact', async () => {
    const { pages, messages } = await collect(port, { chat });
    expect(pages).toEqual([100, 100, 50]);
    expect(ids(messages)).toEqual(range(1, 250));
    const expected = scenario().messages!;
    expect(messages[9]).toEqual(expected[9]);
    expect(messages[19]).toEqual(expected[19]);
    expect(messages[200]).toEqual(expected[200]);
  });

  test('resumes after a checkpoint and honours id ranges', async () => {
    expect(ids((await collect(port, { chat, afterId: 180 })).messages)).toEqual(range(181, 250));
    expect(ids((await collect(port, { chat, minId: 50, maxId: 60 })).messages)).toEqual(range(50, 60));
    expect(ids((await collect(port, { chat, beforeId: 5 })).messages)).toEqual(range(1, 4));
    expect(ids((await collect(port, { chat, afterId: 250 })).messages)).toEqual([]);
  });

  test('pages newest first with a limit', async () => {
    const { pages, messages } = await collect(port, { chat, order: 'newest', limit: 150 });
    expect(pages).toEqual([100, 50]);
    expect(ids(messages)).toEqual(range(101, 250).reverse());
    expect(ids((await collect(port, { chat, order: 'newest', afterId: 240 })).messages)).toEqual(range(241, 250).reverse());
  });

  test('honours date ranges in both orders', async () => {
    const since = new Date('2025-01-06T10:40:00Z'); // message 101
    const until = new Date('2025-01-06T11:10:00Z'); // message 131, excluded
    expect(ids((await collect(port, { chat, since, until })).messages)).toEqual(range(101, 130));
    expect(ids((await collect(port, { chat, since, until, order: 'newest' })).messages)).toEqual(range(101, 130).reverse());
    expect(ids((await collect(port, { chat, since: new Date('2025-01-06T13:00:00Z') })).messages)).toEqual(range(241, 250));
  });

  test('lists members with filters, search and limit; phones only when asked', async () => {
    const all = [];
    for await (const m of port.members(chat)) all.push(m);
    expect(all.map((m) => m.id)).toEqual(['user1', 'user2', 'user3', 'user4', 'user5']);
    expect(all.every((m) => m.phone === undefined)).toBe(true);
    const list = async (query: Parameters<TelegramPort['members']>[1]) => {
      const out = [];
      for await (const m of port.members(chat, query)) out.push(m);
      return out;
    };
    expect(await list({ filter: 'admins' })).toMatchObject([{ id: 'user1', admin: true }]);
    expect(await list({ filter: 'bots' })).toMatchObject([{ id: 'user5', bot: true }]);
    expect((await list({ search: 'member_3' })).map((m) => m.id)).toEqual(['user3']);
    expect(await list({ limit: 2 })).toHaveLength(2);
    expect((await list({ includePhone: true, limit: 1 }))[0]?.phone).toBe('+15550000001');
    await expect(list({ filter: 'all' }).then(() => port.members({ id: 2, kind: 'user' })[Symbol.asyncIterator]().next())).rejects.toBeInstanceOf(BadInputError);
  });

  test('sends, edits and sends files; refuses what Telegram would', async () => {
    const id = await port.send(chat, 'Weekly recap', { replyToId: 250 });
    expect(id).toBeGreaterThan(250);
    await port.edit(chat, id, 'Weekly recap (final)');
    // Editing to the same text is not an error a user could notice.
    await port.edit(chat, id, 'Weekly recap (final)');
    const newest = (await collect(port, { chat, order: 'newest', limit: 1 })).messages[0];
    expect(newest).toMatchObject({ id, text: 'Weekly recap (final)', replyToId: 250 });
    await expect(port.send(chat, 'x'.repeat(4097))).rejects.toThrow(/4097 characters, more than the 4096.*Split it/);
    await expect(port.send(chat, '  ')).rejects.toBeInstanceOf(BadInputError);

    const dir = mkdtempSync(join(tmpdir(), 'tgpulse-send-'));
    writeFileSync(join(dir, 'summary.md'), '# Summary\n');
    expect(await port.sendFile(chat, { path: join(dir, 'summary.md'), caption: 'Summary' })).toBeGreaterThan(id);
    await expect(port.sendFile(chat, { path: join(dir, 'missing.md') })).rejects.toThrow(/Cannot read the file to send/);
  });

  test('direct messages go to users only', async () => {
    expect(await port.sendDirect('@member_2', 'hello')).toEqual(expect.any(Number));
    await expect(port.sendDirect('@fake_builders', 'hello')).rejects.toThrow(/not a user/);
  });

  test('who am I', async () => {
    expect(await port.whoami()).toEqual({ id: 'user900', firstName: 'Test', lastName: 'Account', username: 'test_account', phone: '+15550000900', premium: false });
  });

  test('maps Telegram refusals to typed errors a user understands', async () => {
    subject.failNext(1, floodWait(30));
    const flood = await rejection(collect(port, { chat }));
    expect(flood).toBeInstanceOf(FloodWaitError);
    expect(flood).toMatchObject({ seconds: 30, method: 'messages.GetHistory' });

    subject.failNext(1, rpcError('CHANNEL_PRIVATE'));
    expect(await rejection(port.chatInfo(chat))).toMatchObject({ code: 'CHANNEL_PRIVATE', message: expect.stringMatching(/join it with an invite link first/) });

    subject.failNext(1, rpcError('CHAT_ADMIN_REQUIRED'));
    expect(await rejection(port.members(chat)[Symbol.asyncIterator]().next())).toMatchObject({ code: 'CHAT_ADMIN_REQUIRED' });

    subject.failNext(1, rpcError('AUTH_KEY_UNREGISTERED', 401));
    const revoked = await rejection(port.whoami());
    expect(revoked).toBeInstanceOf(SessionRevokedError);
    expect(revoked.message).toMatch(/log in again with `tgpulse login/);

    subject.failNext(1, rpcError('SLOWMODE_WAIT_10', 420, 'messages.SendMessage'));
    expect(await rejection(port.send(chat, 'hi'))).toMatchObject({ seconds: 10, code: 'SLOWMODE_WAIT' });
  });

  test('a flood wait in the middle loses nothing: resuming from the last page gives each message once', async () => {
    const seen: ChatMessage[] = [];
    let checkpoint = 0;
    const pages = port.history({ chat, afterId: checkpoint });
    let n = 0;
    try {
      for await (const page of pages) {
        seen.push(...page.messages);
        checkpoint = page.lastId;
        if (++n === 1) subject.failNext(1, floodWait(3600));
      }
    } catch (err) {
      expect(err).toBeInstanceOf(FloodWaitError);
    }
    expect(checkpoint).toBe(100);
    seen.push(...(await collect(port, { chat, afterId: checkpoint })).messages);
    expect(ids(seen)).toEqual(range(1, 250));
  });

  test('joins by invite link, then the chat resolves; leaves', async () => {
    const outsider = makeSubject(scenario({ joined: false, chat: { id: CHAT_ID, title: 'Hidden', type: 'private_supergroup', username: undefined } })).port;
    const notMember = await rejection(outsider.resolveChat(`https://t.me/+${INVITE}`));
    expect(notMember).toBeInstanceOf(RemoteRefusedError);
    expect(notMember.message).toMatch(/not a member of "Hidden" yet: join it with the invite link first/);
    const joined = await outsider.join(`https://t.me/+${INVITE}`);
    expect(joined).toEqual({ id: CHAT_ID, kind: 'channel' });
    expect(await outsider.chatInfo(joined)).toMatchObject({ title: 'Hidden', type: 'private_supergroup' });
    await outsider.leave(joined);
    expect(await rejection(outsider.chatInfo(joined))).toMatchObject({ code: 'CHANNEL_PRIVATE' });
    await expect(outsider.join('https://t.me/+Expired123456')).rejects.toMatchObject({ code: 'INVITE_HASH_EXPIRED' });
  });
});

describe('GramjsTelegram beyond the contract', () => {
  function build(prefix = `${uniqueName('tg')}:`, s = scenario()) {
    const client = new FakeGramClient(s);
    const guard = new CountingGuard();
    const port = new GramjsTelegram({ client, guard, account: 'work', peers: new PeerCache(redis, telegramKeys(prefix), 'work') });
    return { client, guard, port, prefix };
  }

  test('every request passes the guard, and history asks for at most 100 messages a request', async () => {
    const { client, guard, port } = build();
    const chat = await port.resolveChat('@fake_builders');
    await collect(port, { chat });
    for await (const _ of port.members(chat));
    await port.send(chat, 'hi');
    expect(guard.count()).toBe(client.count());
    expect(guard.calls.every((c) => c.account === 'work')).toBe(true);
    const historyRequests = client.requests.filter((r) => r.className === 'messages.GetHistory');
    expect(historyRequests.length).toBe(3);
    expect(historyRequests.every((r) => (r as unknown as { limit: number }).limit <= 100)).toBe(true);
    expect(guard.calls.filter((c) => c.method === 'channels.GetParticipants').every((c) => c.op === 'members')).toBe(true);
  });

  test('after a restart, ids resolve from the Redis cache without a single lookup', async () => {
    const first = build();
    await first.port.resolveChat('@fake_builders');
    await first.port.resolveChat('@member_2');
    const restarted = build(first.prefix);
    const chat = await restarted.port.resolveChat(`-100${CHAT_ID}`);
    expect(await restarted.port.resolveChat('@fake_builders')).toEqual(chat);
    await restarted.port.sendDirect('2', 'hello again');
    expect(ids((await collect(restarted.port, { chat, afterId: 240 })).messages)).toEqual(range(241, 250));
    expect(restarted.client.count('contacts.ResolveUsername')).toBe(0);
    expect(restarted.client.count('messages.GetDialogs')).toBe(0);
  });

  test('an unknown id reads the dialogs once, not once per lookup', async () => {
    const { client, port } = build();
    expect(await port.resolveChat(`-100${CHAT_ID}`)).toEqual({ id: CHAT_ID, kind: 'channel' });
    await expect(port.resolveChat('-1009999999999')).rejects.toBeInstanceOf(BadInputError);
    await expect(port.resolveChat('-1008888888888')).rejects.toBeInstanceOf(BadInputError);
    expect(client.count('messages.GetDialogs')).toBe(1);
  });

  test('lookups that miss the cache while the dialogs are being read wait for that read; a failed read is tried again', async () => {
    const { client, port } = build();
    const both = await Promise.all([port.resolveChat(`-100${CHAT_ID}`), port.resolveChat(`-100${CHAT_ID}`)]);
    expect(both).toEqual([{ id: CHAT_ID, kind: 'channel' }, { id: CHAT_ID, kind: 'channel' }]);
    expect(client.count('messages.GetDialogs')).toBe(1);

    const failing = build();
    failing.client.failNext(1, rpcError('INTERNAL', 500, 'messages.GetDialogs'));
    await expect(failing.port.resolveChat(`-100${CHAT_ID}`)).rejects.toThrow();
    expect(await failing.port.resolveChat(`-100${CHAT_ID}`)).toEqual({ id: CHAT_ID, kind: 'channel' });
    expect(failing.client.count('messages.GetDialogs')).toBe(2);
  });

  test('a stale access hash is refused by Telegram and reported, not retried in a loop', async () => {
    const { client, port, prefix } = build();
    await redis.hset(telegramKeys(prefix).peers('work'), `channel:${CHAT_ID}`, '12345');
    const err = await rejection(port.chatInfo({ id: CHAT_ID, kind: 'channel' }));
    expect(err).toMatchObject({ code: 'CHANNEL_INVALID' });
    expect(client.count()).toBe(1);
  });
});
